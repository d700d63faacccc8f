/**
 * Applications driven through the HTTP API as their users drive them: the student creates
 * a draft, uploads the programme's required documents and submits; the sending coordinator
 * nominates; the receiving coordinator accepts; and so on down the lifecycle. Each helper
 * fails loudly when a step does not answer as expected, so a test reads as its scenario.
 */
import type { ApiResponse } from './api.js';
import type { TestApp } from './app.js';
import { newUser, login, type Session } from './factories.js';

/** The smallest content that is sniffed as a PDF. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** What a helper needs of a programme. */
export interface ProgramRef {
  id: string;
  requiredDocuments?: string[];
  requiresLearningAgreement?: boolean;
}

/** The coordinators of the two sides of a programme. */
export interface Sides {
  sending: Session;
  receiving: Session;
}

function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
}

/** `n` students of that home institution, signed in (in parallel). */
export async function newStudents(t: TestApp, institutionId: string, n: number): Promise<Session[]> {
  const users = await Promise.all(Array.from({ length: n }, () => newUser(t.dataSource, { role: 'student', institutionId })));
  return Promise.all(users.map(async (user) => ({ ...(await login(t.api, user)), user })));
}

/** Multipart upload of a document of that type (a tiny PDF unless told otherwise). */
export async function uploadDocument(
  t: TestApp,
  who: Session,
  applicationId: string,
  type: string,
  file: { content?: Uint8Array; fileName?: string; mediaType?: string } = {},
): Promise<ApiResponse> {
  const form = new FormData();
  form.append('type', type);
  form.append('file', new Blob([file.content ?? TINY_PDF], { type: file.mediaType ?? 'application/pdf' }), file.fileName ?? `${type}.pdf`);
  const response = await fetch(`${t.baseUrl}/api/v1/applications/${applicationId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${who.token}` }, body: form });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text, text };
}

/** POST /applications/{id}/{name}, expecting 200; returns the application. */
export async function transition(t: TestApp, who: Session, applicationId: string, name: string, body: Record<string, unknown> = {}) {
  const response = await t.api.post(`/applications/${applicationId}/${name}`, body, { token: who.token });
  expectStatus(response, 200, `${name} ${applicationId}`);
  return response.body;
}

/** A draft application of the student to the programme. */
export async function draftApplication(t: TestApp, student: Session, program: ProgramRef | string, fields: Record<string, unknown> = {}) {
  const programId = typeof program === 'string' ? program : program.id;
  const response = await t.api.post('/applications', { programId, ...fields }, { token: student.token });
  expectStatus(response, 201, `POST /applications for ${programId}`);
  return response.body;
}

/** Draft, the programme's required documents uploaded, submitted. */
export async function submittedApplication(t: TestApp, student: Session, program: ProgramRef, fields: Record<string, unknown> = {}) {
  const draft = await draftApplication(t, student, program, fields);
  for (const type of program.requiredDocuments ?? []) expectStatus(await uploadDocument(t, student, draft.id, type), 201, `upload ${type}`);
  return transition(t, student, draft.id, 'submit');
}

export async function nominatedApplication(t: TestApp, student: Session, program: ProgramRef, sides: Sides, fields: Record<string, unknown> = {}) {
  const submitted = await submittedApplication(t, student, program, fields);
  return transition(t, sides.sending, submitted.id, 'nominate');
}

export async function acceptedApplication(t: TestApp, student: Session, program: ProgramRef, sides: Sides, fields: Record<string, unknown> = {}) {
  const nominated = await nominatedApplication(t, student, program, sides, fields);
  return transition(t, sides.receiving, nominated.id, 'accept');
}

/** A learning agreement written by the student and signed by the three parties: approved. */
export async function approvedLearningAgreement(t: TestApp, student: Session, applicationId: string, sides: Sides) {
  const body = {
    components: [{ code: 'ECO-301', title: 'Public economics', credits: 6, term: 'autumn' }],
    recognizedComponents: [{ code: 'ECO-3', title: 'Economics III', credits: 6, term: 'autumn' }],
  };
  expectStatus(await t.api.put(`/applications/${applicationId}/learning-agreement`, body, { token: student.token }), 200, 'PUT learning agreement');
  let last: ApiResponse | undefined;
  for (const who of [student, sides.sending, sides.receiving]) {
    last = await t.api.post(`/applications/${applicationId}/learning-agreement/sign`, {}, { token: who.token });
    expectStatus(last, 200, 'sign learning agreement');
  }
  if (last!.body.status !== 'approved') throw new Error(`learning agreement not approved: ${last!.text}`);
  return last!.body;
}

/** Accepted and confirmed by the student (the learning agreement approved first when the programme needs one). */
export async function confirmedApplication(t: TestApp, student: Session, program: ProgramRef, sides: Sides, fields: Record<string, unknown> = {}) {
  const accepted = await acceptedApplication(t, student, program, sides, fields);
  if (program.requiresLearningAgreement) await approvedLearningAgreement(t, student, accepted.id, sides);
  return transition(t, student, accepted.id, 'confirm');
}

/**
 * Time travel for check-in: the programmes of the factories start next year (their
 * application windows must be ahead), and a student checks in only within the days of
 * arrival (from 30 days before the stay). This moves the programme's first day to today
 * at the latest; the rest of it is unchanged.
 */
export async function stayBegun(t: TestApp, programId: string): Promise<void> {
  await t.dataSource.query('UPDATE programs SET starts_on = LEAST(starts_on, current_date) WHERE id = $1', [programId]);
}

/**
 * Time travel of a whole stay: the programme's first and last days set in the database,
 * e.g. to a stay in the past, so that a check-in at a fixed date (and its checklist's due
 * dates) can be written out by hand.
 */
export async function stayDates(t: TestApp, programId: string, stay: { startsOn: string; endsOn: string }): Promise<void> {
  await t.dataSource.query('UPDATE programs SET starts_on = $2, ends_on = $3 WHERE id = $1', [programId, stay.startsOn, stay.endsOn]);
}

export async function arrivedApplication(t: TestApp, student: Session, program: ProgramRef, sides: Sides, fields: Record<string, unknown> = {}) {
  const confirmed = await confirmedApplication(t, student, program, sides, fields);
  await stayBegun(t, program.id);
  return transition(t, sides.receiving, confirmed.id, 'check-in');
}
