/**
 * The world the fuzzer's requests land in: two partner institutions with one user of each
 * role, agreements, programmes both ways, applications at several points of their
 * lifecycle, a document, a learning agreement, host families, placements, checklist items
 * and notifications, all made through the API as their users make them.
 *
 * Requests name the objects symbolically (`⟪application.draft⟫`), never by id: the ids
 * change from one test run to the next, the names do not, so that a seed and a path
 * replay the same requests against the same kinds of objects.
 */
import { acceptedApplication, confirmedApplication, draftApplication, newStudents, stayBegun, submittedApplication, transition, uploadDocument, type Sides } from '../harness/applications.js';
import type { TestApp } from '../harness/app.js';
import { cast, PASSWORD, type Session } from '../harness/factories.js';
import { familyUser, newFamily, placementTransition, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { activeAgreement, draftAgreement, newProgram, publishedProgram, quotasBothWays, YEAR, type Partner } from '../harness/partnerships.js';

export const ROLES = ['anonymous', 'student', 'coordinator', 'host_school', 'host_family', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type SignedInRole = Exclude<Role, 'anonymous'>;

/** What a path id or a body id names. */
export type Kind = 'institution' | 'agreement' | 'program' | 'application' | 'document' | 'hostFamily' | 'placement' | 'checklistItem' | 'notification' | 'user';

/** Every object of the world by name, with its kind. */
export const OBJECTS: Record<string, Kind> = {
  'institution.home': 'institution',
  'institution.other': 'institution',
  'agreement.active': 'agreement',
  'agreement.draft': 'agreement',
  'program.outgoing': 'program',
  'program.incoming': 'program',
  'program.draft': 'program',
  'application.draft': 'application',
  'application.submitted': 'application',
  'application.accepted': 'application',
  'application.arrived': 'application',
  'document.draft': 'document',
  'document.arrived': 'document',
  'hostFamily.vetted': 'hostFamily',
  'hostFamily.pending': 'hostFamily',
  'placement.proposed': 'placement',
  'placement.accepted': 'placement',
  'checklistItem.first': 'checklistItem',
  'checklistItem.last': 'checklistItem',
  'notification.otherStudent': 'notification',
  'notification.coordinator': 'notification',
  'notification.host_family': 'notification',
  'user.student': 'user',
  'user.coordinator': 'user',
  'user.host_school': 'user',
  'user.host_family': 'user',
  'user.admin': 'user',
};

export const OBJECT_NAMES = Object.keys(OBJECTS);
export const namesOfKind = (kind: Kind) => OBJECT_NAMES.filter((name) => OBJECTS[name] === kind);

/** Other values a request may name: sign-in e-mails, the password, real tokens. */
export const SECRETS = [
  ...(['student', 'coordinator', 'host_school', 'host_family', 'admin'] as const).flatMap((role) => [`email.${role}`, `token.${role}`, `refresh.${role}`]),
  'password',
];

export interface World {
  t: TestApp;
  sessions: Record<SignedInRole, Session>;
  /** name (OBJECTS, SECRETS) -> value */
  values: Map<string, string>;
}

/** A token `⟪name⟫` (or `⟪U:name⟫`, upper-cased) in a generated request stands for a value of the world. */
export const ref = (name: string, upper = false) => `⟪${upper ? 'U:' : ''}${name}⟫`;
const REF = /⟪(U:)?([^⟪⟫]+)⟫/g;

export function resolveRefs(text: string, world: World): string {
  return text.replace(REF, (whole, upper: string | undefined, name: string) => {
    const value = world.values.get(name);
    if (value === undefined) return whole;
    return upper ? value.toUpperCase() : value;
  });
}

async function rows(t: TestApp, sql: string, parameters: unknown[]): Promise<string[]> {
  return ((await t.dataSource.query(sql, parameters)) as { id: string }[]).map((row) => row.id);
}

export async function buildWorld(t: TestApp): Promise<World> {
  const people = await cast(t.dataSource, t.api);
  const home: Partner = { institutionId: people.home.id, coordinator: people.coordinator };
  const other: Partner = { institutionId: people.other.id, coordinator: people.otherCoordinator };
  const otherToHome: Sides = { sending: people.otherCoordinator, receiving: people.coordinator };

  const agreement = await activeAgreement(t, { partners: [home, other], quotas: quotasBothWays([home.institutionId, other.institutionId], 50) });
  const draft = await draftAgreement(t, { partners: [home, other] });
  // The home students go out with a residence; the other institution's come in to host families.
  const outgoing = await publishedProgram(t, people.coordinator, agreement.id, home.institutionId, other.institutionId, {
    seats: 5,
    requiredDocuments: ['passport'],
    requiresLearningAgreement: false,
    accommodation: 'residence',
  });
  const incoming = await publishedProgram(t, people.otherCoordinator, agreement.id, other.institutionId, home.institutionId, {
    seats: 10,
    requiredDocuments: ['passport'],
    requiresLearningAgreement: true,
    accommodation: 'host_family',
  });
  const draftProgram = await newProgram(t, people.coordinator, agreement.id, home.institutionId, other.institutionId);

  const fields = { dateOfBirth: '2000-05-01', matchingProfile: profile() };
  const draftApp = await draftApplication(t, people.student, outgoing.id, { motivation: 'To learn Russian.' });
  const draftDocument = await uploadDocument(t, people.student, draftApp.id, 'passport');
  if (draftDocument.status !== 201) throw new Error(`upload: ${draftDocument.status} ${draftDocument.text}`);
  const [arrivingStudent] = await newStudents(t, other.institutionId, 1);
  const [secondHomeStudent] = await newStudents(t, home.institutionId, 1);
  const submitted = await submittedApplication(t, secondHomeStudent, outgoing);
  const accepted = await acceptedApplication(t, people.otherStudent, incoming, otherToHome, fields);
  const la = await t.api.put(
    `/applications/${accepted.id}/learning-agreement`,
    { components: [{ code: 'RU-101', title: 'Russian', credits: 6, term: 'autumn' }], recognizedComponents: [{ code: 'L-1', title: 'Languages', credits: 6, term: 'autumn' }] },
    { token: people.otherStudent.token },
  );
  if (la.status !== 200) throw new Error(`learning agreement: ${la.status} ${la.text}`);

  const family = await vettedFamily(t, people.coordinator, { capacity: 3 });
  const pendingFamily = await newFamily(t, people.coordinator);
  const familySession = await familyUser(t, home.institutionId, family.id);
  const proposed = await proposedPlacement(t, people.coordinator, { applicationId: accepted.id, hostFamilyId: family.id });

  const confirmed = await confirmedApplication(t, arrivingStudent, incoming, otherToHome, fields);
  const [arrivedDocument] = await rows(t, 'SELECT id FROM documents WHERE application_id = $1', [confirmed.id]);
  const placed = await proposedPlacement(t, people.coordinator, { applicationId: confirmed.id, hostFamilyId: family.id });
  await placementTransition(t, familySession, placed.id, 'accept');
  const travel = await t.api.put(
    `/applications/${confirmed.id}/travel`,
    { arrivalAt: `${YEAR}-09-01T14:35:00+02:00`, transportMode: 'train', reference: 'TGV 9577', arrivalPoint: 'Nancy-Ville', needsPickup: true },
    { token: arrivingStudent.token },
  );
  if (travel.status !== 200) throw new Error(`travel: ${travel.status} ${travel.text}`);
  await stayBegun(t, incoming.id);
  await transition(t, people.coordinator, confirmed.id, 'check-in');

  const sessions: Record<SignedInRole, Session> = {
    student: people.student,
    coordinator: people.coordinator,
    host_school: people.hostSchool,
    host_family: familySession,
    admin: people.admin,
  };
  const checklist = await rows(t, 'SELECT id FROM checklist_items WHERE application_id = $1 ORDER BY due_on, id', [confirmed.id]);
  const notificationOf = async (session: Session) => (await rows(t, 'SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at LIMIT 1', [session.user.id]))[0];

  const values = new Map<string, string>();
  const set = (name: string, value: string | undefined) => {
    if (!value) throw new Error(`the world has no ${name}`);
    values.set(name, value);
  };
  set('institution.home', home.institutionId);
  set('institution.other', other.institutionId);
  set('agreement.active', agreement.id);
  set('agreement.draft', draft.id);
  set('program.outgoing', outgoing.id);
  set('program.incoming', incoming.id);
  set('program.draft', draftProgram.id);
  set('application.draft', draftApp.id);
  set('application.submitted', submitted.id);
  set('application.accepted', accepted.id);
  set('application.arrived', confirmed.id);
  set('document.draft', draftDocument.body.id);
  set('document.arrived', arrivedDocument);
  set('hostFamily.vetted', family.id);
  set('hostFamily.pending', pendingFamily.id);
  set('placement.proposed', proposed.id);
  set('placement.accepted', placed.id);
  set('checklistItem.first', checklist[0]);
  set('checklistItem.last', checklist[checklist.length - 1]);
  set('notification.otherStudent', await notificationOf(people.otherStudent));
  set('notification.coordinator', await notificationOf(people.coordinator));
  set('notification.host_family', await notificationOf(familySession));
  for (const [role, session] of Object.entries(sessions)) {
    set(`user.${role}`, session.user.id);
    set(`email.${role}`, session.user.email);
    set(`token.${role}`, session.token);
    set(`refresh.${role}`, session.refreshToken);
  }
  set('password', PASSWORD);
  for (const name of [...OBJECT_NAMES, ...SECRETS]) if (!values.has(name)) throw new Error(`the world has no ${name}`);
  return { t, sessions, values };
}
