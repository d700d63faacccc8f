/**
 * Russian working-day calendars, one per year: which days the five-day week takes off.
 * A year with a government decree in the data answers from it; any other year falls back
 * to the rule of the Labour Code (art. 112) and is marked provisional, so that a deadline
 * computed from it can say so.
 *
 * To add a year once its decree is published: copy `ru-2026.ts` to `ru-<year>.ts`, write
 * the decree's days off and working weekend days, set `provisional: false` and the
 * decree's number and date in `source`, and put one line for it in `RU_CALENDARS` below
 * (replacing the provisional file, if the year had one).
 */
import type { CalendarDate } from '../../common/calendar.js';
import { laborCodeCalendar } from './labor-code.js';
import { RU_2026 } from './ru-2026.js';
import { RU_2027 } from './ru-2027.js';

export interface WorkingCalendar {
  readonly year: number;
  /** what the days come from: a decree, or the Labour Code when the year's decree is not in the data */
  readonly source: string;
  /** true when the days are the Labour Code's rule, not a decree: the decree may still move days off */
  readonly provisional: boolean;
  /**
   * The days off the source names, in date order: public holidays and the days off moved
   * onto them. Saturdays and Sundays may be listed; they are days off anyway unless in
   * `workingDays`.
   */
  readonly nonWorkingDays: readonly CalendarDate[];
  /** Saturdays and Sundays made working days (in exchange for a day off moved elsewhere) */
  readonly workingDays: readonly CalendarDate[];
}

export const RU_CALENDARS: ReadonlyMap<number, WorkingCalendar> = new Map([
  [2026, RU_2026],
  [2027, RU_2027],
]);

/** The year's calendar from its data file, or the Labour Code's (provisional) when there is none. */
export function ruCalendar(year: number): WorkingCalendar {
  return RU_CALENDARS.get(year) ?? laborCodeCalendar(year);
}

export { laborCodeCalendar };
