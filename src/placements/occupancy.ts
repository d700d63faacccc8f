import type { CalendarDate } from '../common/calendar.js';

export interface Stay {
  startsOn: CalendarDate;
  /** included: the student sleeps there that night too */
  endsOn: CalendarDate;
}

/**
 * The most beds that `stays` take on any one day of [from, to] (both included). The count
 * only rises on the first day of a stay, so the peak falls on `from` or on the first day
 * of a stay that starts inside the range: those are the only days counted. Matching counts
 * the same peak in SQL as a running sum of the stays' first and last days
 * (placements.repository.ts MATCHING_CANDIDATES).
 */
export function peakOccupancy(stays: readonly Stay[], from: CalendarDate, to: CalendarDate): { peak: number; day: CalendarDate } {
  const overlapping = stays.filter((s) => s.startsOn <= to && s.endsOn >= from);
  let best = { peak: 0, day: from };
  for (const day of new Set([from, ...overlapping.map((s) => (s.startsOn > from ? s.startsOn : from))])) {
    const taken = overlapping.filter((s) => s.startsOn <= day && s.endsOn >= day).length;
    if (taken > best.peak || (taken === best.peak && day < best.day && taken > 0)) best = { peak: taken, day };
  }
  return best;
}

/** Whether one more stay over [from, to] fits in `capacity` beds on every day. */
export const fits = (stays: readonly Stay[], capacity: number, from: CalendarDate, to: CalendarDate): boolean => peakOccupancy(stays, from, to).peak < capacity;
