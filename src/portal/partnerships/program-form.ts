import type { ProgramView } from '../../programs/dto/program.dto.js';
import type { FieldErrors } from '../page.js';
import { field } from '../page.js';
import { fieldList, integerOrRaw, orUndefined } from './form-values.js';
import { instantToLocal, localToInstant } from '../zoned-time.js';

/** The programme form as typed; the application window in `datetime-local` values of the page's zone. */
export interface ProgramForm {
  agreementId: string;
  title: string;
  description: string;
  sendingInstitutionId: string;
  receivingInstitutionId: string;
  academicYear: string;
  startsOn: string;
  endsOn: string;
  applicationOpensAt: string;
  applicationClosesAt: string;
  seats: string;
  language: string;
  minLevel: string;
  requiredDocuments: string[];
  accommodation: string;
  requiresLearningAgreement: boolean;
}

/** The terms a coordinator may change after creation (the agreement and the two sides are fixed). */
const TERMS = ['title', 'description', 'academicYear', 'startsOn', 'endsOn', 'applicationOpensAt', 'applicationClosesAt', 'seats', 'language', 'minLevel', 'requiredDocuments', 'accommodation', 'requiresLearningAgreement'] as const;

export function programFormOf(body: unknown): ProgramForm {
  const text = (name: string) => (field(body, name) ?? '').trim();
  return {
    agreementId: text('agreementId'),
    title: field(body, 'title') ?? '',
    description: field(body, 'description') ?? '',
    sendingInstitutionId: text('sendingInstitutionId'),
    receivingInstitutionId: text('receivingInstitutionId'),
    academicYear: text('academicYear'),
    startsOn: text('startsOn'),
    endsOn: text('endsOn'),
    applicationOpensAt: text('applicationOpensAt'),
    applicationClosesAt: text('applicationClosesAt'),
    seats: text('seats'),
    language: text('languageRequirement.language'),
    minLevel: text('languageRequirement.minLevel'),
    requiredDocuments: fieldList(body, 'requiredDocuments'),
    accommodation: text('accommodation'),
    requiresLearningAgreement: field(body, 'requiresLearningAgreement') === 'true',
  };
}

export function emptyProgramForm(defaults: Partial<ProgramForm> = {}): ProgramForm {
  return {
    agreementId: '',
    title: '',
    description: '',
    sendingInstitutionId: '',
    receivingInstitutionId: '',
    academicYear: '',
    startsOn: '',
    endsOn: '',
    applicationOpensAt: '',
    applicationClosesAt: '',
    seats: '',
    language: '',
    minLevel: '',
    requiredDocuments: [],
    accommodation: 'none',
    requiresLearningAgreement: false,
    ...defaults,
  };
}

/** The form of an existing programme, its window read on the clocks of `zone`. */
export function programFormFrom(program: ProgramView, zone: string): ProgramForm {
  return {
    agreementId: program.agreementId,
    title: program.title,
    description: program.description,
    sendingInstitutionId: program.sendingInstitutionId,
    receivingInstitutionId: program.receivingInstitutionId,
    academicYear: program.academicYear,
    startsOn: program.startsOn,
    endsOn: program.endsOn,
    applicationOpensAt: instantToLocal(program.applicationOpensAt, zone),
    applicationClosesAt: instantToLocal(program.applicationClosesAt, zone),
    seats: String(program.seats),
    language: program.languageRequirement?.language ?? '',
    minLevel: program.languageRequirement?.minLevel ?? '',
    requiredDocuments: [...program.requiredDocuments],
    accommodation: program.accommodation,
    requiresLearningAgreement: program.requiresLearningAgreement,
  };
}

/**
 * The terms named, as the DTO takes them. An input left empty is a field left out on
 * creation (the DTO says "is required"); on an edit (`keepBlank`) it is sent empty, so that
 * emptying a field is refused rather than silently keeping the old value.
 */
function termFields(form: ProgramForm, zone: string, names: readonly (typeof TERMS)[number][], keepBlank: boolean, clearsLanguage: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const has = (name: (typeof TERMS)[number]) => names.includes(name);
  const text = (value: string) => (keepBlank ? value.trim() : orUndefined(value));
  // A `datetime-local` value as an instant of `zone`; one that is none is passed on for the DTO to refuse.
  const instant = (local: string) => localToInstant(local, zone) ?? text(local);
  if (has('title')) fields.title = form.title;
  if (has('description')) fields.description = form.description;
  if (has('academicYear')) fields.academicYear = text(form.academicYear);
  if (has('startsOn')) fields.startsOn = text(form.startsOn);
  if (has('endsOn')) fields.endsOn = text(form.endsOn);
  if (has('applicationOpensAt')) fields.applicationOpensAt = instant(form.applicationOpensAt);
  if (has('applicationClosesAt')) fields.applicationClosesAt = instant(form.applicationClosesAt);
  if (has('seats')) fields.seats = integerOrRaw(form.seats) ?? text(form.seats);
  if (has('language') || has('minLevel')) {
    // Neither given: no requirement (on an edit, the one there was is removed).
    if (form.language || form.minLevel) fields.languageRequirement = { language: orUndefined(form.language.toLowerCase()), minLevel: orUndefined(form.minLevel) };
    else if (clearsLanguage) fields.languageRequirement = null;
  }
  if (has('requiredDocuments')) fields.requiredDocuments = form.requiredDocuments;
  if (has('accommodation')) fields.accommodation = orUndefined(form.accommodation);
  if (has('requiresLearningAgreement')) fields.requiresLearningAgreement = form.requiresLearningAgreement;
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/** The fields of the API's create DTO. */
export function createProgramFields(form: ProgramForm, zone: string): Record<string, unknown> {
  return {
    agreementId: orUndefined(form.agreementId),
    sendingInstitutionId: orUndefined(form.sendingInstitutionId),
    receivingInstitutionId: orUndefined(form.receivingInstitutionId),
    ...termFields(form, zone, TERMS, false, false),
  };
}

/**
 * The fields of the API's update DTO: only what the user changed, as a PATCH would send
 * it (a window re-read at minute precision is no change, a rule the API applies to
 * changed fields only is not applied to untouched ones).
 */
export function updateProgramFields(form: ProgramForm, current: ProgramForm, zone: string): Record<string, unknown> {
  const same = (name: (typeof TERMS)[number]) => {
    const a = form[name];
    const b = current[name];
    return Array.isArray(a) && Array.isArray(b) ? [...a].sort().join() === [...b].sort().join() : a === b;
  };
  const changed = TERMS.filter((name) => !same(name));
  return termFields(form, zone, changed, true, current.language !== '' || current.minLevel !== '');
}

/** The DTO's field errors under the names of the form's inputs (`languageRequirement.language`, `requiredDocuments`). */
export function programFormErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [name, message] of Object.entries(errors)) {
    const key = name.startsWith('requiredDocuments') ? 'requiredDocuments' : name;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}
