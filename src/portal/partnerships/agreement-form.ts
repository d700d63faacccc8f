import type { AgreementView } from '../../agreements/dto/agreement.dto.js';
import type { FieldErrors } from '../page.js';
import { field } from '../page.js';
import { integerOrRaw, orUndefined } from './form-values.js';

/** Partner selects on the form: the caller's institution (or, for an admin, a first partner) and one or two more. */
export const PARTNER_SLOTS = 3;
/** The API's limit of partners per agreement. */
const MAX_PARTNERS = 20;
/** Quota rows offered on an empty form: both directions of a trilateral agreement for one year, or a bilateral one for three. */
export const MIN_QUOTA_ROWS = 6;

export interface QuotaRow {
  fromInstitutionId: string;
  toInstitutionId: string;
  academicYear: string;
  seats: string;
}

/** The agreement form as typed (every value a string), to show it again. */
export interface AgreementForm {
  title: string;
  partners: string[];
  startsOn: string;
  endsOn: string;
  quotas: QuotaRow[];
}

const QUOTA_FIELDS = ['fromInstitutionId', 'toInstitutionId', 'academicYear', 'seats'] as const;

/** The rows of the form, at least MIN_QUOTA_ROWS and two empty ones after the last filled. */
function padded(rows: QuotaRow[]): QuotaRow[] {
  const blank = (): QuotaRow => ({ fromInstitutionId: '', toInstitutionId: '', academicYear: '', seats: '' });
  const out = [...rows];
  const want = Math.max(MIN_QUOTA_ROWS, rows.length + 2);
  while (out.length < want) out.push(blank());
  return out;
}

/** Names of the quota row inputs: `quotas[2].seats`. */
export const quotaInput = (row: number, name: (typeof QUOTA_FIELDS)[number]) => `quotas[${row}].${name}`;

/** The posted form. `ownInstitutionId`: a coordinator's institution, always the first partner. */
export function agreementFormOf(body: unknown, ownInstitutionId: string | null): AgreementForm {
  const keys = Object.keys((body as Record<string, unknown> | null) ?? {});
  // As many selects as the form had (an agreement may have more partners than a new one's three).
  const slots = Math.min(MAX_PARTNERS, Math.max(PARTNER_SLOTS, 1 + Math.max(-1, ...keys.map((key) => /^partner(\d{1,2})$/.exec(key)).filter((m) => m !== null).map((m) => Number(m![1])))));
  const partners = Array.from({ length: slots }, (_, slot) => (slot === 0 && ownInstitutionId ? ownInstitutionId : (field(body, `partner${slot}`) ?? '').trim()));
  const rowCount = Math.min(200, 1 + Math.max(-1, ...keys.map((key) => /^quotas\[(\d{1,3})\]\./.exec(key)).filter((m) => m !== null).map((m) => Number(m![1]))));
  const quotas = Array.from({ length: rowCount }, (_, row) => {
    const values = Object.fromEntries(QUOTA_FIELDS.map((name) => [name, (field(body, quotaInput(row, name)) ?? '').trim()])) as unknown as QuotaRow;
    return values;
  });
  return {
    title: field(body, 'title') ?? '',
    partners,
    startsOn: (field(body, 'startsOn') ?? '').trim(),
    endsOn: (field(body, 'endsOn') ?? '').trim(),
    quotas: padded(quotas),
  };
}

/** An empty form: the caller's institution first. */
export function emptyAgreementForm(ownInstitutionId: string | null): AgreementForm {
  return { title: '', partners: Array.from({ length: PARTNER_SLOTS }, (_, slot) => (slot === 0 && ownInstitutionId ? ownInstitutionId : '')), startsOn: '', endsOn: '', quotas: padded([]) };
}

/** The form of an existing agreement: a coordinator's own institution first, the others in their order. */
export function agreementFormFrom(agreement: AgreementView, ownInstitutionId: string | null): AgreementForm {
  const ids = agreement.partnerInstitutionIds;
  const ordered = ownInstitutionId && ids.includes(ownInstitutionId) ? [ownInstitutionId, ...ids.filter((id) => id !== ownInstitutionId)] : [...ids];
  const partners = Array.from({ length: Math.max(PARTNER_SLOTS, ordered.length) }, (_, slot) => ordered[slot] ?? '');
  return {
    title: agreement.title,
    partners,
    startsOn: agreement.startsOn,
    endsOn: agreement.endsOn,
    quotas: padded(agreement.quotas.map((q) => ({ fromInstitutionId: q.fromInstitutionId, toInstitutionId: q.toInstitutionId, academicYear: q.academicYear, seats: String(q.seats) }))),
  };
}

/**
 * The fields of the API's create DTO from the form, and where each list item came from:
 * empty partner selects and empty quota rows are left out, so `partnerInstitutionIds[1]` or
 * `quotas[0]` of the DTO may be another slot or row of the form.
 */
export function agreementFields(form: AgreementForm): { fields: Record<string, unknown>; partnerSlots: number[]; quotaRows: number[] } {
  const partnerSlots = form.partners.map((id, slot) => (id ? slot : -1)).filter((slot) => slot >= 0);
  const quotaRows = form.quotas.map((q, row) => (QUOTA_FIELDS.some((name) => q[name] !== '') ? row : -1)).filter((row) => row >= 0);
  return {
    fields: {
      title: form.title,
      partnerInstitutionIds: partnerSlots.map((slot) => form.partners[slot]),
      startsOn: orUndefined(form.startsOn),
      endsOn: orUndefined(form.endsOn),
      quotas: quotaRows.map((row) => {
        const q = form.quotas[row];
        return { fromInstitutionId: orUndefined(q.fromInstitutionId), toInstitutionId: orUndefined(q.toInstitutionId), academicYear: orUndefined(q.academicYear), seats: integerOrRaw(q.seats) };
      }),
    },
    partnerSlots,
    quotaRows,
  };
}

/**
 * The DTO's field errors under the names of the form's inputs: `partnerInstitutionIds[1]`
 * → the select it came from, `quotas[0].seats` → the row it came from. Errors on a whole
 * list (`partnerInstitutionIds`, `quotas`) and a whole row (`quotas[2]`) keep their names.
 */
export function agreementFormErrors(errors: FieldErrors, partnerSlots: number[], quotaRows: number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [name, message] of Object.entries(errors)) {
    let key = name;
    const partner = /^partnerInstitutionIds\[(\d+)\]$/.exec(name);
    const quota = /^quotas\[(\d+)\](.*)$/.exec(name);
    if (partner) key = partnerSlots[Number(partner[1])] !== undefined ? `partner${partnerSlots[Number(partner[1])]}` : 'partnerInstitutionIds';
    else if (quota) key = quotaRows[Number(quota[1])] !== undefined ? `quotas[${quotaRows[Number(quota[1])]}]${quota[2]}` : 'quotas';
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}
