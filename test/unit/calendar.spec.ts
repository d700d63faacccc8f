/**
 * Calendar dates as the domain counts them (src/common/calendar.ts): months added the way
 * PostgreSQL's `+ interval` adds them (a vetting's 12 months), ages in full years, days
 * across months, years and clock changes.
 */
import { addDays, addMonths, daysBetween, overlaps, todayUtc, yearsBetween } from '../../src/common/calendar.js';
import { vettingExpiry } from '../../src/host-families/host-family.rules.js';

describe('addMonths', () => {
  it.each([
    ['2027-03-15', 1, '2027-04-15'],
    ['2027-12-15', 1, '2028-01-15'],
    ['2027-01-15', -1, '2026-12-15'],
    ['2027-06-01', 12, '2028-06-01'],
    ['2027-06-01', 0, '2027-06-01'],
    // a day the target month lacks becomes its last
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2027-03-31', 1, '2027-04-30'],
    ['2027-03-31', -1, '2027-02-28'],
    ['2027-01-31', 13, '2028-02-29'],
    // 29 February: to the 28th in a common year, kept in a leap year
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
    ['2028-02-29', -12, '2027-02-28'],
    ['2028-02-29', 1, '2028-03-29'],
    ['2100-01-31', 1, '2100-02-28'],
    ['2000-01-31', 1, '2000-02-29'],
  ] as const)('%s + %p months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('is not undone by subtracting (the end of a month is sticky only one way, as in PostgreSQL)', () => {
    expect(addMonths(addMonths('2027-01-31', 1), -1)).toBe('2027-01-28');
  });

  it("gives a vetting's expiry: 12 months from the background check", () => {
    expect(vettingExpiry('2027-06-01')).toBe('2028-06-01');
    expect(vettingExpiry('2028-02-29')).toBe('2029-02-28');
  });
});

describe('yearsBetween (an age)', () => {
  it.each([
    ['2000-05-01', '2018-04-30', 17],
    ['2000-05-01', '2018-05-01', 18],
    ['2000-05-01', '2018-05-02', 18],
    ['2000-05-01', '2000-05-01', 0],
    ['2000-05-01', '2001-04-30', 0],
    ['2000-12-31', '2018-12-30', 17],
    ['2000-12-31', '2018-12-31', 18],
    ['2000-01-01', '2017-12-31', 17],
    // born on 29 February: a year older on 1 March of a common year, on the 29th of a leap year
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-28', 19],
    ['2008-02-29', '2028-02-29', 20],
  ] as const)('born %s, on %s: %p', (birth, on, years) => {
    expect(yearsBetween(birth, on)).toBe(years);
  });
});

describe('addDays', () => {
  it.each([
    ['2027-09-01', 0, '2027-09-01'],
    ['2027-09-30', 1, '2027-10-01'],
    ['2027-12-31', 1, '2028-01-01'],
    ['2028-01-01', -1, '2027-12-31'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2027-03-01', -1, '2027-02-28'],
    // the days European and Russian clocks once changed on: still 24 hours in UTC
    ['2027-03-28', 1, '2027-03-29'],
    ['2027-10-31', 1, '2027-11-01'],
    ['2027-01-01', 365, '2028-01-01'],
    ['2028-01-01', 366, '2029-01-01'],
  ] as const)('%s + %p days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('and daysBetween undo each other', () => {
    for (let days = -400; days <= 400; days += 37) expect(daysBetween('2027-09-01', addDays('2027-09-01', days))).toBe(days);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1);
  });
});

describe('overlaps and todayUtc', () => {
  it('closed ranges share a day when one starts on the day the other ends', () => {
    expect(overlaps('2027-09-01', '2027-09-30', '2027-09-30', '2027-10-31')).toBe(true);
    expect(overlaps('2027-09-01', '2027-09-30', '2027-10-01', '2027-10-31')).toBe(false);
    expect(overlaps('2027-09-10', '2027-09-10', '2027-09-01', '2027-09-30')).toBe(true);
    expect(overlaps('2027-10-01', '2027-10-31', '2027-09-01', '2027-09-30')).toBe(false);
  });

  it("today is the UTC date, whatever the machine's zone", () => {
    expect(todayUtc(new Date('2027-12-31T23:30:00-02:00'))).toBe('2028-01-01');
    expect(todayUtc(new Date('2028-01-01T00:30:00+03:00'))).toBe('2027-12-31');
  });
});
