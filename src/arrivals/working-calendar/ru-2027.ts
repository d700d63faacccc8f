import type { WorkingCalendar } from './index.js';

/**
 * 2027, until its decree is in the data: the Labour Code's rule written out (it must stay
 * equal to `laborCodeCalendar(2027)`; a test checks). Announced but not decreed: New Year
 * holidays to 10 January, 4–7 November off with Saturday 13 November working.
 */
export const RU_2027: WorkingCalendar = {
  year: 2027,
  source: 'Labour Code art. 112 (the 2027 decree is not in the data yet)',
  provisional: true,
  nonWorkingDays: [
    // New Year holidays and Christmas; Saturday 2 and Sunday 3 January are not moved
    '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06',
    '2027-01-07', '2027-01-08',
    // Defender of the Fatherland Day, Tuesday
    '2027-02-23',
    // International Women's Day, Monday
    '2027-03-08',
    // Spring and Labour Day, Saturday 1 May: the day off moves to Monday 3 May
    '2027-05-01', '2027-05-03',
    // Victory Day, Sunday 9 May: the day off moves to Monday 10 May
    '2027-05-09', '2027-05-10',
    // Russia Day, Saturday 12 June: the day off moves to Monday 14 June
    '2027-06-12', '2027-06-14',
    // Unity Day, Thursday
    '2027-11-04',
  ],
  workingDays: [],
};
