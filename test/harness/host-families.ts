/**
 * Host families and placements made through the HTTP API as coordinators make them: a
 * family registered, vetted (approved), an accepted application of a host-family
 * programme, a placement proposed and accepted. Dates follow the programme factories
 * (the stay is next academic year, so vettings recorded today are valid through it).
 */
import { randomBytes } from 'node:crypto';
import type { ApiResponse } from './api.js';
import type { TestApp } from './app.js';
import { acceptedApplication, newStudents, type Sides } from './applications.js';
import { newUser, login, type Session } from './factories.js';
import { activeAgreement, newPartner, publishedProgram, YEAR, type Partner } from './partnerships.js';

const unique = () => randomBytes(4).toString('hex');

function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
}

/** The programmes' stay (partnerships.ts programBody). */
export const STAY = { startsOn: `${YEAR}-09-01`, endsOn: `${YEAR + 1}-01-31` };
export const today = () => new Date().toISOString().slice(0, 10);

/** A valid family body: 2 beds, French and English, no pets, non-smoking, accepts minors, available the whole year of the stay. */
export function familyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: `Famille ${unique()}`,
    contactEmail: `family.${unique()}@test.example`,
    contactPhone: '+33 3 83 00 00 00',
    address: { line1: '12 rue Stanislas', city: 'Nancy', postalCode: '54000', country: 'FR' },
    capacity: 2,
    languages: ['fr', 'en'],
    hasPets: false,
    petTypes: [],
    smokingHousehold: false,
    dietsSupported: ['vegetarian'],
    acceptsMinors: true,
    genderPreference: 'any',
    availableFrom: `${YEAR}-08-01`,
    availableTo: `${YEAR + 1}-07-31`,
    commuteMinutes: 20,
    ...overrides,
  };
}

/** A family registered by `by` (pending_vetting). */
export async function newFamily(t: TestApp, by: Session, overrides: Record<string, unknown> = {}) {
  const response = await t.api.post('/host-families', familyBody(overrides), { token: by.token });
  expectStatus(response, 201, 'POST /host-families');
  return response.body;
}

/** A vetting body: checked today, approved. */
export const vettingBody = (overrides: Record<string, unknown> = {}) => ({ backgroundCheckOn: today(), homeVisitOn: today(), outcome: 'approved', notes: 'All in order.', ...overrides });

/** A family registered and vetted (approved, valid 12 months from today). */
export async function vettedFamily(t: TestApp, by: Session, overrides: Record<string, unknown> = {}) {
  const family = await newFamily(t, by, overrides);
  const response = await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: by.token });
  expectStatus(response, 200, 'vet');
  return response.body;
}

/** A host_family user of that family, signed in. */
export async function familyUser(t: TestApp, institutionId: string, hostFamilyId: string): Promise<Session> {
  const user = await newUser(t.dataSource, { role: 'host_family', institutionId, hostFamilyId });
  return { ...(await login(t.api, user)), user };
}

/** A matching profile as students give it. */
export const profile = (overrides: Record<string, unknown> = {}) => ({ languages: ['fr'], diet: [], allergies: [], smoker: false, notes: '', ...overrides });

/**
 * Two partners (sending, receiving), an active agreement and a published host-family
 * programme from the first to the second with `seats` seats and no required documents or
 * learning agreement, so applications get to `accepted` quickly. The receiving partner is
 * in Krasnodar (RU, Europe/Moscow) unless `receiving` says otherwise.
 */
export async function homestayExchange(t: TestApp, options: { seats?: number; program?: Record<string, unknown>; receiving?: Parameters<typeof newPartner>[1] } = {}) {
  const sending: Partner = await newPartner(t);
  const receiving: Partner = await newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow', ...options.receiving });
  const agreement = await activeAgreement(t, { partners: [sending, receiving], quotas: [{ fromInstitutionId: sending.institutionId, toInstitutionId: receiving.institutionId, academicYear: `${YEAR}/${YEAR + 1}`, seats: 100 }] });
  const program = await publishedProgram(t, sending.coordinator, agreement.id, sending.institutionId, receiving.institutionId, {
    seats: options.seats ?? 30,
    requiredDocuments: [],
    requiresLearningAgreement: false,
    accommodation: 'host_family',
    languageRequirement: { language: 'ru', minLevel: 'A2' },
    ...options.program,
  });
  const sides: Sides = { sending: sending.coordinator, receiving: receiving.coordinator };
  return { sending, receiving, agreement, program, sides };
}

/** `n` accepted applications of new students to the programme (adults by default: born 2000). */
export async function acceptedApplications(t: TestApp, exchange: Awaited<ReturnType<typeof homestayExchange>>, n: number, fields: Record<string, unknown> = {}) {
  const students = await newStudents(t, exchange.sending.institutionId, n);
  const applications = [];
  for (const student of students) {
    applications.push({ student, application: await acceptedApplication(t, student, exchange.program, exchange.sides, { dateOfBirth: '2000-05-01', matchingProfile: profile(), ...fields }) });
  }
  return applications;
}

/** POST /placements, expecting 201. */
export async function proposedPlacement(t: TestApp, by: Session, body: { applicationId: string; hostFamilyId: string; startsOn?: string; endsOn?: string }) {
  const response = await t.api.post('/placements', body, { token: by.token });
  expectStatus(response, 201, 'POST /placements');
  return response.body;
}

/** The date `days` from today (UTC), as the API writes dates. */
export const dayFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Sets the family's vetting to run out on `on` (time travel in the database, for setting up expired or expiring vettings). */
export async function setVettingExpiry(t: TestApp, hostFamilyId: string, on: string): Promise<void> {
  await t.dataSource.query('UPDATE host_families SET vetting_expires_on = $2 WHERE id = $1', [hostFamilyId, on]);
}

/** `n` accepted applications made side by side (the seats are taken under the programme's lock, so the order does not matter). */
export async function acceptedApplicationsAtOnce(t: TestApp, exchange: Awaited<ReturnType<typeof homestayExchange>>, n: number, fields: Record<string, unknown> = {}) {
  const students = await newStudents(t, exchange.sending.institutionId, n);
  return Promise.all(
    students.map(async (student) => ({ student, application: await acceptedApplication(t, student, exchange.program, exchange.sides, { dateOfBirth: '2000-05-01', matchingProfile: profile(), ...fields }) })),
  );
}

/** POST /placements/{id}/{name} by `by`, expecting 200; returns the placement. */
export async function placementTransition(t: TestApp, by: Session, placementId: string, name: string, body: Record<string, unknown> = {}) {
  const response = await t.api.post(`/placements/${placementId}/${name}`, body, { token: by.token });
  expectStatus(response, 200, `${name} placement ${placementId}`);
  return response.body;
}

/** A family row of that institution written straight to the database (pending vetting): for tests about accounts, not families. */
export async function familyRow(ds: import('typeorm').DataSource, institutionId: string): Promise<string> {
  const body = familyBody();
  const [row] = await ds.query(
    `INSERT INTO host_families (institution_id, display_name, contact_email, contact_phone, address, capacity, available_from, available_to)
     VALUES ($1, $2, $3, $4, $5, 2, $6, $7) RETURNING id`,
    [institutionId, body.displayName, body.contactEmail, body.contactPhone, JSON.stringify(body.address), body.availableFrom, body.availableTo],
  );
  return row.id as string;
}
