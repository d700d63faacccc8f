/**
 * The arrival checklist (SPEC §3): the items made at check-in from the receiving
 * institution's country, with their due dates in its timezone. Pure: the service stores
 * what this returns.
 */
import { daysBetween, type CalendarDate } from '../common/calendar.js';
import type { Text } from '../common/errors/define-errors.js';
import { addRussianWorkingDays, dueAfterDays, dueAfterMonths, localDate } from './deadlines.js';

export const CHECKLIST_CODES = [
  'migration_registration',
  'medical_exam_fingerprinting',
  'visa_validation',
  'address_registration',
  'orientation',
  'host_family_welcome_check',
  'welfare_check',
] as const;

export type ChecklistCode = (typeof CHECKLIST_CODES)[number];
export type Responsible = 'host_family' | 'host_school';

export interface ChecklistInput {
  /** ISO 3166-1 alpha-2 of the receiving institution */
  country: string;
  /** IANA timezone of the receiving institution */
  timeZone: string;
  arrivedAt: Date;
  /** the programme's last day */
  stayEndsOn: CalendarDate;
  studentIsAdult: boolean;
  placedWithFamily: boolean;
}

export interface GeneratedItem {
  code: ChecklistCode;
  /** 1 for a one-off item; the welfare checks are numbered 1, 2, … (code + sequence is unique) */
  sequence: number;
  dueOn: CalendarDate;
  responsible: Responsible;
  /** the due date counts days of a Russian year whose decree is not in the data (only RU items) */
  provisional: boolean;
}

/**
 * Who answers for each item. The rule: "the host family when the student is placed
 * with one (for migration registration: the housing provider), else the host school".
 * Read literally, that is every item, with two exceptions: the welcome check and the
 * welfare checks are the host school's look at how the student lives, a check on the
 * family, which the family cannot make of itself.
 */
const RESPONSIBLE: Record<ChecklistCode, 'family_if_placed' | 'host_school'> = {
  migration_registration: 'family_if_placed', // the housing provider registers the guest
  medical_exam_fingerprinting: 'family_if_placed',
  visa_validation: 'family_if_placed',
  address_registration: 'family_if_placed', // the Anmeldung needs the landlord's confirmation
  orientation: 'family_if_placed',
  host_family_welcome_check: 'host_school',
  welfare_check: 'host_school',
};

export const CHECKLIST_TITLES = {
  migration_registration: { en: 'Migration registration', fr: 'Enregistrement migratoire', ru: 'Миграционный учёт' },
  medical_exam_fingerprinting: { en: 'Medical examination and fingerprinting', fr: 'Examen médical et relevé d’empreintes digitales', ru: 'Медицинское освидетельствование и дактилоскопия' },
  visa_validation: { en: 'Visa validation online (VLS-TS)', fr: 'Validation en ligne du visa (VLS-TS)', ru: 'Онлайн-валидация визы (VLS-TS)' },
  address_registration: { en: 'Address registration (Anmeldung)', fr: 'Déclaration de domicile (Anmeldung)', ru: 'Регистрация по месту жительства (Anmeldung)' },
  orientation: { en: 'Orientation', fr: 'Séance d’accueil', ru: 'Ознакомительная встреча' },
  host_family_welcome_check: { en: 'Host family welcome check', fr: 'Point d’arrivée dans la famille d’accueil', ru: 'Проверка заселения в принимающую семью' },
  welfare_check: { en: 'Welfare check', fr: 'Point de suivi', ru: 'Проверка благополучия' },
} as const satisfies Record<ChecklistCode, Text>;

/** Days of the stay, the arrival date and the last day both counted: arriving on 1 March and leaving on 1 March is one day. */
export function stayDays(arrivedOn: CalendarDate, stayEndsOn: CalendarDate): number {
  return daysBetween(arrivedOn, stayEndsOn) + 1;
}

export function generateChecklist(input: ChecklistInput): GeneratedItem[] {
  const arrivedOn = localDate(input.arrivedAt, input.timeZone);
  const { stayEndsOn, placedWithFamily } = input;
  if (stayEndsOn < arrivedOn) throw new RangeError(`generateChecklist: the stay ends on ${stayEndsOn}, before the arrival on ${arrivedOn}`);

  const items: GeneratedItem[] = [];
  const add = (code: ChecklistCode, dueOn: CalendarDate, { provisional = false, sequence = 1 } = {}) =>
    items.push({ code, sequence, dueOn, responsible: RESPONSIBLE[code] === 'host_school' || !placedWithFamily ? 'host_school' : 'host_family', provisional });

  switch (input.country.toUpperCase()) {
    case 'RU': {
      // notice of arrival to the migration authority within 7 working days after the day of
      // arrival, weekends and public holidays not counted (data/ru-working-calendar.md)
      const { dueOn, provisional } = addRussianWorkingDays(arrivedOn, 7);
      add('migration_registration', dueOn, { provisional });
      // a foreigner staying more than 90 days is examined and fingerprinted within 90 days
      if (stayDays(arrivedOn, stayEndsOn) > 90) add('medical_exam_fingerprinting', dueAfterDays(arrivedOn, 90));
      break;
    }
    case 'FR':
      // the long-stay visa (VLS-TS) is validated online within 3 months of arrival; minors
      // and stays of 3 months or less do not need it
      if (input.studentIsAdult && stayEndsOn > dueAfterMonths(arrivedOn, 3)) add('visa_validation', dueAfterMonths(arrivedOn, 3));
      break;
    case 'DE':
      // Anmeldung at the Bürgeramt within two weeks of moving in (Bundesmeldegesetz § 17)
      add('address_registration', dueAfterDays(arrivedOn, 14));
      break;
  }

  add('orientation', dueAfterDays(arrivedOn, 7));
  if (placedWithFamily) add('host_family_welcome_check', dueAfterDays(arrivedOn, 3));
  // every 30 days of the stay, the last one due on or before its last day
  for (let sequence = 1; dueAfterDays(arrivedOn, 30 * sequence) <= stayEndsOn; sequence++) {
    add('welfare_check', dueAfterDays(arrivedOn, 30 * sequence), { sequence });
  }

  return items.sort((a, b) => compare(a.dueOn, b.dueOn) || compare(a.code, b.code) || a.sequence - b.sequence);
}

/** By code points, the same on every locale (ISO dates sort as strings). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Past due and not completed. `today` is the date in the receiving institution's timezone (`localDate(now, timeZone)`). */
export function isOverdue(item: { dueOn: CalendarDate; completedAt?: Date | string | null }, today: CalendarDate): boolean {
  return today > item.dueOn && !item.completedAt;
}
