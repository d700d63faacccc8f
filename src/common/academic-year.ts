import { predicateDecorator } from './validation/validators.js';

/** `2027/2028`: two consecutive years. */
export const ACADEMIC_YEAR = /^(\d{4})\/(\d{4})$/;

export function isAcademicYear(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ACADEMIC_YEAR.exec(value);
  return !!match && Number(match[2]) === Number(match[1]) + 1 && Number(match[1]) >= 1990 && Number(match[1]) < 2200;
}

export const IsAcademicYear = predicateDecorator('isAcademicYear', '$property must be an academic year such as 2027/2028', isAcademicYear);

/** The academic year a date falls in: years start on 1 August (`2027-09-01` → `2027/2028`). */
export function academicYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  return `${start}/${start + 1}`;
}
