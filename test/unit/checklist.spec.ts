/**
 * The arrival checklist made at check-in: the items of the receiving institution's
 * country and those of every country, due dates in its timezone, who answers for each.
 */
import { CHECKLIST_CODES, CHECKLIST_TITLES, generateChecklist, isOverdue, stayDays, type ChecklistInput } from '../../src/arrivals/checklist.js';

/** Arrives on Tuesday 1 September 2026 (local date) and stays to the end of January. */
function input(overrides: Partial<ChecklistInput> = {}): ChecklistInput {
  return { country: 'RU', timeZone: 'Europe/Moscow', arrivedAt: new Date('2026-09-01T08:00:00Z'), stayEndsOn: '2027-01-31', studentIsAdult: true, placedWithFamily: true, ...overrides };
}

/** `code@dueOn responsible`, with `#n` for welfare checks and `?` when provisional. */
const summary = (i: ChecklistInput) =>
  generateChecklist(i).map((item) => `${item.code}${item.code === 'welfare_check' ? `#${item.sequence}` : ''}@${item.dueOn} ${item.responsible}${item.provisional ? ' ?' : ''}`);

const codes = (i: ChecklistInput) => [...new Set(generateChecklist(i).map((item) => item.code))];

describe('arrival checklist', () => {
  it('RU, placed with a family, a stay of five months: every item, sorted by due date then code', () => {
    expect(summary(input())).toEqual([
      'host_family_welcome_check@2026-09-04 host_school',
      'orientation@2026-09-08 host_family',
      'migration_registration@2026-09-10 host_family', // 7 working days from Wednesday 2 September
      'welfare_check#1@2026-10-01 host_school',
      'welfare_check#2@2026-10-31 host_school',
      'medical_exam_fingerprinting@2026-11-30 host_family', // 90 days; same day as a welfare check, sorted by code
      'welfare_check#3@2026-11-30 host_school',
      'welfare_check#4@2026-12-30 host_school',
      'welfare_check#5@2027-01-29 host_school',
    ]);
  });

  it('RU, not placed with a family: the host school answers for everything, no welcome check', () => {
    expect(summary(input({ placedWithFamily: false, stayEndsOn: '2026-10-15' }))).toEqual([
      'orientation@2026-09-08 host_school',
      'migration_registration@2026-09-10 host_school',
      'welfare_check#1@2026-10-01 host_school',
    ]);
  });

  it('RU: the medical examination and fingerprinting only for a stay of more than 90 days, the arrival date and the last day counted', () => {
    expect(stayDays('2026-09-01', '2026-11-29')).toBe(90);
    expect(codes(input({ stayEndsOn: '2026-11-29' }))).not.toContain('medical_exam_fingerprinting');
    expect(generateChecklist(input({ stayEndsOn: '2026-11-30' })).filter((i) => i.code === 'medical_exam_fingerprinting')).toEqual([
      { code: 'medical_exam_fingerprinting', sequence: 1, dueOn: '2026-11-30', responsible: 'host_family', provisional: false },
    ]);
  });

  it('RU: the migration registration counts from the arrival date in Moscow, and is provisional across a year without a decree', () => {
    // 22:30 UTC on 5 March is 6 March in Moscow: 10–13, 16–18 March (7–9 March are off)
    expect(generateChecklist(input({ arrivedAt: new Date('2026-03-05T22:30:00Z'), stayEndsOn: '2026-03-31' })).find((i) => i.code === 'migration_registration')).toMatchObject({
      dueOn: '2026-03-18',
      provisional: false,
    });
    const newYear = generateChecklist(input({ arrivedAt: new Date('2026-12-29T09:00:00Z'), stayEndsOn: '2027-06-30' }));
    expect(newYear.filter((i) => i.provisional).map((i) => [i.code, i.dueOn])).toEqual([['migration_registration', '2027-01-18']]);
  });

  it('FR, an adult staying more than 3 months: the visa validated within 3 months', () => {
    const paris = { country: 'FR', timeZone: 'Europe/Paris', stayEndsOn: '2027-06-30' };
    expect(generateChecklist(input({ ...paris, placedWithFamily: false })).find((i) => i.code === 'visa_validation')).toEqual({
      code: 'visa_validation',
      sequence: 1,
      dueOn: '2026-12-01',
      responsible: 'host_school',
      provisional: false,
    });
    expect(generateChecklist(input(paris)).find((i) => i.code === 'visa_validation')?.responsible).toBe('host_family');
    // 30 November + 3 months is the last day of February
    expect(generateChecklist(input({ ...paris, arrivedAt: new Date('2026-11-30T12:00:00Z') })).find((i) => i.code === 'visa_validation')?.dueOn).toBe('2027-02-28');
  });

  it('FR: no visa validation for a stay of 3 months or less, nor for a minor', () => {
    const paris = { country: 'FR', timeZone: 'Europe/Paris' };
    expect(codes(input({ ...paris, stayEndsOn: '2026-12-01' }))).toEqual(['host_family_welcome_check', 'orientation', 'welfare_check']);
    expect(codes(input({ ...paris, stayEndsOn: '2026-12-02' }))).toContain('visa_validation');
    expect(codes(input({ ...paris, studentIsAdult: false }))).not.toContain('visa_validation');
  });

  it('FR: 22:30 UTC on 5 March is still 5 March in Paris', () => {
    expect(generateChecklist(input({ country: 'FR', timeZone: 'Europe/Paris', arrivedAt: new Date('2026-03-05T22:30:00Z'), stayEndsOn: '2026-03-31' })).find((i) => i.code === 'orientation')?.dueOn).toBe('2026-03-12');
  });

  it('DE: the address registration within 14 days, by the family when placed with one, else the host school', () => {
    const berlin = { country: 'DE', timeZone: 'Europe/Berlin', stayEndsOn: '2026-09-20' };
    expect(summary(input(berlin))).toEqual(['host_family_welcome_check@2026-09-04 host_school', 'orientation@2026-09-08 host_family', 'address_registration@2026-09-15 host_family']);
    expect(summary(input({ ...berlin, placedWithFamily: false }))).toEqual(['orientation@2026-09-08 host_school', 'address_registration@2026-09-15 host_school']);
  });

  it('another country: only the items of every country; the country code in any case', () => {
    expect(codes(input({ country: 'IT', timeZone: 'Europe/Rome' }))).toEqual(['host_family_welcome_check', 'orientation', 'welfare_check']);
    expect(codes(input({ country: 'IT', timeZone: 'Europe/Rome', placedWithFamily: false }))).toEqual(['orientation', 'welfare_check']);
    expect(codes(input({ country: 'ru' }))).toContain('migration_registration');
  });

  it('a welfare check every 30 days while it falls within the stay: 3 for a 95-day stay, none under 31 days', () => {
    const welfare = (stayEndsOn: string) => generateChecklist(input({ country: 'IT', stayEndsOn })).filter((i) => i.code === 'welfare_check');
    expect(stayDays('2026-09-01', '2026-12-04')).toBe(95);
    expect(welfare('2026-12-04').map((i) => [i.sequence, i.dueOn])).toEqual([[1, '2026-10-01'], [2, '2026-10-31'], [3, '2026-11-30']]);
    expect(welfare('2026-09-30')).toEqual([]);
    expect(welfare('2026-10-01')).toHaveLength(1); // due on the last day of the stay
    expect(welfare('2026-09-01')).toEqual([]); // a one-day stay
  });

  it('only Russian items can be provisional', () => {
    for (const country of ['FR', 'DE', 'IT']) {
      expect(generateChecklist(input({ country, arrivedAt: new Date('2027-12-20T09:00:00Z'), stayEndsOn: '2028-12-31' })).filter((i) => i.provisional)).toEqual([]);
    }
  });

  it('refuses a stay that ends before the arrival date', () => {
    expect(() => generateChecklist(input({ stayEndsOn: '2026-08-31' }))).toThrow(RangeError);
  });

  it('every code has a title in English, French and Russian', () => {
    for (const code of CHECKLIST_CODES) {
      expect(Object.keys(CHECKLIST_TITLES[code]).sort()).toEqual(['en', 'fr', 'ru']);
      expect(Object.values(CHECKLIST_TITLES[code]).every((title) => title.trim().length > 0)).toBe(true);
    }
    expect(CHECKLIST_TITLES.migration_registration).toEqual({ en: 'Migration registration', fr: 'Enregistrement migratoire', ru: 'Миграционный учёт' });
  });

  it('overdue: past the due date in the institution’s calendar and not completed', () => {
    const item = { dueOn: '2026-09-10', completedAt: null };
    expect(isOverdue(item, '2026-09-10')).toBe(false);
    expect(isOverdue(item, '2026-09-11')).toBe(true);
    expect(isOverdue({ ...item, completedAt: new Date('2026-09-12T10:00:00Z') }, '2026-09-20')).toBe(false);
    expect(isOverdue({ dueOn: '2026-09-10' }, '2026-09-11')).toBe(true);
  });
});
