/**
 * One world for the authorization suites (api1, api5): three institutions, a user of every
 * role at each, and real objects of every kind of the home student's exchange, each with
 * who may see it (SPEC section 2); the ids of those objects for the routes' path
 * parameters; and which roles may call each route at all. The suites generate their cases
 * from the routes the server registers and these declarations, so a route nobody declared
 * fails them by name.
 *
 *   home (Nancy, FR) ──sends──▶ partner (Krasnodar, RU) ; outsider (Karlsruhe, DE): no part in it
 *
 * The home student applied to a host-family programme of home → partner, had its passport
 * and transcript uploaded, was nominated and accepted, signed its learning agreement with both
 * coordinators, confirmed, was placed with a partner's family (which accepted), gave its
 * travel details and was checked in: it has a checklist and notifications. It also has a
 * draft application, with a document, to a second programme, and an accepted one, not
 * placed yet, to a third.
 */
import { randomBytes } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import type { TestApp } from '../harness/app.js';
import { acceptedApplication, approvedLearningAgreement, draftApplication, stayBegun, TINY_PDF, transition, uploadDocument } from '../harness/applications.js';
import { newInstitution, signedIn, type Session } from '../harness/factories.js';
import { familyBody, familyUser, profile, proposedPlacement, STAY, vettedFamily, vettingBody } from '../harness/host-families.js';
import { activeAgreement, agreementBody, programBody, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';
import { pathOf, routeKey, type RegisteredRoute } from '../harness/routes.js';
import type { Role } from '../../src/users/user.entity.js';

const unique = () => randomBytes(4).toString('hex');

// ---------------------------------------------------------------------------------------
// Who

/** Everyone of the world, by name. */
export const CALLERS = {
  admin: { role: 'admin', who: 'an admin' },
  sendingCoordinator: { role: 'coordinator', who: "the home institution's coordinator (sending)" },
  receivingCoordinator: { role: 'coordinator', who: "the partner's coordinator (receiving)" },
  otherCoordinator: { role: 'coordinator', who: "another institution's coordinator" },
  sendingHostSchool: { role: 'host_school', who: "the home institution's host-school staff (the sending side)" },
  receivingHostSchool: { role: 'host_school', who: "the partner's host-school staff (receiving)" },
  otherHostSchool: { role: 'host_school', who: "another institution's host-school staff" },
  familyUser: { role: 'host_family', who: 'a user of the family the student lives with' },
  neighbourFamilyUser: { role: 'host_family', who: "a user of another family of the partner's" },
  otherFamilyUser: { role: 'host_family', who: "a user of another institution's family" },
  familylessUser: { role: 'host_family', who: 'a host_family user without a family' },
  student: { role: 'student', who: 'the home student (who owns the exchange)' },
  classmate: { role: 'student', who: 'another student of the home institution' },
  foreignStudent: { role: 'student', who: "another institution's student" },
} as const satisfies Record<string, { role: Role; who: string }>;

export type CallerName = keyof typeof CALLERS;
export const CALLER_NAMES = Object.keys(CALLERS) as CallerName[];
export const roleOf = (name: CallerName): Role => CALLERS[name].role;

// ---------------------------------------------------------------------------------------
// What may each role call (function level)

const ALL: readonly Role[] = ['admin', 'coordinator', 'host_school', 'host_family', 'student'];
/** Coordinators, and admins, who do everything a coordinator can anywhere (SPEC section 2). */
const COORDINATORS: readonly Role[] = ['admin', 'coordinator'];
const ADMIN: readonly Role[] = ['admin'];
/** Those who see applications (SPEC section 2; host schools the incoming from acceptance on). */
const APPLICATION_READERS: readonly Role[] = ['admin', 'coordinator', 'host_school', 'student'];
/** Learning agreements are the student's and the two coordinators' (host schools see identity, dates, travel, placement and checklist only). */
const LEARNING_AGREEMENT_PARTIES: readonly Role[] = ['admin', 'coordinator', 'student'];
const FAMILY_READERS: readonly Role[] = ['admin', 'coordinator', 'host_school', 'host_family'];
const ARRIVALS_BOARD: readonly Role[] = ['admin', 'coordinator', 'host_school'];

/**
 * Which roles may call each route of the API at all, from SPEC sections 2, 4 and 5: a role
 * not listed is refused whatever the object (403, or 404 when it does not see the object).
 * `public` routes need no token. Every registered route must be here: a new route fails
 * the suites until someone says who may call it.
 */
export const ROUTE_ROLES: Record<string, readonly Role[] | 'public'> = {
  // auth: signing up, in and out, and the invitation's password
  'POST /api/v1/auth/register': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/set-password': 'public',
  'POST /api/v1/auth/logout': ALL,
  // the caller's own account and data
  'GET /api/v1/me': ALL,
  'PATCH /api/v1/me': ALL,
  'GET /api/v1/me/export': ALL,
  'POST /api/v1/me/erase': ALL,
  // users: admins any staff; coordinators their institution's host staff; everyone sees themself
  'POST /api/v1/users': COORDINATORS,
  'GET /api/v1/users': COORDINATORS,
  'GET /api/v1/users/{id}': ALL,
  // institutions: public reference data, written by admins
  'GET /api/v1/institutions': 'public',
  'GET /api/v1/institutions/{id}': 'public',
  'POST /api/v1/institutions': ADMIN,
  'PATCH /api/v1/institutions/{id}': ADMIN,
  // the platform's mail queue
  'GET /api/v1/admin/mail-queue': ADMIN,
  // agreements: coordinators of the partners
  'POST /api/v1/agreements': COORDINATORS,
  'GET /api/v1/agreements': COORDINATORS,
  'GET /api/v1/agreements/{id}': COORDINATORS,
  'PATCH /api/v1/agreements/{id}': COORDINATORS,
  'GET /api/v1/agreements/{id}/versions': COORDINATORS,
  'POST /api/v1/agreements/{id}/approve': COORDINATORS,
  'POST /api/v1/agreements/{id}/terminate': COORDINATORS,
  // programmes: coordinators of either side write; students read the published ones of their home
  'POST /api/v1/programs': COORDINATORS,
  'GET /api/v1/programs': ['admin', 'coordinator', 'student'],
  'GET /api/v1/programs/{id}': ['admin', 'coordinator', 'student'],
  'PATCH /api/v1/programs/{id}': COORDINATORS,
  'POST /api/v1/programs/{id}/publish': COORDINATORS,
  'POST /api/v1/programs/{id}/close': COORDINATORS,
  'POST /api/v1/programs/{id}/cancel': COORDINATORS,
  // applications and their lifecycle (SPEC section 4: who takes each transition)
  'POST /api/v1/applications': ['student'],
  'GET /api/v1/applications': APPLICATION_READERS,
  'GET /api/v1/applications/{id}': APPLICATION_READERS,
  'PATCH /api/v1/applications/{id}': ['student'],
  'GET /api/v1/applications/{id}/history': APPLICATION_READERS,
  'POST /api/v1/applications/{id}/submit': ['student'],
  'POST /api/v1/applications/{id}/nominate': COORDINATORS,
  'POST /api/v1/applications/{id}/reject': COORDINATORS,
  'POST /api/v1/applications/{id}/accept': COORDINATORS,
  'POST /api/v1/applications/{id}/waitlist': COORDINATORS,
  'POST /api/v1/applications/{id}/confirm': ['student'],
  'POST /api/v1/applications/{id}/decline': ['student'],
  'POST /api/v1/applications/{id}/withdraw': ['student'],
  'POST /api/v1/applications/{id}/cancel': COORDINATORS,
  'POST /api/v1/applications/{id}/check-in': ['admin', 'coordinator', 'host_school'],
  'POST /api/v1/applications/{id}/complete': COORDINATORS,
  // documents: the student's; the receiving coordinator adds the transcript of records at the end of a stay
  'POST /api/v1/applications/{id}/documents': ['admin', 'coordinator', 'student'],
  'GET /api/v1/applications/{id}/documents': APPLICATION_READERS,
  'GET /api/v1/documents/{id}/content': APPLICATION_READERS,
  'DELETE /api/v1/documents/{id}': ['student'],
  // learning agreements: written and signed by the student and both coordinators
  'GET /api/v1/applications/{id}/learning-agreement': LEARNING_AGREEMENT_PARTIES,
  'PUT /api/v1/applications/{id}/learning-agreement': LEARNING_AGREEMENT_PARTIES,
  'POST /api/v1/applications/{id}/learning-agreement/sign': LEARNING_AGREEMENT_PARTIES,
  'GET /api/v1/applications/{id}/learning-agreement/versions': LEARNING_AGREEMENT_PARTIES,
  // host families: their institution's coordinators manage them; host schools read; a family edits its availability
  'POST /api/v1/host-families': COORDINATORS,
  'GET /api/v1/host-families': FAMILY_READERS,
  'GET /api/v1/host-families/{id}': FAMILY_READERS,
  'PATCH /api/v1/host-families/{id}': ['admin', 'coordinator', 'host_family'],
  'POST /api/v1/host-families/{id}/vet': COORDINATORS,
  'POST /api/v1/host-families/{id}/suspend': COORDINATORS,
  'GET /api/v1/host-families/{id}/export': COORDINATORS,
  'POST /api/v1/host-families/{id}/erase': COORDINATORS,
  // matching and placements: the receiving coordinator places; the family accepts or declines
  'GET /api/v1/applications/{id}/host-family-matches': COORDINATORS,
  'POST /api/v1/placements': COORDINATORS,
  'GET /api/v1/placements': ALL,
  'GET /api/v1/placements/{id}': ALL,
  'POST /api/v1/placements/{id}/accept': ['admin', 'coordinator', 'host_family'],
  'POST /api/v1/placements/{id}/decline': ['admin', 'coordinator', 'host_family'],
  'POST /api/v1/placements/{id}/cancel': COORDINATORS,
  'POST /api/v1/placements/{id}/end': COORDINATORS,
  // arrivals: the student (or the receiving coordinator) gives travel; the receiving staff run the board; checklists
  'PUT /api/v1/applications/{id}/travel': ['admin', 'coordinator', 'student'],
  'GET /api/v1/arrivals': ARRIVALS_BOARD,
  'GET /api/v1/arrivals.ics': ARRIVALS_BOARD,
  'GET /api/v1/applications/{id}/checklist': ALL,
  'POST /api/v1/checklist-items/{id}/complete': ['admin', 'coordinator', 'host_school', 'host_family'],
  // the caller's own notifications
  'GET /api/v1/notifications': ALL,
  'POST /api/v1/notifications/{id}/read': ALL,
  'POST /api/v1/notifications/read-all': ALL,
  // reports and audit. SPEC section 5 names GET /audit an admin's; the product lets coordinators
  // read the entries of their own institution's objects too (a reviewed choice, test/e2e/audit.spec.ts).
  'GET /api/v1/reports/flows': COORDINATORS,
  'GET /api/v1/audit': COORDINATORS,
  'GET /api/v1/audit/verify': ADMIN,
};

/** The roles that may call the route, or 'public'; throws for a route nobody declared. */
export function rolesOf(route: RegisteredRoute): readonly Role[] | 'public' {
  const roles = ROUTE_ROLES[routeKey(route)];
  if (!roles) throw new Error(`${routeKey(route)} is registered but not in ROUTE_ROLES (test/security/world.ts): declare which roles may call it`);
  return roles;
}

export const mayCall = (route: RegisteredRoute, name: CallerName): boolean => {
  const roles = rolesOf(route);
  return roles === 'public' || roles.includes(roleOf(name));
};

// ---------------------------------------------------------------------------------------
// What: the objects, and who sees each

export interface WorldObject {
  label: string;
  id: string;
  /** the callers in whose scope it is (SPEC section 2); everyone else must get 404 */
  seenBy: readonly CallerName[] | 'everyone';
  /** the object it is part of, for the lists under that object (a document: its application) */
  of?: string;
}

export interface World {
  t: TestApp;
  sessions: Record<CallerName, Session>;
  ids: {
    home: string;
    partner: string;
    outsider: string;
    agreement: string;
    program: string;
    secondProgram: string;
    thirdProgram: string;
    application: string;
    draftApplication: string;
    placeableApplication: string;
    passport: string;
    transcript: string;
    draftDocument: string;
    family: string;
    neighbourFamily: string;
    otherFamily: string;
    placement: string;
    familyItem: string;
    schoolItem: string;
    notification: string;
    studentUser: string;
  };
}

const ADMIN_AND = (...names: CallerName[]): CallerName[] => ['admin', ...names];

/**
 * The path contexts: a route's path up to its parameter (the longest that fits) names what
 * the parameter is, and which objects of the world fill it. A route whose parameter no
 * context fits fails the suites by name: add its context here.
 */
export function contexts(world: World): Record<string, WorldObject[]> {
  const { ids } = world;
  // the arrived application: both coordinators, the receiving host school (from acceptance on), the student
  const application = ADMIN_AND('sendingCoordinator', 'receivingCoordinator', 'receivingHostSchool', 'student');
  // a draft: the student's alone (coordinators see applications from their submission on)
  const draft = ADMIN_AND('student');
  return {
    '/api/v1/institutions/{id}': [{ label: 'the home institution (public reference data)', id: ids.home, seenBy: 'everyone' }],
    '/api/v1/users/{id}': [{ label: "the home student's account", id: ids.studentUser, seenBy: ADMIN_AND('sendingCoordinator', 'student') }],
    '/api/v1/agreements/{id}': [{ label: 'the agreement home–partner', id: ids.agreement, seenBy: ADMIN_AND('sendingCoordinator', 'receivingCoordinator') }],
    '/api/v1/programs/{id}': [
      { label: 'the published programme home → partner', id: ids.program, seenBy: ADMIN_AND('sendingCoordinator', 'receivingCoordinator', 'student', 'classmate') },
    ],
    '/api/v1/applications/{id}': [
      { label: 'the arrived application', id: ids.application, seenBy: application },
      { label: 'the draft application', id: ids.draftApplication, seenBy: draft },
    ],
    '/api/v1/applications/{id}/learning-agreement': [
      { label: "the arrived application's learning agreement", id: ids.application, seenBy: ADMIN_AND('sendingCoordinator', 'receivingCoordinator', 'student') },
    ],
    '/api/v1/applications/{id}/checklist': [
      { label: "the arrived application's checklist", id: ids.application, seenBy: [...application, 'familyUser'] },
    ],
    '/api/v1/documents/{id}': [
      { label: "the arrived application's passport", id: ids.passport, seenBy: application, of: ids.application },
      // host schools see the passport and the insurance of a file, nothing else of it (SPEC section 2)
      { label: "the arrived application's transcript", id: ids.transcript, seenBy: ADMIN_AND('sendingCoordinator', 'receivingCoordinator', 'student'), of: ids.application },
      { label: "the draft application's transcript", id: ids.draftDocument, seenBy: draft, of: ids.draftApplication },
    ],
    '/api/v1/host-families/{id}': [{ label: 'the family the student lives with', id: ids.family, seenBy: ADMIN_AND('receivingCoordinator', 'receivingHostSchool', 'familyUser') }],
    '/api/v1/placements/{id}': [
      { label: "the student's accepted placement", id: ids.placement, seenBy: ADMIN_AND('receivingCoordinator', 'receivingHostSchool', 'familyUser', 'student') },
    ],
    '/api/v1/checklist-items/{id}': [
      { label: 'a checklist item the family answers for', id: ids.familyItem, seenBy: [...application, 'familyUser'], of: ids.application },
      { label: 'a checklist item the host school answers for', id: ids.schoolItem, seenBy: [...application, 'familyUser'], of: ids.application },
    ],
    // a notification is its recipient's, whoever else sees what it is about
    '/api/v1/notifications/{id}': [{ label: "a notification of the student's", id: ids.notification, seenBy: ['student'] }],
  };
}

/**
 * The objects that fill the route's path parameter: those of the longest context that is
 * the route's path up to the parameter, or a prefix of it. Throws when none fits.
 */
export function objectsFor(world: World, route: RegisteredRoute): WorldObject[] {
  if (route.params.length !== 1) throw new Error(`${routeKey(route)} has ${route.params.length} path parameters: give the world's contexts a rule for it (test/security/world.ts)`);
  const fits = Object.entries(contexts(world))
    .filter(([prefix]) => route.template === prefix || route.template.startsWith(`${prefix}/`))
    .sort(([a], [b]) => b.length - a.length);
  if (!fits.length) throw new Error(`no object of the world for {${route.params[0]}} of ${routeKey(route)}: add its context to contexts() in test/security/world.ts`);
  return fits[0][1];
}

export const sees = (object: WorldObject, name: CallerName): boolean => object.seenBy === 'everyone' || object.seenBy.includes(name);

// ---------------------------------------------------------------------------------------
// Requests: a valid body for each route, so that only authorization can refuse it

export type Body = { json: unknown } | { multipart: FormData } | { none: true };

const travel = () => ({
  arrivalAt: new Date(Date.now() + 86_400_000).toISOString().replace('Z', '+00:00'),
  transportMode: 'plane',
  reference: 'SU 1140',
  arrivalPoint: 'Krasnodar airport (KRR)',
  needsPickup: true,
});

function passportUpload(): FormData {
  const form = new FormData();
  form.append('type', 'passport');
  form.append('file', new Blob([TINY_PDF], { type: 'application/pdf' }), 'passport.pdf');
  return form;
}

/**
 * A well-formed body of each route that takes one (what its user would send), so that a
 * refusal can only come from authorization, not from validation. A route that takes a body
 * not listed here gets `{}`; when that is invalid the suites say so and name the route.
 */
export function bodyFor(world: World, route: RegisteredRoute): Body {
  const { ids } = world;
  const key = routeKey(route);
  const bodies: Record<string, () => Body> = {
    'POST /api/v1/users': () => ({ json: { email: `staff.${unique()}@security.example`, fullName: 'New Staff', role: 'host_school', institutionId: ids.home } }),
    'POST /api/v1/institutions': () => ({ json: { name: `Institution ${unique()}`, shortName: 'NEW', city: 'Karlsruhe', country: 'DE', kind: 'school', timezone: 'Europe/Berlin' } }),
    'PATCH /api/v1/institutions/{id}': () => ({ json: { city: 'Metz' } }),
    'POST /api/v1/agreements': () => ({ json: agreementBody([ids.home, ids.partner]) }),
    'PATCH /api/v1/agreements/{id}': () => ({ json: { title: `Renamed ${unique()}` } }),
    'POST /api/v1/agreements/{id}/approve': () => ({ json: {} }),
    'POST /api/v1/agreements/{id}/terminate': () => ({ json: { reason: 'The partnership ends.' } }),
    'POST /api/v1/programs': () => ({ json: programBody(ids.agreement, ids.home, ids.partner, { seats: 1 }) }),
    'PATCH /api/v1/programs/{id}': () => ({ json: { title: `Renamed ${unique()}` } }),
    'POST /api/v1/applications': () => ({ json: { programId: ids.program } }),
    'PATCH /api/v1/applications/{id}': () => ({ json: { motivation: 'I would like to study there.' } }),
    'POST /api/v1/applications/{id}/reject': () => ({ json: { reason: 'Not this year.' } }),
    'POST /api/v1/applications/{id}/cancel': () => ({ json: { reason: 'Called off.' } }),
    'POST /api/v1/applications/{id}/documents': () => ({ multipart: passportUpload() }),
    'PUT /api/v1/applications/{id}/learning-agreement': () => ({
      json: { components: [{ code: 'ECO-302', title: 'Game theory', credits: 6, term: 'autumn' }], recognizedComponents: [{ code: 'ECO-4', title: 'Economics IV', credits: 6, term: 'autumn' }] },
    }),
    'POST /api/v1/host-families': () => ({ json: familyBody() }),
    'PATCH /api/v1/host-families/{id}': () => ({ json: { capacity: 3 } }),
    'POST /api/v1/host-families/{id}/vet': () => ({ json: vettingBody() }),
    'POST /api/v1/host-families/{id}/suspend': () => ({ json: { reason: 'Under review.' } }),
    'POST /api/v1/placements': () => ({ json: { applicationId: ids.application, hostFamilyId: ids.family, startsOn: STAY.startsOn, endsOn: STAY.endsOn } }),
    'POST /api/v1/placements/{id}/decline': () => ({ json: { reason: 'We cannot host after all.' } }),
    'POST /api/v1/placements/{id}/cancel': () => ({ json: { reason: 'Moved elsewhere.' } }),
    'POST /api/v1/placements/{id}/end': () => ({ json: { reason: 'Left early.' } }),
    'PUT /api/v1/applications/{id}/travel': () => ({ json: travel() }),
    'POST /api/v1/checklist-items/{id}/complete': () => ({ json: { note: 'Done.' } }),
    'PATCH /api/v1/me': () => ({ json: { fullName: 'Renamed' } }),
  };
  const make = bodies[key];
  if (make) return make();
  return ['POST', 'PUT', 'PATCH'].includes(route.method) ? { json: {} } : { none: true };
}

/** Sends the route's request with that path parameter (and its body) as that caller. */
export async function call(world: World, route: RegisteredRoute, id: string | null, token: string | undefined): Promise<ApiResponse> {
  const path = id === null ? route.template : pathOf(route, { [route.params[0]]: id });
  const body = bodyFor(world, route);
  if ('multipart' in body) {
    const response = await fetch(new URL(path, world.t.baseUrl), { method: route.method, headers: token ? { authorization: `Bearer ${token}` } : {}, body: body.multipart });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text, text };
  }
  return world.t.api.request(route.method, path, 'json' in body ? body.json : undefined, { token });
}

/** What a client learns from a refusal, whichever object it was about. */
export const answerOf = (response: ApiResponse) => ({ status: response.status, code: response.body?.code as string | undefined, detail: response.body?.detail as string | undefined });

// ---------------------------------------------------------------------------------------
// Building it

function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
}

export async function buildWorld(t: TestApp): Promise<World> {
  const [home, partnerInstitution, outsider] = await Promise.all([
    newInstitution(t.dataSource, { name: `Home ${unique()}`, city: 'Nancy', country: 'FR', timezone: 'Europe/Paris' }),
    newInstitution(t.dataSource, { name: `Partner ${unique()}`, city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' }),
    newInstitution(t.dataSource, { name: `Outsider ${unique()}`, city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' }),
  ]);
  const person = (role: Role, institutionId: string | null) => signedIn(t.dataSource, t.api, { role, institutionId });
  const [admin, sendingCoordinator, receivingCoordinator, otherCoordinator, sendingHostSchool, receivingHostSchool, otherHostSchool, familylessUser, student, classmate, foreignStudent] =
    await Promise.all([
      person('admin', null),
      person('coordinator', home.id),
      person('coordinator', partnerInstitution.id),
      person('coordinator', outsider.id),
      person('host_school', home.id),
      person('host_school', partnerInstitution.id),
      person('host_school', outsider.id),
      person('host_family', partnerInstitution.id),
      person('student', home.id),
      person('student', home.id),
      person('student', outsider.id),
    ]);
  const sending: Partner = { institutionId: home.id, coordinator: sendingCoordinator };
  const partner: Partner = { institutionId: partnerInstitution.id, coordinator: receivingCoordinator };
  const sides = { sending: sendingCoordinator, receiving: receivingCoordinator };

  const agreement = await activeAgreement(t, { partners: [sending, partner], quotas: quotasBothWays([home.id, partnerInstitution.id], 20) });
  const [program, secondProgram, thirdProgram, family, neighbourFamily, otherFamily] = await Promise.all([
    publishedProgram(t, sendingCoordinator, agreement.id, home.id, partnerInstitution.id, {
      seats: 5,
      accommodation: 'host_family',
      requiresLearningAgreement: true,
      requiredDocuments: ['passport', 'transcript'],
      languageRequirement: { language: 'ru', minLevel: 'A2' },
    }),
    publishedProgram(t, sendingCoordinator, agreement.id, home.id, partnerInstitution.id, { seats: 5, requiresLearningAgreement: false, requiredDocuments: [] }),
    publishedProgram(t, sendingCoordinator, agreement.id, home.id, partnerInstitution.id, { seats: 5, requiresLearningAgreement: false, requiredDocuments: [], accommodation: 'host_family' }),
    vettedFamily(t, receivingCoordinator),
    vettedFamily(t, receivingCoordinator),
    vettedFamily(t, otherCoordinator),
  ]);
  const [familyOwner, neighbourFamilyUser, otherFamilyUser] = await Promise.all([
    familyUser(t, partnerInstitution.id, family.id),
    familyUser(t, partnerInstitution.id, neighbourFamily.id),
    familyUser(t, outsider.id, otherFamily.id),
  ]);

  // The exchange, step by step as its people take it.
  const accepted = await acceptedApplication(t, student, program, sides, { dateOfBirth: '2000-05-01', matchingProfile: profile(), languageLevels: [{ language: 'ru', level: 'B1' }] });
  await approvedLearningAgreement(t, student, accepted.id, sides);
  await transition(t, student, accepted.id, 'confirm');
  const placement = await proposedPlacement(t, receivingCoordinator, { applicationId: accepted.id, hostFamilyId: family.id });
  expectStatus(await t.api.post(`/placements/${placement.id}/accept`, {}, { token: familyOwner.token }), 200, 'the family accepts the placement');
  await stayBegun(t, program.id);
  expectStatus(await t.api.put(`/applications/${accepted.id}/travel`, travel(), { token: student.token }), 200, 'travel details');
  await transition(t, receivingCoordinator, accepted.id, 'check-in');

  const checklist = await t.api.get(`/applications/${accepted.id}/checklist`, { token: receivingCoordinator.token, query: { limit: 100 } });
  expectStatus(checklist, 200, 'checklist');
  const items = checklist.body.items as { id: string; responsible: string; status: string }[];
  const familyItem = items.find((item) => item.responsible === 'host_family' && item.status !== 'done');
  const schoolItem = items.find((item) => item.responsible === 'host_school' && item.status !== 'done');
  if (!familyItem || !schoolItem) throw new Error(`checklist without an open item for each party: ${checklist.text}`);

  const documents = await t.api.get(`/applications/${accepted.id}/documents`, { token: student.token });
  expectStatus(documents, 200, 'documents');
  const documentOf = (type: string) => {
    const id = (documents.body.items as { id: string; type: string }[]).find((d) => d.type === type)?.id;
    if (!id) throw new Error(`no ${type} listed: ${documents.text}`);
    return id;
  };

  // Accepted, not placed yet: what a placement may be proposed for.
  const placeable = await acceptedApplication(t, student, thirdProgram, sides, { dateOfBirth: '2000-05-01', matchingProfile: profile() });

  const draft = await draftApplication(t, student, secondProgram);
  const upload = await uploadDocument(t, student, draft.id, 'transcript');
  expectStatus(upload, 201, 'upload to the draft');

  const notifications = await t.api.get('/notifications', { token: student.token });
  expectStatus(notifications, 200, 'notifications');
  const notification = (notifications.body.items as { id: string }[])[0];
  if (!notification) throw new Error('the student has no notification');

  return {
    t,
    sessions: {
      admin,
      sendingCoordinator,
      receivingCoordinator,
      otherCoordinator,
      sendingHostSchool,
      receivingHostSchool,
      otherHostSchool,
      familyUser: familyOwner,
      neighbourFamilyUser,
      otherFamilyUser,
      familylessUser,
      student,
      classmate,
      foreignStudent,
    },
    ids: {
      home: home.id,
      partner: partnerInstitution.id,
      outsider: outsider.id,
      agreement: agreement.id,
      program: program.id,
      secondProgram: secondProgram.id,
      thirdProgram: thirdProgram.id,
      application: accepted.id,
      draftApplication: draft.id,
      placeableApplication: placeable.id,
      passport: documentOf('passport'),
      transcript: documentOf('transcript'),
      draftDocument: upload.body.id,
      family: family.id,
      neighbourFamily: neighbourFamily.id,
      otherFamily: otherFamily.id,
      placement: placement.id,
      familyItem: familyItem.id,
      schoolItem: schoolItem.id,
      notification: notification.id,
      studentUser: student.user.id,
    },
  };
}
