/**
 * Calendar dates (`YYYY-MM-DD`, no time of day, no zone) as the domain uses them: stays,
 * availability, vetting validity. Arithmetic is done on UTC midnights, where every day has
 * 24 hours.
 */
export type CalendarDate = string;

const DAY_MS = 86_400_000;

const toUtc = (date: CalendarDate): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): CalendarDate => new Date(ms).toISOString().slice(0, 10);

/** Today's date in UTC. */
export function todayUtc(now = new Date()): CalendarDate {
  return now.toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** The same day `months` later; a day the target month lacks becomes its last (31 Jan + 1 month = 28 or 29 Feb), as PostgreSQL's `+ interval`. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return fromUtc(target.getTime());
}

/** Full years from `birth` to `on` (an age). */
export function yearsBetween(birth: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Days from `from` to `to` (0 for the same day). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** Whether the closed ranges [a1, a2] and [b1, b2] share a day (ISO dates compare as strings). */
export function overlaps(a1: CalendarDate, a2: CalendarDate, b1: CalendarDate, b2: CalendarDate): boolean {
  return a1 <= b2 && b1 <= a2;
}
