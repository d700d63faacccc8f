/**
 * The deadline calculator: Russian working days from the decree's data or, for a year
 * without one, the Labour Code's rule (provisional); calendar days and months; the date of
 * an arrival in the receiving institution's timezone.
 */
import { addDays, type CalendarDate } from '../../src/common/calendar.js';
import { addRussianWorkingDays, dueAfterDays, dueAfterMonths, isRussianWorkingDay, localDate } from '../../src/arrivals/deadlines.js';
import { isWeekend } from '../../src/arrivals/working-calendar/labor-code.js';
import { laborCodeCalendar, RU_CALENDARS, ruCalendar } from '../../src/arrivals/working-calendar/index.js';
import { RU_2027 } from '../../src/arrivals/working-calendar/ru-2027.js';

/** Every date of a year, 1 January to 31 December. */
function datesOf(year: number): CalendarDate[] {
  const dates: CalendarDate[] = [];
  for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) dates.push(day);
  return dates;
}

const weekdaysOff = (year: number) => datesOf(year).filter((d) => !isWeekend(d) && !isRussianWorkingDay(d));

describe('Russian working calendars', () => {
  it.each([...RU_CALENDARS.values(), laborCodeCalendar(2025), laborCodeCalendar(2028)].map((c) => [c.year, c.source, c] as const))(
    '%i (%s): dates of its year, in order, no repeats; working days only on weekends, none also off',
    (year, _source, calendar) => {
      for (const list of [calendar.nonWorkingDays, calendar.workingDays]) {
        expect(list.filter((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || !d.startsWith(`${year}-`))).toEqual([]);
        expect([...new Set(list)].sort()).toEqual(list);
      }
      expect(calendar.workingDays.filter((d) => !isWeekend(d))).toEqual([]);
      expect(calendar.workingDays.filter((d) => calendar.nonWorkingDays.includes(d))).toEqual([]);
    },
  );

  it('2026 from decree No. 1466: the weekdays off, 247 working days, not provisional', () => {
    expect(ruCalendar(2026)).toMatchObject({ year: 2026, source: 'Government decree No. 1466 of 24 September 2025', provisional: false });
    expect(weekdaysOff(2026)).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09',
      '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31',
    ]);
    expect(datesOf(2026).filter(isRussianWorkingDay)).toHaveLength(247);
  });

  it('the decree differs from the Labour Code only by the two January days it moves: to Friday 9 January and Thursday 31 December', () => {
    const byLaborCode = laborCodeCalendar(2026).nonWorkingDays.filter((d) => !isWeekend(d));
    expect(weekdaysOff(2026).filter((d) => !byLaborCode.includes(d))).toEqual(['2026-01-09', '2026-12-31']);
    expect(byLaborCode.filter((d) => !weekdaysOff(2026).includes(d))).toEqual([]);
  });

  it('2027 has no decree in the data: its file is the Labour Code’s rule, provisional', () => {
    expect(RU_2027).toEqual(laborCodeCalendar(2027));
    expect(ruCalendar(2027)).toMatchObject({ provisional: true, source: 'Labour Code art. 112 (the 2027 decree is not in the data yet)' });
    // Sat 1 May → Mon 3 May, Sun 9 May → Mon 10 May, Sat 12 Jun → Mon 14 Jun; Sat 2 and Sun 3 January are lost
    expect(weekdaysOff(2027)).toEqual(['2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04']);
    expect(isRussianWorkingDay('2027-01-11')).toBe(true);
  });

  it('a year with no file falls back to the Labour Code, provisional: Sat 4 November 2028 → Mon 6 November', () => {
    expect(RU_CALENDARS.has(2028)).toBe(false);
    expect(ruCalendar(2028)).toEqual(laborCodeCalendar(2028));
    expect(ruCalendar(2028).provisional).toBe(true);
    expect(isRussianWorkingDay('2028-11-06')).toBe(false);
    expect(isRussianWorkingDay('2028-11-07')).toBe(true);
  });
});

describe('localDate', () => {
  it('an arrival at 22:30 UTC on 5 March is 6 March in Moscow, 5 March in Paris', () => {
    const arrivedAt = new Date('2026-03-05T22:30:00Z');
    expect(localDate(arrivedAt, 'Europe/Moscow')).toBe('2026-03-06');
    expect(localDate(arrivedAt, 'Europe/Paris')).toBe('2026-03-05');
    expect(localDate(arrivedAt, 'UTC')).toBe('2026-03-05');
  });

  it('west of UTC the date is the day before; Paris after its clocks go forward', () => {
    expect(localDate(new Date('2026-03-06T03:00:00Z'), 'America/New_York')).toBe('2026-03-05');
    expect(localDate(new Date('2026-03-29T22:30:00Z'), 'Europe/Paris')).toBe('2026-03-30'); // UTC+2 from 29 March
    expect(localDate(new Date('2026-03-28T22:30:00Z'), 'Europe/Paris')).toBe('2026-03-28'); // still UTC+1
  });

  it('refuses an unknown zone and an invalid date', () => {
    expect(() => localDate(new Date(), 'Europe/Atlantis')).toThrow(RangeError);
    expect(() => localDate(new Date('not a date'), 'Europe/Moscow')).toThrow(RangeError);
  });
});

describe('addRussianWorkingDays: the n-th working day after the day of arrival', () => {
  it.each([
    // [arrived on, due on, what it crosses]
    ['2026-03-16', '2026-03-25', 'Monday: one weekend'],
    ['2026-03-20', '2026-03-31', 'Friday: counting starts the next day, two weekends'],
    ['2026-03-21', '2026-03-31', 'Saturday: the same as Friday'],
    ['2026-03-22', '2026-03-31', 'Sunday: the same as Friday'],
    ['2026-01-08', '2026-01-20', 'Friday 9 January, the moved day off, and the weekend after it'],
    ['2025-12-31', '2026-01-20', 'the whole New Year holidays, counted from 1 January'],
    ['2026-02-20', '2026-03-04', '21–23 February, then the end of February'],
    ['2026-03-05', '2026-03-17', '7–9 March (8 March on a Sunday, Monday off)'],
    ['2026-04-28', '2026-05-08', 'the end of April and 1–3 May'],
    ['2026-04-30', '2026-05-13', '1–3 and 9–11 May'],
    ['2026-05-07', '2026-05-19', '9–11 May (Victory Day on a Saturday, Monday off)'],
    ['2026-06-10', '2026-06-22', '12–14 June'],
    ['2026-01-30', '2026-02-10', 'the end of January'],
    ['2026-11-03', '2026-11-13', 'Wednesday 4 November'],
  ])('arrived %s → %s (%s), not provisional', (from, dueOn) => {
    expect(addRussianWorkingDays(from, 7)).toEqual({ dueOn, provisional: false });
  });

  it.each([
    ['2025-12-30', '2026-01-19', '2025 has no file: by the Labour Code 31 December 2025 is a working day'],
    ['2026-12-23', '2027-01-12', '31 December 2026 (decree) and 1–10 January 2027 (Labour Code)'],
    ['2026-12-29', '2027-01-18', 'the same New Year, from 30 December'],
    ['2027-03-01', '2027-03-11', 'Monday 8 March 2027'],
    ['2027-04-29', '2027-05-12', 'Sat 1 May → Mon 3 May and Sun 9 May → Mon 10 May, 2027'],
    ['2028-02-25', '2028-03-07', 'the leap day, Tuesday 29 February 2028, counts as a working day'],
    ['2028-02-28', '2028-03-09', 'the leap day and Wednesday 8 March 2028'],
  ])('arrived %s → %s (%s), provisional', (from, dueOn) => {
    expect(addRussianWorkingDays(from, 7)).toEqual({ dueOn, provisional: true });
  });

  it('provisional only when a day counted falls in a year without a decree, not for the day of arrival', () => {
    expect(addRussianWorkingDays('2025-12-31', 1)).toEqual({ dueOn: '2026-01-12', provisional: false });
    expect(addRussianWorkingDays('2026-12-30', 1)).toEqual({ dueOn: '2027-01-11', provisional: true });
    expect(addRussianWorkingDays('2026-12-29', 1)).toEqual({ dueOn: '2026-12-30', provisional: false });
  });

  it('counts from the arrival date in the institution’s timezone', () => {
    const arrivedAt = new Date('2026-03-05T22:30:00Z');
    expect(addRussianWorkingDays(localDate(arrivedAt, 'Europe/Moscow'), 7).dueOn).toBe('2026-03-18');
    expect(addRussianWorkingDays(localDate(arrivedAt, 'Europe/Paris'), 7).dueOn).toBe('2026-03-17');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %p working days', (n) => {
    expect(() => addRussianWorkingDays('2026-03-16', n)).toThrow(RangeError);
  });
});

describe('calendar-day and calendar-month deadlines', () => {
  it('days run through month and year ends and the leap day', () => {
    expect(dueAfterDays('2026-03-06', 90)).toBe('2026-06-04');
    expect(dueAfterDays('2026-12-20', 14)).toBe('2027-01-03');
    expect(dueAfterDays('2028-02-26', 3)).toBe('2028-02-29');
    expect(dueAfterDays('2027-02-26', 3)).toBe('2027-03-01');
  });

  it('months keep the day, or the last day of a shorter month', () => {
    expect(dueAfterMonths('2026-09-01', 3)).toBe('2026-12-01');
    expect(dueAfterMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(dueAfterMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(dueAfterMonths('2026-10-31', 3)).toBe('2027-01-31');
  });
});
