/**
 * Helpers for the document and learning-agreement suites: sample files, multipart requests
 * through the global fetch, and a sending / receiving partnership whose applications are
 * driven through their lifecycle over HTTP only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiResponse } from './api.js';
import type { TestApp } from './app.js';
import { draftApplication, transition as takeTransition } from './applications.js';
import { signedIn, type Session } from './factories.js';
import { activeAgreement, newPartner, publishedProgram, quotasBothWays, type Partner } from './partnerships.js';
export { expectProblem } from './expect.js';

// ---------------------------------------------------------------------------------------
// Sample files

/** A tiny but real PDF. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    'xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n',
  'latin1',
);
/** The PNG signature, an IHDR chunk header and some bytes. */
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d4948445200000001000000010806000000', 'hex'), randomBytes(40)]);
/** A JPEG start-of-image + APP0 marker, some bytes, end-of-image. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), randomBytes(60), Buffer.from([0xff, 0xd9])]);
/** A PDF with distinct bytes (so that two uploads are told apart by their hash). */
export const pdfWith = (text: string) => Buffer.concat([PDF, Buffer.from(`% ${text}\n`, 'latin1')]);

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------
// Multipart requests

export type FormPart = { name: string; value: string } | { name: string; content: Uint8Array; fileName: string; contentType?: string };

/** A FormData with these parts in this order. */
export function formOf(parts: FormPart[]): FormData {
  const form = new FormData();
  for (const part of parts) {
    if ('value' in part) form.append(part.name, part.value);
    else form.append(part.name, new Blob([part.content], { type: part.contentType ?? 'application/octet-stream' }), part.fileName);
  }
  return form;
}

/** Sends a body (FormData or raw) with fetch and parses the answer like Api does. */
export async function send(t: TestApp, method: string, path: string, body: FormData | string | Uint8Array | undefined, token?: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const all: Record<string, string> = { ...headers };
  if (token) all.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(`/api/v1${path}`, t.baseUrl), { method, headers: all, body: body as string | undefined });
  const text = await response.text();
  let parsed: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * A multipart body written by hand (for what FormData would not send): each part's
 * Content-Disposition parameters as given.
 */
export function rawMultipart(parts: { disposition: string; contentType?: string; content: Uint8Array | string }[]): { body: Buffer; contentType: string } {
  const boundary = `----test${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; ${part.disposition}\r\n`;
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /applications/{id}/documents with these parts. */
export const uploadParts = (t: TestApp, token: string, applicationId: string, parts: FormPart[]) => send(t, 'POST', `/applications/${applicationId}/documents`, formOf(parts), token);

/** POST /applications/{id}/documents with `type` then `file`. */
export function upload(t: TestApp, token: string, applicationId: string, type: string, fileName: string, content: Uint8Array, contentType?: string) {
  return uploadParts(t, token, applicationId, [
    { name: 'type', value: type },
    { name: 'file', content, fileName, contentType },
  ]);
}

/** GET /documents/{id}/content with the body as bytes. */
export async function download(t: TestApp, token: string, documentId: string): Promise<{ status: number; headers: Headers; bytes: Buffer; body: any }> {
  const response = await fetch(new URL(`/api/v1/documents/${documentId}/content`, t.baseUrl), { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const body = /json/.test(response.headers.get('content-type') ?? '') && bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, headers: response.headers, bytes, body };
}

// ---------------------------------------------------------------------------------------
// Assertions

// ---------------------------------------------------------------------------------------
// A partnership with everyone an access test needs

export interface Exchange {
  /** The students' home institution. */
  sending: Partner;
  /** Where they go. */
  receiving: Partner;
  /** An institution with nothing to do with these applications. */
  outsider: Partner;
  agreementId: string;
  admin: Session;
  receivingHostSchool: Session;
  sendingHostSchool: Session;
  outsiderHostSchool: Session;
  receivingHostFamily: Session;
  /** A student of the sending institution who owns none of the test applications. */
  otherStudent: Session;
  /** A student of the receiving institution. */
  foreignStudent: Session;
}

export async function newExchange(t: TestApp): Promise<Exchange> {
  const [sending, receiving, outsider] = await Promise.all([
    newPartner(t, { city: 'Nancy', country: 'FR', timezone: 'Europe/Paris' }),
    newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' }),
    newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' }),
  ]);
  const agreement = await activeAgreement(t, { partners: [sending, receiving], quotas: quotasBothWays([sending.institutionId, receiving.institutionId], 200) });
  const as = (role: 'admin' | 'host_school' | 'host_family' | 'student', institutionId: string | null) => signedIn(t.dataSource, t.api, { role, institutionId });
  const [admin, receivingHostSchool, sendingHostSchool, outsiderHostSchool, receivingHostFamily, otherStudent, foreignStudent] = await Promise.all([
    as('admin', null),
    as('host_school', receiving.institutionId),
    as('host_school', sending.institutionId),
    as('host_school', outsider.institutionId),
    as('host_family', receiving.institutionId),
    as('student', sending.institutionId),
    as('student', receiving.institutionId),
  ]);
  return { sending, receiving, outsider, agreementId: agreement.id, admin, receivingHostSchool, sendingHostSchool, outsiderHostSchool, receivingHostFamily, otherStudent, foreignStudent };
}

/** A published programme sending → receiving (no required documents, no learning agreement unless overridden). */
export function exchangeProgram(t: TestApp, x: Exchange, overrides: Record<string, unknown> = {}) {
  return publishedProgram(t, x.sending.coordinator, x.agreementId, x.sending.institutionId, x.receiving.institutionId, {
    requiredDocuments: [],
    requiresLearningAgreement: false,
    ...overrides,
  });
}

/** A new signed-in student of the sending institution. */
export const newSendingStudent = (t: TestApp, x: Exchange) => signedIn(t.dataSource, t.api, { role: 'student', institutionId: x.sending.institutionId });

export type Stage = 'draft' | 'submitted' | 'nominated' | 'accepted' | 'confirmed' | 'withdrawn';

/** The transitions (and who takes them) that lead from draft to each stage. */
const PATH: Record<Exclude<Stage, 'draft'>, { name: string; by: 'student' | 'sending' | 'receiving' }[]> = {
  submitted: [{ name: 'submit', by: 'student' }],
  nominated: [
    { name: 'submit', by: 'student' },
    { name: 'nominate', by: 'sending' },
  ],
  accepted: [
    { name: 'submit', by: 'student' },
    { name: 'nominate', by: 'sending' },
    { name: 'accept', by: 'receiving' },
  ],
  confirmed: [
    { name: 'submit', by: 'student' },
    { name: 'nominate', by: 'sending' },
    { name: 'accept', by: 'receiving' },
    { name: 'confirm', by: 'student' },
  ],
  withdrawn: [{ name: 'withdraw', by: 'student' }],
};

/** Takes one transition through the API as the student or a side's coordinator (200 expected). */
export function transition(t: TestApp, x: Exchange, student: Session, applicationId: string, name: string, by: 'student' | 'sending' | 'receiving') {
  const who = by === 'student' ? student : by === 'sending' ? x.sending.coordinator : x.receiving.coordinator;
  return takeTransition(t, who, applicationId, name);
}

/** Moves a draft application on to `stage` (its required documents must already be there). */
export async function advance(t: TestApp, x: Exchange, student: Session, applicationId: string, stage: Stage) {
  if (stage === 'draft') return;
  for (const step of PATH[stage]) await transition(t, x, student, applicationId, step.name, step.by);
}

/** A student's draft application to that programme. */
export async function apply(t: TestApp, student: Session, programId: string): Promise<{ id: string; status: string }> {
  return draftApplication(t, student, programId);
}
