/**
 * Deadlines of the arrival checklist, as dates in the receiving institution's timezone
 * (SPEC §3): calendar days and months, and Russian working days.
 */
import { addDays, addMonths, type CalendarDate } from '../common/calendar.js';
import { isWeekend } from './working-calendar/labor-code.js';
import { ruCalendar } from './working-calendar/index.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The date on the calendars of `timeZone` (IANA) at `instant`: 22:30 UTC on 5 March is 6 March in Moscow. */
export function localDate(instant: Date, timeZone: string): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('localDate: invalid date');
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}`;
}

interface YearDays {
  off: ReadonlySet<CalendarDate>;
  working: ReadonlySet<CalendarDate>;
  provisional: boolean;
}

const years = new Map<number, YearDays>();

function daysOfYear(date: CalendarDate): YearDays {
  const year = Number(date.slice(0, 4));
  let days = years.get(year);
  if (!days) {
    const calendar = ruCalendar(year);
    days = { off: new Set(calendar.nonWorkingDays), working: new Set(calendar.workingDays), provisional: calendar.provisional };
    years.set(year, days);
  }
  return days;
}

/** Saturdays and Sundays are off unless the year's calendar makes them working; weekdays are working unless it lists them off. */
export function isRussianWorkingDay(date: CalendarDate): boolean {
  const { off, working } = daysOfYear(date);
  return isWeekend(date) ? working.has(date) : !off.has(date);
}

/**
 * "Within n working days after arrival": counting starts the day after `from`, and the
 * deadline is the n-th working day counted. `provisional` when a day counted or skipped
 * falls in a year whose calendar is the Labour Code's, not a decree's.
 */
export function addRussianWorkingDays(from: CalendarDate, n: number): { dueOn: CalendarDate; provisional: boolean } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`addRussianWorkingDays: n must be a whole number of at least 1, not ${n}`);
  let day = from;
  let provisional = false;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    provisional ||= daysOfYear(day).provisional;
    if (isRussianWorkingDay(day)) counted++;
  }
  return { dueOn: day, provisional };
}

/** `days` calendar days after `from` (within 3, 7, 14 or 90 days). */
export function dueAfterDays(from: CalendarDate, days: number): CalendarDate {
  return addDays(from, days);
}

/** The same day `months` later, the month's last day when it has no such day (30 November + 3 months = 28 or 29 February). */
export function dueAfterMonths(from: CalendarDate, months: number): CalendarDate {
  return addMonths(from, months);
}
