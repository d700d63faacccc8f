/**
 * The Labour Code's rule for the Russian days off (art. 112), for a year whose decree is
 * not in the data (see /work/shared/data/ru-working-calendar.md):
 * - public holidays: 1–6 and 8 January (New Year holidays), 7 January (Christmas),
 *   23 February, 8 March, 1 May, 9 May, 12 June, 4 November;
 * - a holiday on a Saturday or Sunday moves the day off to the next working day, except
 *   the January holidays: those are moved only by the yearly decree, so without it they
 *   are simply lost.
 */
import { addDays, type CalendarDate } from '../../common/calendar.js';
import type { WorkingCalendar } from './index.js';

const JANUARY_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08'];
const OTHER_HOLIDAYS = ['02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

/** Saturday and Sunday: the two days off of the five-day week that the calendars assume. */
export function isWeekend(date: CalendarDate): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function laborCodeCalendar(year: number): WorkingCalendar {
  const daysOff = new Set([...JANUARY_HOLIDAYS, ...OTHER_HOLIDAYS].map((monthDay) => `${year}-${monthDay}`));
  for (const monthDay of OTHER_HOLIDAYS) {
    const holiday = `${year}-${monthDay}`;
    if (!isWeekend(holiday)) continue;
    let moved = addDays(holiday, 1);
    while (isWeekend(moved) || daysOff.has(moved)) moved = addDays(moved, 1);
    daysOff.add(moved);
  }
  return {
    year,
    source: `Labour Code art. 112 (the ${year} decree is not in the data yet)`,
    provisional: true,
    nonWorkingDays: [...daysOff].sort(),
    workingDays: [],
  };
}
