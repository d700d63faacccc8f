/**
 * Host families, matching and placements from the attacker's side. Every route of the
 * feature is tried by every caller who should not take it: outside its scope the object
 * is not found (404, the same answer as for an id that does not exist), visible but not
 * its to change is forbidden (403, whatever the object's status). The table of cases is
 * the product of the routes and the attackers, its expected status worked out from who
 * sees what (SPEC section 2); after each refused request the rows of the feature are
 * exactly as they were.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { newInstitution, signedIn, type Session } from '../harness/factories.js';
import { expectProblem } from '../harness/expect.js';
import { acceptedApplications, familyBody, familyUser, homestayExchange, newFamily, proposedPlacement, vettedFamily, vettingBody } from '../harness/host-families.js';
import { YEAR } from '../harness/partnerships.js';
import type { Role } from '../../src/users/user.entity.js';

/** The rows a refused request must leave as they were. */
const TABLES = ['host_families', 'host_family_vettings', 'placements', 'applications', 'application_history', 'users', 'password_tokens'] as const;

/** A digest of every row of each table: any insert, update or delete changes it. */
async function snapshot(t: TestApp): Promise<Record<string, string>> {
  const columns = TABLES.map((table) => `(SELECT count(*) || ':' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${table} r) AS ${table}`);
  const [row] = await t.dataSource.query(`SELECT ${columns.join(', ')}`);
  return row;
}

/** What every client sees of a problem, whichever object it was about. */
const problemOf = (response: ApiResponse) => ({ status: response.status, code: response.body?.code, title: response.body?.title, detail: response.body?.detail });

const ids = (response: ApiResponse) => (response.body.items as { id: string }[]).map((item) => item.id);

/** Every id of a list, following nextCursor to the end. */
async function walk(t: TestApp, path: string, token: string, query: Record<string, string> = {}): Promise<ApiResponse | string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await t.api.get(path, { token, query: { limit: 100, ...query, cursor } });
    if (page.status !== 200) return page;
    seen.push(...ids(page));
    if (page.body.nextCursor === null) return seen.sort();
    cursor = page.body.nextCursor;
  }
  throw new Error(`${path} did not end after 50 pages`);
}

/** The objects attacked: families of the receiving institution in each status, its placements, its incoming applications, the institution itself. */
type Target = 'approvedFamily' | 'freeFamily' | 'pendingFamily' | 'suspendedFamily' | 'proposedPlacement' | 'acceptedPlacement' | 'placedApplication' | 'unplacedApplication' | 'receivingInstitution';

const ATTACKERS = [
  { name: 'otherCoordinator', role: 'coordinator', who: "another institution's coordinator" },
  { name: 'otherHostSchool', role: 'host_school', who: "another institution's host-school staff" },
  { name: 'sendingCoordinator', role: 'coordinator', who: 'the sending coordinator' },
  { name: 'sendingHostSchool', role: 'host_school', who: "the sending institution's host-school staff" },
  { name: 'ownHostSchool', role: 'host_school', who: "the receiving institution's host-school staff" },
  { name: 'otherFamilyUser', role: 'host_family', who: 'a host_family user of another family of the institution' },
  { name: 'foreignFamilyUser', role: 'host_family', who: "a host_family user of another institution's family" },
  { name: 'familylessUser', role: 'host_family', who: 'a host_family user with no family' },
  { name: 'proposedStudent', role: 'student', who: 'the student of the proposed placement' },
  { name: 'acceptedStudent', role: 'student', who: 'the student of the accepted placement' },
  { name: 'unplacedStudent', role: 'student', who: 'an accepted student not placed yet' },
  { name: 'receivingStudent', role: 'student', who: 'a student of the receiving institution' },
  { name: 'otherStudent', role: 'student', who: "another institution's student" },
] as const satisfies readonly { name: string; role: Role; who: string }[];

type AttackerName = (typeof ATTACKERS)[number]['name'];
type Attacker = (typeof ATTACKERS)[number];

const FAMILIES = ['approvedFamily', 'freeFamily', 'pendingFamily', 'suspendedFamily'] as const;
const PLACEMENTS = ['proposedPlacement', 'acceptedPlacement'] as const;

/**
 * SPEC section 2, written out: which attackers see each target at all. The receiving
 * institution's host-school staff read its families and placements; a student its own
 * placement once accepted and its own application; the sending coordinator its outgoing
 * applications (never the receiving side's families or placements); institutions are
 * public.
 */
const SEEN_BY: Record<Target, readonly AttackerName[]> = {
  approvedFamily: ['ownHostSchool'],
  freeFamily: ['ownHostSchool'],
  pendingFamily: ['ownHostSchool'],
  suspendedFamily: ['ownHostSchool'],
  proposedPlacement: ['ownHostSchool'],
  acceptedPlacement: ['ownHostSchool', 'acceptedStudent'],
  placedApplication: ['sendingCoordinator', 'ownHostSchool', 'proposedStudent'],
  unplacedApplication: ['sendingCoordinator', 'ownHostSchool', 'unplacedStudent'],
  receivingInstitution: ATTACKERS.map((a) => a.name),
};

interface Fixtures {
  t: TestApp;
  ids: Record<Target, string>;
  sessions: Record<AttackerName, Session>;
  receivingCoordinator: Session;
  familyOwner: Session;
  foreignFamilyId: string;
  /** an application whose placement the family declined */
  declined: { applicationId: string; placementId: string; student: Session };
  /** the application of the accepted placement */
  acceptedApplicationId: string;
}

interface Route {
  label: string;
  target: Target;
  /** the roles the route is open to at all (@Roles): the others 403, whatever the id */
  roles?: readonly Role[];
  /** a read: 200 for whoever sees the target */
  read?: boolean;
  /** the code of the 404 for a target out of scope */
  notFound?: string;
  send(fx: Fixtures, id: string, token: string): Promise<ApiResponse>;
}

const DECLINE_REASON = 'Our daughter is ill this autumn';

const STAFF_CREATORS: readonly Role[] = ['admin', 'coordinator'];
const later = `${YEAR + 1}-08-31`;

const ROUTES: Route[] = [
  {
    label: 'POST /host-families (institutionId: the receiving institution)',
    target: 'receivingInstitution',
    roles: STAFF_CREATORS,
    send: (fx, id, token) => fx.t.api.post('/host-families', familyBody({ institutionId: id }), { token }),
  },
  ...FAMILIES.flatMap((family): Route[] => [
    { label: `GET /host-families/{${family}}`, target: family, read: true, notFound: 'host_family.not_found', send: (fx, id, token) => fx.t.api.get(`/host-families/${id}`, { token }) },
    {
      label: `PATCH /host-families/{${family}} (capacity and availability)`,
      target: family,
      notFound: 'host_family.not_found',
      send: (fx, id, token) => fx.t.api.patch(`/host-families/${id}`, { capacity: 3, availableTo: later }, { token }),
    },
    {
      label: `PATCH /host-families/{${family}} (record)`,
      target: family,
      notFound: 'host_family.not_found',
      send: (fx, id, token) => fx.t.api.patch(`/host-families/${id}`, { displayName: 'Taken over', contactEmail: 'attacker@evil.example' }, { token }),
    },
    { label: `POST /host-families/{${family}}/vet`, target: family, notFound: 'host_family.not_found', send: (fx, id, token) => fx.t.api.post(`/host-families/${id}/vet`, vettingBody(), { token }) },
    {
      label: `POST /host-families/{${family}}/suspend`,
      target: family,
      notFound: 'host_family.not_found',
      send: (fx, id, token) => fx.t.api.post(`/host-families/${id}/suspend`, { reason: 'Attacked' }, { token }),
    },
  ]),
  ...(['placedApplication', 'unplacedApplication'] as const).map(
    (application): Route => ({
      label: `GET /applications/{${application}}/host-family-matches`,
      target: application,
      roles: STAFF_CREATORS,
      notFound: 'application.not_found',
      send: (fx, id, token) => fx.t.api.get(`/applications/${id}/host-family-matches`, { token }),
    }),
  ),
  {
    label: 'POST /placements (unplacedApplication with freeFamily)',
    target: 'unplacedApplication',
    roles: STAFF_CREATORS,
    notFound: 'application.not_found',
    send: (fx, id, token) => fx.t.api.post('/placements', { applicationId: id, hostFamilyId: fx.ids.freeFamily }, { token }),
  },
  ...PLACEMENTS.flatMap((placement): Route[] => [
    { label: `GET /placements/{${placement}}`, target: placement, read: true, notFound: 'placement.not_found', send: (fx, id, token) => fx.t.api.get(`/placements/${id}`, { token }) },
    ...(['accept', 'decline', 'cancel', 'end'] as const).map(
      (name): Route => ({
        label: `POST /placements/{${placement}}/${name}`,
        target: placement,
        notFound: 'placement.not_found',
        send: (fx, id, token) => fx.t.api.post(`/placements/${id}/${name}`, { reason: 'Attacked', comment: 'by someone else' }, { token }),
      }),
    ),
  ]),
  {
    label: 'POST /users (host_family of approvedFamily, institutionId: the receiving institution)',
    target: 'receivingInstitution',
    roles: STAFF_CREATORS,
    send: (fx, id, token) => fx.t.api.post('/users', { email: `mole.${randomUUID()}@evil.example`, fullName: 'Mole', role: 'host_family', institutionId: id, hostFamilyId: fx.ids.approvedFamily }, { token }),
  },
  {
    label: "POST /users (host_family of approvedFamily, the caller's own institution)",
    target: 'approvedFamily',
    roles: STAFF_CREATORS,
    notFound: 'host_family.not_found',
    send: (fx, id, token) => fx.t.api.post('/users', { email: `mole.${randomUUID()}@evil.example`, fullName: 'Mole', role: 'host_family', hostFamilyId: id }, { token }),
  },
];

/** 403 when the route is not open to the role; else 404 out of scope; else 200 for a read, 403 for an action that is not the caller's. */
function expectedStatus(route: Route, attacker: Attacker): 200 | 403 | 404 {
  if (route.roles && !route.roles.includes(attacker.role)) return 403;
  if (!SEEN_BY[route.target].includes(attacker.name)) return 404;
  return route.read ? 200 : 403;
}

const CASES = ROUTES.flatMap((route) => ATTACKERS.map((attacker) => [`${route.label} by ${attacker.who} → ${expectedStatus(route, attacker)}`, route, attacker, expectedStatus(route, attacker)] as const));

describe('host families and placements: access from the attacker side', () => {
  let t: TestApp;
  let fx: Fixtures;
  let stay: { startsOn: string; endsOn: string };

  beforeAll(async () => {
    // Many sign-ins from one address: the per-address login limit is not what is tested here.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    const exchange = await homestayExchange(t, { seats: 10 });
    stay = { startsOn: exchange.program.startsOn, endsOn: exchange.program.endsOn };
    const receiving = exchange.receiving.institutionId;
    const coordinator = exchange.receiving.coordinator;
    const other = await newInstitution(t.dataSource, { name: `Elsewhere ${randomUUID().slice(0, 8)}`, city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' });
    const staff = (role: Role, institutionId: string) => signedIn(t.dataSource, t.api, { role, institutionId });

    const [approved, free, otherFamily, pending, suspended, applications, otherCoordinator, otherHostSchool, sendingHostSchool, ownHostSchool, familylessUser, receivingStudent, otherStudent] = await Promise.all([
      vettedFamily(t, coordinator),
      vettedFamily(t, coordinator),
      vettedFamily(t, coordinator),
      newFamily(t, coordinator),
      vettedFamily(t, coordinator),
      acceptedApplications(t, exchange, 4),
      staff('coordinator', other.id),
      staff('host_school', other.id),
      staff('host_school', exchange.sending.institutionId),
      staff('host_school', receiving),
      staff('host_family', receiving),
      staff('student', receiving),
      staff('student', other.id),
    ]);
    const foreignFamily = await vettedFamily(t, otherCoordinator);
    const suspend = await t.api.post(`/host-families/${suspended.id}/suspend`, { reason: 'Moving house' }, { token: coordinator.token });
    expect(suspend.status).toBe(200);
    const [familyOwner, otherFamilyUser, foreignFamilyUser] = await Promise.all([
      familyUser(t, receiving, approved.id),
      familyUser(t, receiving, otherFamily.id),
      familyUser(t, other.id, foreignFamily.id),
    ]);

    const [placed, accepted, unplaced, turnedDown] = applications;
    const proposed = await proposedPlacement(t, coordinator, { applicationId: placed.application.id, hostFamilyId: approved.id });
    const toAccept = await proposedPlacement(t, coordinator, { applicationId: accepted.application.id, hostFamilyId: approved.id });
    expect((await t.api.post(`/placements/${toAccept.id}/accept`, {}, { token: familyOwner.token })).status).toBe(200);
    const toDecline = await proposedPlacement(t, coordinator, { applicationId: turnedDown.application.id, hostFamilyId: otherFamily.id });
    expect((await t.api.post(`/placements/${toDecline.id}/decline`, { reason: DECLINE_REASON }, { token: otherFamilyUser.token })).status).toBe(200);

    fx = {
      t,
      ids: {
        approvedFamily: approved.id,
        freeFamily: free.id,
        pendingFamily: pending.id,
        suspendedFamily: suspended.id,
        proposedPlacement: proposed.id,
        acceptedPlacement: toAccept.id,
        placedApplication: placed.application.id,
        unplacedApplication: unplaced.application.id,
        receivingInstitution: receiving,
      },
      sessions: {
        otherCoordinator,
        otherHostSchool,
        sendingCoordinator: exchange.sending.coordinator,
        sendingHostSchool,
        ownHostSchool,
        otherFamilyUser,
        foreignFamilyUser,
        familylessUser,
        proposedStudent: placed.student,
        acceptedStudent: accepted.student,
        unplacedStudent: unplaced.student,
        receivingStudent,
        otherStudent,
      },
      receivingCoordinator: coordinator,
      familyOwner,
      foreignFamilyId: foreignFamily.id,
      declined: { applicationId: turnedDown.application.id, placementId: toDecline.id, student: turnedDown.student },
      acceptedApplicationId: accepted.application.id,
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('starts from the statuses the table assumes', async () => {
    const statuses = await t.dataSource.query(
      `SELECT (SELECT array_agg(status::text ORDER BY array_position($1::uuid[], id)) FROM host_families WHERE id = ANY($1)) AS families,
              (SELECT array_agg(status::text ORDER BY array_position($2::uuid[], id)) FROM placements WHERE id = ANY($2)) AS placements,
              (SELECT array_agg(status::text ORDER BY array_position($3::uuid[], id)) FROM applications WHERE id = ANY($3)) AS applications`,
      [FAMILIES.map((f) => fx.ids[f]), PLACEMENTS.map((p) => fx.ids[p]), [fx.ids.placedApplication, fx.ids.unplacedApplication]],
    );
    expect(statuses[0]).toEqual({ families: ['approved', 'approved', 'pending_vetting', 'suspended'], placements: ['proposed', 'accepted'], applications: ['accepted', 'accepted'] });
    expect(CASES.length).toBe(ROUTES.length * ATTACKERS.length);
  });

  it.each(CASES)('%s', async (_label, route, attacker, status) => {
    const token = fx.sessions[attacker.name].token;
    const before = await snapshot(t);
    const response = await route.send(fx, fx.ids[route.target], token);
    if (status === 200) expect({ status: response.status, id: response.body?.id }).toEqual({ status: 200, id: fx.ids[route.target] });
    else expectProblem(response, status, status === 403 ? 'access.forbidden' : route.notFound);
    expect(await snapshot(t)).toEqual(before);
    if (status === 404) {
      // Not found means exactly that: the answer for an id that exists nowhere.
      const missing = await route.send(fx, randomUUID(), token);
      expect(problemOf(missing)).toEqual(problemOf(response));
      expect(await snapshot(t)).toEqual(before);
    }
  });

  describe('the receiving coordinator reaching for objects of another institution', () => {
    it("answers 404 for another institution's family wherever it is named, and writes nothing", async () => {
      const token = fx.receivingCoordinator.token;
      const foreign = fx.foreignFamilyId;
      const before = await snapshot(t);
      const answers = await Promise.all([
        t.api.get(`/host-families/${foreign}`, { token }),
        t.api.patch(`/host-families/${foreign}`, { capacity: 3 }, { token }),
        t.api.post(`/host-families/${foreign}/vet`, vettingBody(), { token }),
        t.api.post(`/host-families/${foreign}/suspend`, { reason: 'Not ours' }, { token }),
        t.api.post('/placements', { applicationId: fx.ids.unplacedApplication, hostFamilyId: foreign }, { token }),
        t.api.post('/users', { email: `mole.${randomUUID()}@evil.example`, fullName: 'Mole', role: 'host_family', hostFamilyId: foreign }, { token }),
      ]);
      for (const answer of answers) expectProblem(answer, 404, 'host_family.not_found');
      expect(await snapshot(t)).toEqual(before);
    });

    it("forbids naming another institution as the family's or the user's (403), and writes nothing", async () => {
      const token = fx.receivingCoordinator.token;
      const [other] = await t.dataSource.query('SELECT institution_id AS id FROM host_families WHERE id = $1', [fx.foreignFamilyId]);
      const before = await snapshot(t);
      expectProblem(await t.api.post('/host-families', familyBody({ institutionId: other.id }), { token }), 403, 'access.forbidden');
      expectProblem(
        await t.api.post('/users', { email: `mole.${randomUUID()}@evil.example`, fullName: 'Mole', role: 'host_family', institutionId: other.id, hostFamilyId: fx.foreignFamilyId }, { token }),
        403,
        'access.forbidden',
      );
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('host-family accounts are bound to one family, by whoever creates them only', () => {
    it('a host_family account needs its family, and only host_family accounts have one (400), nothing written', async () => {
      const token = fx.receivingCoordinator.token;
      const before = await snapshot(t);
      const person = () => ({ email: `person.${randomUUID()}@test.example`, fullName: 'Person' });
      expectProblem(await t.api.post('/users', { ...person(), role: 'host_family' }, { token }), 400, 'validation.failed', ['hostFamilyId']);
      expectProblem(await t.api.post('/users', { ...person(), role: 'host_school', hostFamilyId: fx.ids.approvedFamily }, { token }), 400, 'validation.failed', ['hostFamilyId']);
      expect(await snapshot(t)).toEqual(before);
    });

    it.each(['familyOwner', 'otherFamilyUser', 'familylessUser', 'ownHostSchool', 'acceptedStudent'] as const)('PATCH /me cannot bind %s to a family or move it (400), nothing written', async (name) => {
      const session = name === 'familyOwner' ? fx.familyOwner : fx.sessions[name];
      const before = await snapshot(t);
      for (const extra of [{ hostFamilyId: fx.ids.freeFamily }, { institutionId: fx.ids.receivingInstitution }, { role: 'coordinator' }]) {
        expectProblem(await t.api.patch('/me', { fullName: 'Still me', ...extra }, { token: session.token }), 400, 'validation.failed', Object.keys(extra));
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('lists show each caller only what it may see', () => {
    /** SPEC section 2 in SQL: the families and placements each role sees. */
    async function expectedFamilies(session: Session): Promise<string[] | 403> {
      const { role, institutionId, hostFamilyId } = session.user;
      if (role === 'student') return 403;
      if (role === 'host_family') return hostFamilyId ? [hostFamilyId] : [];
      const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM host_families WHERE institution_id = $1', [institutionId]);
      return rows.map((r) => r.id).sort();
    }
    async function expectedPlacements(session: Session): Promise<string[]> {
      const { id, role, institutionId, hostFamilyId } = session.user;
      if (role === 'host_family' && !hostFamilyId) return [];
      const where = { student: 'student_id = $1 AND accepted_at IS NOT NULL', host_family: 'host_family_id = $1' }[role as string] ?? 'receiving_institution_id = $1';
      const rows: { id: string }[] = await t.dataSource.query(`SELECT id FROM placements WHERE ${where}`, [role === 'student' ? id : role === 'host_family' ? hostFamilyId : institutionId]);
      return rows.map((r) => r.id).sort();
    }

    it.each(ATTACKERS.map((a) => [a.who, a.name] as const))('GET /host-families and GET /placements for %s', async (_who, name) => {
      const session = fx.sessions[name];
      const families = await expectedFamilies(session);
      const placements = await expectedPlacements(session);
      const before = await snapshot(t);

      const [familyList, placementList] = await Promise.all([walk(t, '/host-families', session.token), walk(t, '/placements', session.token)]);
      if (families === 403) expectProblem(familyList as ApiResponse, 403, 'access.forbidden');
      else expect(familyList).toEqual(families);
      expect(placementList).toEqual(placements);

      // Filters naming the receiving institution's objects narrow the caller's list, never widen it.
      const snooping = await Promise.all([
        walk(t, '/host-families', session.token, { institutionId: fx.ids.receivingInstitution }),
        walk(t, '/host-families', session.token, { status: 'approved', q: 'Famille' }),
        walk(t, '/placements', session.token, { hostFamilyId: fx.ids.approvedFamily }),
        walk(t, '/placements', session.token, { applicationId: fx.ids.placedApplication }),
        walk(t, '/placements', session.token, { status: 'proposed' }),
      ]);
      for (const list of snooping.slice(0, 2)) {
        if (families === 403) expectProblem(list as ApiResponse, 403, 'access.forbidden');
        else expect(families).toEqual(expect.arrayContaining(list as string[]));
      }
      for (const list of snooping.slice(2)) expect(placements).toEqual(expect.arrayContaining(list as string[]));
      expect(await snapshot(t)).toEqual(before);
    });

    it('those lists are not empty by accident: the host school sees every family and placement of its institution, a family user its own, a student its accepted placement', () => {
      return Promise.all([
        expectedFamilies(fx.sessions.ownHostSchool).then((list) => expect(list).toEqual(expect.arrayContaining(FAMILIES.map((f) => fx.ids[f])))),
        expectedFamilies(fx.sessions.otherFamilyUser).then((list) => expect(list).toEqual([fx.sessions.otherFamilyUser.user.hostFamilyId])),
        expectedFamilies(fx.sessions.foreignFamilyUser).then((list) => expect(list).toEqual([fx.foreignFamilyId])),
        expectedPlacements(fx.sessions.ownHostSchool).then((list) => expect(list).toEqual([...PLACEMENTS.map((p) => fx.ids[p]), fx.declined.placementId].sort())),
        expectedPlacements(fx.sessions.otherFamilyUser).then((list) => expect(list).toEqual([fx.declined.placementId])),
        expectedPlacements(fx.sessions.acceptedStudent).then((list) => expect(list).toEqual([fx.ids.acceptedPlacement])),
        expectedPlacements(fx.sessions.proposedStudent).then((list) => expect(list).toEqual([])),
      ]);
    });

    it("shows a family's own users their record without the vetting notes or the suspension reason", async () => {
      const [one, list] = await Promise.all([
        t.api.get(`/host-families/${fx.ids.approvedFamily}`, { token: fx.familyOwner.token }),
        t.api.get('/host-families', { token: fx.familyOwner.token }),
      ]);
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('vettings');
      expect(one.body).not.toHaveProperty('suspensionReason');
      expect(ids(list)).toEqual([fx.ids.approvedFamily]);
      expect(list.body.items[0]).not.toHaveProperty('suspensionReason');
      expect(one.text).not.toContain('All in order.');
    });
  });

  describe('mass assignment: fields a body may not carry are rejected (400), never written', () => {
    const FAMILY_EXTRAS: Record<string, unknown>[] = [
      { status: 'approved' },
      { vettingExpiresOn: `${YEAR + 5}-01-01` },
      { id: randomUUID() },
      { suspensionReason: null },
      { vettingExpired: false },
      { createdAt: '2000-01-01T00:00:00Z' },
    ];

    it.each(FAMILY_EXTRAS.map((extra) => [Object.keys(extra)[0], extra] as const))('POST /host-families with %s', async (field, extra) => {
      const before = await snapshot(t);
      const body = familyBody(extra);
      const response = await t.api.post('/host-families', body, { token: fx.receivingCoordinator.token });
      expectProblem(response, 400, 'validation.failed', [field]);
      expect(await snapshot(t)).toEqual(before);
    });

    it.each([...FAMILY_EXTRAS, { institutionId: randomUUID() }].map((extra) => [Object.keys(extra)[0], extra] as const))('PATCH /host-families/{id} with %s (by its coordinator and by its own users)', async (field, extra) => {
      const before = await snapshot(t);
      for (const session of [fx.receivingCoordinator, fx.familyOwner]) {
        for (const body of [extra, { capacity: 2, ...extra }]) {
          expectProblem(await t.api.patch(`/host-families/${fx.ids.approvedFamily}`, body, { token: session.token }), 400, 'validation.failed', [field]);
        }
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('PATCH /host-families/{id} moving the family to an institution that exists (400), nothing written', async () => {
      const [other] = await t.dataSource.query('SELECT institution_id AS id FROM host_families WHERE id = $1', [fx.foreignFamilyId]);
      const before = await snapshot(t);
      for (const institutionId of [other.id, fx.ids.receivingInstitution]) {
        expectProblem(await t.api.patch(`/host-families/${fx.ids.approvedFamily}`, { institutionId }, { token: fx.receivingCoordinator.token }), 400, 'validation.failed', ['institutionId']);
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it.each([{ status: 'approved' }, { vettingExpiresOn: `${YEAR + 5}-01-01` }, { expiresOn: `${YEAR + 5}-01-01` }, { recordedBy: randomUUID() }].map((extra) => [Object.keys(extra)[0], extra] as const))(
      'POST /host-families/{id}/vet with %s',
      async (field, extra) => {
        const before = await snapshot(t);
        expectProblem(await t.api.post(`/host-families/${fx.ids.pendingFamily}/vet`, vettingBody(extra), { token: fx.receivingCoordinator.token }), 400, 'validation.failed', [field]);
        expect(await snapshot(t)).toEqual(before);
      },
    );

    it.each(
      [{ status: 'accepted' }, { acceptedAt: new Date().toISOString() }, { studentId: randomUUID() }, { id: randomUUID() }, { receivingInstitutionId: randomUUID() }, { proposedById: randomUUID() }].map(
        (extra) => [Object.keys(extra)[0], extra] as const,
      ),
    )('POST /placements with %s', async (field, extra) => {
      const before = await snapshot(t);
      const body = { applicationId: fx.ids.unplacedApplication, hostFamilyId: fx.ids.freeFamily, ...extra };
      expectProblem(await t.api.post('/placements', body, { token: fx.receivingCoordinator.token }), 400, 'validation.failed', [field]);
      expect(await snapshot(t)).toEqual(before);
    });

    it('POST /placements/{id}/{transition} with a status or a date (by the family and by its coordinator)', async () => {
      const before = await snapshot(t);
      for (const [session, name] of [
        [fx.familyOwner, 'accept'],
        [fx.familyOwner, 'decline'],
        [fx.receivingCoordinator, 'cancel'],
        [fx.receivingCoordinator, 'accept'],
      ] as const) {
        for (const extra of [{ status: 'ended' }, { acceptedAt: new Date().toISOString() }, { endedOn: stay.startsOn }, { hostFamilyId: fx.ids.freeFamily }]) {
          const response = await t.api.post(`/placements/${fx.ids.proposedPlacement}/${name}`, { reason: 'x', ...extra }, { token: session.token });
          expectProblem(response, 400, 'validation.failed', Object.keys(extra));
        }
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe("a family's own users change only its availability and capacity", () => {
    const RESTRICTED: Record<string, unknown> = {
      displayName: 'Renamed by the family',
      contactEmail: 'new.contact@family.example',
      contactPhone: '+33 6 00 00 00 00',
      address: { line1: '1 place Stanislas', city: 'Nancy', postalCode: '54000', country: 'FR' },
      languages: ['de'],
      hasPets: true,
      petTypes: ['dog'],
      smokingHousehold: true,
      dietsSupported: ['halal'],
      acceptsMinors: false,
      genderPreference: 'female',
      commuteMinutes: 5,
    };

    it.each(Object.entries(RESTRICTED))('PATCH %s → 403 naming it, alone or with capacity, and nothing changes', async (field, value) => {
      const before = await snapshot(t);
      for (const body of [{ [field]: value }, { capacity: 3, availableTo: later, [field]: value }]) {
        const response = await t.api.patch(`/host-families/${fx.ids.approvedFamily}`, body, { token: fx.familyOwner.token });
        expectProblem(response, 403, 'access.forbidden', [field]);
        expect((response.body.errors as { field: string }[]).map((e) => e.field)).toEqual([field]);
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('commuteMinutes: null is a change too (403)', async () => {
      const before = await snapshot(t);
      expectProblem(await t.api.patch(`/host-families/${fx.ids.approvedFamily}`, { commuteMinutes: null }, { token: fx.familyOwner.token }), 403, 'access.forbidden', ['commuteMinutes']);
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe("the application's history", () => {
    /** The actions of the placement entries of an application's history, as `session` reads it. */
    async function placementEntries(applicationId: string, session: Session): Promise<string[]> {
      const response = await t.api.get(`/applications/${applicationId}/history`, { token: session.token });
      expect(response.status).toBe(200);
      return (response.body.items as { action: string }[]).map((e) => e.action).filter((action) => action.startsWith('placement.'));
    }

    it('tells of a placement only those who see the placement: never the sending side, the student once it is accepted', async () => {
      const { sessions, receivingCoordinator, declined } = fx;
      const read = (applicationId: string, sessionList: Session[]) => Promise.all(sessionList.map((s) => placementEntries(applicationId, s)));
      expect(await read(fx.ids.placedApplication, [sessions.proposedStudent, sessions.sendingCoordinator, sessions.ownHostSchool, receivingCoordinator])).toEqual([
        [],
        [],
        ['placement.propose'],
        ['placement.propose'],
      ]);
      expect(await read(fx.acceptedApplicationId, [sessions.acceptedStudent, sessions.sendingCoordinator, receivingCoordinator])).toEqual([
        ['placement.propose', 'placement.accept'],
        [],
        ['placement.propose', 'placement.accept'],
      ]);
      expect(await read(declined.applicationId, [declined.student, sessions.sendingCoordinator, receivingCoordinator])).toEqual([[], [], ['placement.propose', 'placement.decline']]);
      // The family's reason for turning the student down reaches its coordinator, not the student.
      const [own, coordinators] = await Promise.all([
        t.api.get(`/applications/${declined.applicationId}/history`, { token: declined.student.token }),
        t.api.get(`/applications/${declined.applicationId}/history`, { token: receivingCoordinator.token }),
      ]);
      expect(own.text).not.toContain(DECLINE_REASON);
      expect(coordinators.body.items.find((e: { action: string }) => e.action === 'placement.decline')).toMatchObject({ reason: DECLINE_REASON, details: { to: 'declined' } });
    });
  });

  // Last: these change the rows. They show that the refusals above were about the caller, not the object's state.
  describe('the parties themselves take the same actions', () => {
    it('the family accepts its proposed placement and changes its capacity; the coordinator matches, places, suspends, vets, ends and invites', async () => {
      const coordinator = fx.receivingCoordinator.token;
      const owner = fx.familyOwner.token;
      const capacity = await t.api.patch(`/host-families/${fx.ids.approvedFamily}`, { capacity: 3, availableTo: later }, { token: owner });
      expect({ status: capacity.status, capacity: capacity.body.capacity, availableTo: capacity.body.availableTo }).toEqual({ status: 200, capacity: 3, availableTo: later });
      expect((await t.api.post(`/placements/${fx.ids.proposedPlacement}/accept`, {}, { token: owner })).body.status).toBe('accepted');

      const matches = await t.api.get(`/applications/${fx.ids.unplacedApplication}/host-family-matches`, { token: coordinator });
      expect(matches.status).toBe(200);
      expect(matches.body.items.map((m: { hostFamilyId: string }) => m.hostFamilyId)).toContain(fx.ids.freeFamily);
      expect((await t.api.post('/placements', { applicationId: fx.ids.unplacedApplication, hostFamilyId: fx.ids.freeFamily }, { token: coordinator })).status).toBe(201);
      expect((await t.api.patch(`/host-families/${fx.ids.pendingFamily}`, { displayName: 'Renamed' }, { token: coordinator })).status).toBe(200);
      expect((await t.api.post(`/host-families/${fx.ids.pendingFamily}/suspend`, { reason: 'Paperwork missing' }, { token: coordinator })).body.status).toBe('suspended');
      expect((await t.api.post(`/host-families/${fx.ids.suspendedFamily}/vet`, vettingBody(), { token: coordinator })).body.status).toBe('approved');
      // Ending needs a placement that has begun.
      await t.dataSource.query('UPDATE placements SET starts_on = current_date - 5 WHERE id = $1', [fx.ids.acceptedPlacement]);
      expect((await t.api.post(`/placements/${fx.ids.acceptedPlacement}/end`, { reason: 'Left early' }, { token: coordinator })).body.status).toBe('ended');
      const invited = await t.api.post('/users', { email: `family.${randomUUID()}@test.example`, fullName: 'Parent', role: 'host_family', hostFamilyId: fx.ids.approvedFamily }, { token: coordinator });
      expect(invited.body).toMatchObject({ role: 'host_family', institutionId: fx.ids.receivingInstitution });
    });
  });
});
