/**
 * Factories for agreements and programmes, made through the HTTP API as their users would
 * make them: a coordinator proposes, every partner's coordinator approves, a coordinator
 * opens a programme. Dates are relative to today, so the tests do not age.
 */
import { randomBytes } from 'node:crypto';
import type { ApiResponse } from './api.js';
import type { TestApp } from './app.js';
import { newInstitution, signedIn, type Session } from './factories.js';

const unique = () => randomBytes(4).toString('hex');

/** Next calendar year: the programmes' academic year starts then, so their windows are always ahead. */
export const YEAR = new Date().getUTCFullYear() + 1;
export const ACADEMIC_YEAR = `${YEAR}/${YEAR + 1}`;
export const NEXT_ACADEMIC_YEAR = `${YEAR + 1}/${YEAR + 2}`;
/** The agreements' term: from last January to four years ahead. */
export const AGREEMENT_STARTS_ON = `${YEAR - 1}-01-01`;
export const AGREEMENT_ENDS_ON = `${YEAR + 4}-12-31`;

const DAY = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** An institution with a signed-in coordinator. */
export interface Partner {
  institutionId: string;
  coordinator: Session;
}

export interface QuotaBody {
  fromInstitutionId: string;
  toInstitutionId: string;
  academicYear: string;
  seats: number;
}

export async function newPartner(t: TestApp, overrides: Parameters<typeof newInstitution>[1] = {}): Promise<Partner> {
  const institution = await newInstitution(t.dataSource, { name: `Partner ${unique()}`, ...overrides });
  const coordinator = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: institution.id });
  return { institutionId: institution.id, coordinator };
}

export const quota = (fromInstitutionId: string, toInstitutionId: string, seats: number, academicYear = ACADEMIC_YEAR): QuotaBody => ({
  fromInstitutionId,
  toInstitutionId,
  academicYear,
  seats,
});

/** Every direction between the partners, `seats` each, in the given academic year. */
export function quotasBothWays(partnerIds: string[], seats: number, academicYear = ACADEMIC_YEAR): QuotaBody[] {
  return partnerIds.flatMap((from) => partnerIds.filter((to) => to !== from).map((to) => quota(from, to, seats, academicYear)));
}

export function agreementBody(partnerInstitutionIds: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Agreement ${unique()}`,
    partnerInstitutionIds,
    startsOn: AGREEMENT_STARTS_ON,
    endsOn: AGREEMENT_ENDS_ON,
    quotas: quotasBothWays(partnerInstitutionIds, 10),
    ...overrides,
  };
}

function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
}

/** A draft agreement proposed by `by` (default: the first partner's coordinator). */
export async function draftAgreement(t: TestApp, options: { partners: Partner[]; quotas?: QuotaBody[]; by?: Session; body?: Record<string, unknown> }) {
  const ids = options.partners.map((p) => p.institutionId);
  const body = agreementBody(ids, { ...(options.quotas ? { quotas: options.quotas } : {}), ...options.body });
  const response = await t.api.post('/agreements', body, { token: (options.by ?? options.partners[0].coordinator).token });
  expectStatus(response, 201, 'POST /agreements');
  return response.body;
}

/** An agreement created through the API and approved by every partner's coordinator: `active`. */
export async function activeAgreement(t: TestApp, options: { partners: Partner[]; quotas?: QuotaBody[]; by?: Session; body?: Record<string, unknown> }) {
  const draft = await draftAgreement(t, options);
  let last: ApiResponse | undefined;
  for (const partner of options.partners) {
    last = await t.api.post(`/agreements/${draft.id}/approve`, {}, { token: partner.coordinator.token });
    expectStatus(last, 200, `approve by ${partner.institutionId}`);
  }
  if (last!.body.status !== 'active') throw new Error(`agreement not active after every approval: ${last!.text}`);
  return last!.body;
}

/** A valid programme body from `from` to `to` under the agreement: next academic year, window open now. */
export function programBody(agreementId: string, from: string, to: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agreementId,
    title: `Programme ${unique()}`,
    description: 'A semester abroad.',
    sendingInstitutionId: from,
    receivingInstitutionId: to,
    academicYear: ACADEMIC_YEAR,
    startsOn: `${YEAR}-09-01`,
    endsOn: `${YEAR + 1}-01-31`,
    applicationOpensAt: daysFromNow(-1),
    applicationClosesAt: `${YEAR}-06-30T21:59:59Z`,
    seats: 1,
    languageRequirement: { language: 'fr', minLevel: 'B1' },
    requiredDocuments: ['transcript', 'passport'],
    accommodation: 'host_family',
    requiresLearningAgreement: true,
    ...overrides,
  };
}

/** A draft programme created by `by`. */
export async function newProgram(t: TestApp, by: Session, agreementId: string, from: string, to: string, overrides: Record<string, unknown> = {}) {
  const response = await t.api.post('/programs', programBody(agreementId, from, to, overrides), { token: by.token });
  expectStatus(response, 201, 'POST /programs');
  return response.body;
}

/** A published programme (window open now unless overridden). */
export async function publishedProgram(t: TestApp, by: Session, agreementId: string, from: string, to: string, overrides: Record<string, unknown> = {}) {
  const program = await newProgram(t, by, agreementId, from, to, overrides);
  const response = await t.api.post(`/programs/${program.id}/publish`, {}, { token: by.token });
  expectStatus(response, 200, 'publish');
  return response.body;
}
