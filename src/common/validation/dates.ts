import { predicateDecorator } from './validators.js';

/** Years a date of this domain can have (births, agreements, stays). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2200;

const inRange = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR;

/** A real calendar date written `YYYY-MM-DD` (2027-02-30 and year 0000 are refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !inRange(Number(value.slice(0, 4)))) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const IsCalendarDate = predicateDecorator('isCalendarDate', '$property must be a date YYYY-MM-DD', isCalendarDate);

/**
 * An ISO 8601 instant with an explicit offset or Z (`2027-03-01T09:00:00+01:00`), on a real
 * calendar date: `Date` would roll 31 September over to 1 October, and 24:00 to the next day.
 * The offset is one a time zone can have, at most 14:00 either way: PostgreSQL refuses one
 * beyond 15:59 (`-23:59` would reach it and fail there as a 500).
 */
export function isInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/.test(value) &&
    isCalendarDate(value.slice(0, 10)) &&
    !Number.isNaN(new Date(value).getTime())
  );
}

export const IsInstant = predicateDecorator('isInstant', '$property must be an ISO 8601 date-time with an offset', isInstant);
