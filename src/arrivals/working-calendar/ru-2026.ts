import type { WorkingCalendar } from './index.js';

/**
 * 2026, five-day week, as the decree lists its days off (weekends inside its ranges
 * included). 31 December 2025, also off, belongs to the 2025 calendar.
 */
export const RU_2026: WorkingCalendar = {
  year: 2026,
  source: 'Government decree No. 1466 of 24 September 2025',
  provisional: false,
  nonWorkingDays: [
    // New Year holidays and Christmas (1–8 January), then Friday 9 January, the day off
    // moved from Saturday 3 January, and the weekend of 10–11 January
    '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06',
    '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11',
    // Defender of the Fatherland Day, Monday 23 February, after its weekend
    '2026-02-21', '2026-02-22', '2026-02-23',
    // International Women's Day, Sunday 8 March: the day off moves to Monday 9 March
    '2026-03-07', '2026-03-08', '2026-03-09',
    // Spring and Labour Day, Friday 1 May, and its weekend
    '2026-05-01', '2026-05-02', '2026-05-03',
    // Victory Day, Saturday 9 May: the day off moves to Monday 11 May
    '2026-05-09', '2026-05-10', '2026-05-11',
    // Russia Day, Friday 12 June, and its weekend
    '2026-06-12', '2026-06-13', '2026-06-14',
    // Unity Day, Wednesday 4 November
    '2026-11-04',
    // the day off moved from Sunday 4 January
    '2026-12-31',
  ],
  workingDays: [],
};
