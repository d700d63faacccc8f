/**
 * The student's forms as the API's DTOs read them, and back: presentation only. A form's
 * fields become the body the API's route would receive (rows of repeated inputs become
 * lists, a checkbox a boolean, an empty input "not given"), and the page then runs that body
 * through the route's own DTO and validation pipe (PortalPages.validate): nothing here
 * decides what is valid. Field names follow the DTO's error paths (`languageLevels[0].level`)
 * so that each error is shown next to its input.
 */
import type { ApplicationView } from '../../applications/dto/application.dto.js';
import type { LearningAgreementView } from '../../learning-agreements/dto/learning-agreement.dto.js';
import { field } from '../page.js';
import { instantToLocal, localToOffsetTime } from '../zoned-time.js';

/** Blank rows offered after the filled ones (the forms work without script). */
export const BLANK_ROWS = 2;

/** A text input as typed (trimmed); undefined when left empty, so that a required field reads "is required". */
function text(body: unknown, name: string): string | undefined {
  const value = field(body, name)?.trim();
  return value ? value : undefined;
}

/** A list typed into one input, separated by commas (or semicolons, or lines). */
export function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The indexes of the rows the form sent (`prefix[3].name`), in order. */
function rowIndexes(body: unknown, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix.replace(/[[\]]/g, '\\$&')}\\[(\\d{1,2})\\]\\.`);
  const indexes = new Set<number>();
  for (const key of Object.keys((body as Record<string, unknown> | null) ?? {})) {
    const match = pattern.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

/** The filled rows of a repeated group of inputs, blank rows left out, in the order shown. */
function rowsOf<K extends string>(body: unknown, prefix: string, names: readonly K[]): Record<K, string>[] {
  const rows: Record<K, string>[] = [];
  for (const i of rowIndexes(body, prefix)) {
    const row = Object.fromEntries(names.map((name) => [name, field(body, `${prefix}[${i}].${name}`)?.trim() ?? ''])) as Record<K, string>;
    if (names.some((name) => row[name] !== '')) rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// The application's draft

/** What the draft form shows: its values as typed. */
export interface DraftValues {
  motivation: string;
  languageLevels: { language: string; level: string }[];
  dateOfBirth: string;
  gender: string;
  profile: { languages: string; diet: string; allergies: string; smoker: boolean; notes: string } | null;
}

export function draftValuesOf(application: ApplicationView, withProfile: boolean): DraftValues {
  const profile = application.matchingProfile;
  return {
    motivation: application.motivation ?? '',
    languageLevels: (application.languageLevels ?? []).map(({ language, level }) => ({ language, level })),
    dateOfBirth: application.dateOfBirth ?? '',
    gender: application.gender ?? '',
    profile: withProfile
      ? {
          languages: (profile?.languages ?? []).join(', '),
          diet: (profile?.diet ?? []).join(', '),
          allergies: (profile?.allergies ?? []).join(', '),
          smoker: profile?.smoker ?? false,
          notes: profile?.notes ?? '',
        }
      : null,
  };
}

/**
 * The draft form → the body of `PATCH /applications/{id}` (ApplicationFieldsDto): an empty
 * date of birth or gender clears it; the matching profile only on a host-family programme.
 */
export function draftFormOf(body: unknown, withProfile: boolean): { input: Record<string, unknown>; values: DraftValues } {
  const languageLevels = rowsOf(body, 'languageLevels', ['language', 'level'] as const);
  const values: DraftValues = {
    motivation: field(body, 'motivation') ?? '',
    languageLevels,
    dateOfBirth: field(body, 'dateOfBirth')?.trim() ?? '',
    gender: field(body, 'gender') ?? '',
    profile: withProfile
      ? {
          languages: field(body, 'matchingProfile.languages') ?? '',
          diet: field(body, 'matchingProfile.diet') ?? '',
          allergies: field(body, 'matchingProfile.allergies') ?? '',
          smoker: field(body, 'matchingProfile.smoker') === 'true',
          notes: field(body, 'matchingProfile.notes') ?? '',
        }
      : null,
  };
  const input: Record<string, unknown> = {
    motivation: values.motivation,
    // A row half filled is sent as it is: the DTO names the missing half.
    languageLevels: languageLevels.map(({ language, level }) => ({ language, level })),
    dateOfBirth: values.dateOfBirth || null,
    gender: values.gender || null,
  };
  if (values.profile) {
    input.matchingProfile = {
      languages: listOf(values.profile.languages),
      diet: listOf(values.profile.diet),
      allergies: listOf(values.profile.allergies),
      smoker: values.profile.smoker,
      notes: values.profile.notes,
    };
  }
  return { input, values };
}

// ---------------------------------------------------------------------------------------
// The learning agreement

export interface ComponentValues {
  code: string;
  title: string;
  credits: string;
  term: string;
}

export interface AgreementValues {
  components: ComponentValues[];
  recognizedComponents: ComponentValues[];
}

const COMPONENT_FIELDS = ['code', 'title', 'credits', 'term'] as const;

export function agreementValuesOf(agreement: LearningAgreementView | null): AgreementValues {
  const rows = (list: LearningAgreementView['components'] | undefined) => (list ?? []).map((c) => ({ code: c.code, title: c.title, credits: String(c.credits), term: c.term }));
  return { components: rows(agreement?.components), recognizedComponents: rows(agreement?.recognizedComponents) };
}

/** A credits input: a number when it reads as one, as typed otherwise (the DTO says what is wrong), not given when empty. */
function creditsOf(value: string): number | string | undefined {
  if (value === '') return undefined;
  const number = Number(value.replace(',', '.'));
  return Number.isFinite(number) ? number : value;
}

/** The learning agreement form → the body of `PUT /applications/{id}/learning-agreement`. */
export function agreementFormOf(body: unknown): { input: Record<string, unknown>; values: AgreementValues } {
  const values: AgreementValues = {
    components: rowsOf(body, 'components', COMPONENT_FIELDS),
    recognizedComponents: rowsOf(body, 'recognizedComponents', COMPONENT_FIELDS),
  };
  const component = (row: ComponentValues) => ({ code: row.code || undefined, title: row.title || undefined, credits: creditsOf(row.credits), term: row.term || undefined });
  return { input: { components: values.components.map(component), recognizedComponents: values.recognizedComponents.map(component) }, values };
}

// ---------------------------------------------------------------------------------------
// Travel details and time zones

export interface TravelValues {
  arrivalAt: string;
  transportMode: string;
  reference: string;
  arrivalPoint: string;
  needsPickup: boolean;
}

export function travelValuesOf(travel: ApplicationView['travel'], timeZone: string): TravelValues {
  return {
    arrivalAt: instantToLocal(travel?.arrivalAt, timeZone),
    transportMode: travel?.transportMode ?? '',
    reference: travel?.reference ?? '',
    arrivalPoint: travel?.arrivalPoint ?? '',
    needsPickup: travel?.needsPickup ?? false,
  };
}

/** The travel form → the body of `PUT /applications/{id}/travel`, the arrival read in the receiving institution's zone. */
export function travelFormOf(body: unknown, timeZone: string): { input: Record<string, unknown>; values: TravelValues } {
  const values: TravelValues = {
    arrivalAt: field(body, 'arrivalAt')?.trim() ?? '',
    transportMode: field(body, 'transportMode') ?? '',
    reference: field(body, 'reference') ?? '',
    arrivalPoint: field(body, 'arrivalPoint') ?? '',
    needsPickup: field(body, 'needsPickup') === 'true',
  };
  return {
    input: {
      arrivalAt: values.arrivalAt ? localToOffsetTime(values.arrivalAt, timeZone) : undefined,
      transportMode: values.transportMode || undefined,
      reference: text(body, 'reference'),
      arrivalPoint: text(body, 'arrivalPoint'),
      needsPickup: values.needsPickup,
    },
    values,
  };
}
