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

/** The offset of `timeZone` at that instant, in minutes east of UTC. */
export function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A wall-clock time typed in a `datetime-local` input (`2027-09-01T14:35`), read in the
 * receiving institution's zone, as an instant with that zone's offset then
 * (`2027-09-01T14:35:00+03:00`). Anything else is returned as typed, for the DTO to judge.
 */
export function localToInstant(local: string, timeZone: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return local.trim();
  const [, y, mo, d, h, mi, s = '00'] = match;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // The offset at the instant meant: read once at the wall-clock time taken as UTC, then again where that leads (zone changes).
  let offset = offsetMinutes(timeZone, new Date(asUtc));
  offset = offsetMinutes(timeZone, new Date(asUtc - offset * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the wall-clock time of `timeZone`, for a `datetime-local` input (`2027-09-01T14:35`). */
export function instantToLocal(instant: string | null | undefined, timeZone: string): string {
  if (!instant) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

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
      arrivalAt: values.arrivalAt ? localToInstant(values.arrivalAt, timeZone) : undefined,
      transportMode: values.transportMode || undefined,
      reference: text(body, 'reference'),
      arrivalPoint: text(body, 'arrivalPoint'),
      needsPickup: values.needsPickup,
    },
    values,
  };
}
