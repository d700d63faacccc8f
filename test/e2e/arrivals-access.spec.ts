/**
 * Arrivals from the attacker's side: travel details, the checklist and its items, check-in
 * and completion of the stay, the transcript of records, and the arrivals board with its
 * calendar feed. Every route is tried by every caller who should not take it: outside its
 * scope the object is not found (404, the same answer as for an id that does not exist),
 * visible but not its to change is forbidden (403, whatever the object's status), and a
 * party whose action the object's state no longer allows is told so (409). The table of
 * cases is the product of the routes and the attackers, its expected status worked out from
 * who sees what (SPEC section 2, src/arrivals/arrival.rules.ts); after each refused request
 * the rows of the feature are exactly as they were.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { acceptedApplication, stayBegun, transition, uploadDocument } from '../harness/applications.js';
import { signedIn, type Session } from '../harness/factories.js';
import { expectProblem } from '../harness/expect.js';
import { familyUser, homestayExchange, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { generateChecklist } from '../../src/arrivals/checklist.js';
import type { Role } from '../../src/users/user.entity.js';

/** The rows a refused request must leave as they were. */
const TABLES = ['applications', 'application_history', 'checklist_items', 'placements', 'documents', 'document_downloads', 'host_families', 'users'] as const;

/** A digest of every row of each table (any insert, update or delete changes it), and the stored files. */
async function snapshot(t: TestApp): Promise<Record<string, string | number>> {
  const columns = TABLES.map((table) => `(SELECT count(*) || ':' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM ${table} r) AS ${table}`);
  const [row] = await t.dataSource.query(`SELECT ${columns.join(', ')}`);
  const folder = join(t.settings.dataDir, 'documents');
  return { ...row, files: existsSync(folder) ? readdirSync(folder).length : 0 };
}

/** What every client sees of a problem, whichever object it was about. */
const problemOf = (response: ApiResponse) => ({ status: response.status, code: response.body?.code, title: response.body?.title, detail: response.body?.detail });

const unique = () => randomUUID().slice(0, 8);
const HOUR = 3_600_000;

/** The objects attacked: applications of the receiving institution in each arrival status, and items of their checklists. */
type Target = 'confirmedApp' | 'arrivedPlaced' | 'arrivedUnplaced' | 'familyItem' | 'schoolItem' | 'doneItem' | 'unplacedItem';

const ATTACKERS = [
  { name: 'otherCoordinator', role: 'coordinator', who: "another institution's coordinator" },
  { name: 'otherHostSchool', role: 'host_school', who: "another institution's host-school staff" },
  { name: 'sendingHostSchool', role: 'host_school', who: "the sending institution's host-school staff" },
  { name: 'sendingCoordinator', role: 'coordinator', who: 'the sending coordinator' },
  { name: 'ownHostSchool', role: 'host_school', who: "the receiving institution's host-school staff" },
  { name: 'familyOwner', role: 'host_family', who: 'a host_family user of the family the student is placed with' },
  { name: 'otherFamilyUser', role: 'host_family', who: 'a host_family user of another family of the institution' },
  { name: 'foreignFamilyUser', role: 'host_family', who: "a host_family user of another institution's family" },
  { name: 'familylessUser', role: 'host_family', who: 'a host_family user with no family' },
  { name: 'confirmedStudent', role: 'student', who: 'the student of the confirmed application' },
  { name: 'arrivedStudent', role: 'student', who: 'the student placed and checked in' },
  { name: 'unplacedStudent', role: 'student', who: 'the student checked in without a family' },
  { name: 'classmate', role: 'student', who: 'another student of the sending institution' },
  { name: 'foreignStudent', role: 'student', who: "another institution's arriving student" },
] as const satisfies readonly { name: string; role: Role; who: string }[];

type AttackerName = (typeof ATTACKERS)[number]['name'];
type Attacker = (typeof ATTACKERS)[number];

/**
 * SPEC section 2 and arrival.rules.ts, written out: which attackers see each target at all.
 * An application: its sending coordinator, the receiving institution's host-school staff,
 * its student (the receiving coordinator and admins are not attackers). A checklist item:
 * whoever sees its application, and the family the student was placed with at check-in.
 */
const SEEN_BY: Record<Target, readonly AttackerName[]> = {
  confirmedApp: ['sendingCoordinator', 'ownHostSchool', 'confirmedStudent'],
  arrivedPlaced: ['sendingCoordinator', 'ownHostSchool', 'arrivedStudent'],
  arrivedUnplaced: ['sendingCoordinator', 'ownHostSchool', 'unplacedStudent'],
  familyItem: ['sendingCoordinator', 'ownHostSchool', 'arrivedStudent', 'familyOwner'],
  schoolItem: ['sendingCoordinator', 'ownHostSchool', 'arrivedStudent', 'familyOwner'],
  doneItem: ['sendingCoordinator', 'ownHostSchool', 'arrivedStudent', 'familyOwner'],
  unplacedItem: ['sendingCoordinator', 'ownHostSchool', 'unplacedStudent'],
};

interface Fixtures {
  t: TestApp;
  ids: Record<Target, string>;
  sessions: Record<AttackerName, Session>;
  receivingCoordinator: Session;
  receivingInstitutionId: string;
  programId: string;
  programEndsOn: string;
  /** a confirmed application for the check-in race, no travel given */
  raceAppId: string;
  /** a family item of the placed student's checklist for the completion race */
  raceItemId: string;
  /** the placement of the placed student */
  placementId: string;
  foreignAppId: string;
}

interface Route {
  label: string;
  target: Target;
  /** the roles the route is open to at all (@Roles): the others 403, whatever the id */
  roles?: readonly Role[];
  /** who sees the target, when the route widens it (the family reads its placed student's checklist) */
  seenBy?: readonly AttackerName[];
  /** a read: 200 for whoever sees the target */
  read?: boolean;
  /** the attackers whose action this is: left out of the table, or 409 with `conflict` when the target's state no longer allows it */
  takers?: readonly AttackerName[];
  conflict?: string;
  /** the code of the 404 for a target out of scope */
  notFound: string;
  send(fx: Fixtures, id: string, token: string): Promise<ApiResponse>;
}

/** A valid travel body: arriving tomorrow at Krasnodar airport. */
const travelBody = (overrides: Record<string, unknown> = {}) => ({
  arrivalAt: new Date(Date.now() + 24 * HOUR).toISOString().replace('Z', '+00:00'),
  transportMode: 'plane',
  reference: 'SU 1140',
  arrivalPoint: 'Krasnodar airport (KRR)',
  needsPickup: true,
  ...overrides,
});

const TRAVEL_ROLES: readonly Role[] = ['admin', 'coordinator', 'student'];
const upload = (fx: Fixtures, id: string, token: string) => uploadDocument(fx.t, { token } as Session, id, 'transcript_of_records');

const ROUTES: Route[] = [
  {
    label: 'PUT /applications/{confirmedApp}/travel',
    target: 'confirmedApp',
    roles: TRAVEL_ROLES,
    takers: ['confirmedStudent'],
    notFound: 'application.not_found',
    send: (fx, id, token) => fx.t.api.put(`/applications/${id}/travel`, travelBody({ arrivalPoint: 'Somewhere else', needsPickup: false }), { token }),
  },
  {
    label: 'PUT /applications/{arrivedPlaced}/travel',
    target: 'arrivedPlaced',
    roles: TRAVEL_ROLES,
    takers: ['arrivedStudent'],
    conflict: 'arrival.travel_not_editable',
    notFound: 'application.not_found',
    send: (fx, id, token) => fx.t.api.put(`/applications/${id}/travel`, travelBody(), { token }),
  },
  ...(['confirmedApp', 'arrivedPlaced', 'arrivedUnplaced'] as const).map(
    (target): Route => ({
      label: `GET /applications/{${target}}/checklist`,
      target,
      read: true,
      seenBy: target === 'arrivedPlaced' ? [...SEEN_BY.arrivedPlaced, 'familyOwner'] : undefined,
      notFound: 'application.not_found',
      send: (fx, id, token) => fx.t.api.get(`/applications/${id}/checklist`, { token }),
    }),
  ),
  ...(
    [
      ['familyItem', ['ownHostSchool', 'familyOwner'], undefined],
      ['schoolItem', ['ownHostSchool'], undefined],
      ['unplacedItem', ['ownHostSchool'], undefined],
      ['doneItem', ['ownHostSchool', 'familyOwner'], 'checklist_item.already_completed'],
    ] as const
  ).map(
    ([target, takers, conflict]): Route => ({
      label: `POST /checklist-items/{${target}}/complete`,
      target,
      takers,
      conflict,
      notFound: 'checklist_item.not_found',
      send: (fx, id, token) => fx.t.api.post(`/checklist-items/${id}/complete`, { note: 'Done, says the attacker' }, { token }),
    }),
  ),
  {
    label: 'POST /applications/{confirmedApp}/check-in',
    target: 'confirmedApp',
    takers: ['ownHostSchool'],
    notFound: 'application.not_found',
    send: (fx, id, token) => fx.t.api.post(`/applications/${id}/check-in`, { arrivedAt: new Date(Date.now() - HOUR).toISOString(), comment: 'by someone else' }, { token }),
  },
  {
    label: 'POST /applications/{arrivedPlaced}/check-in',
    target: 'arrivedPlaced',
    takers: ['ownHostSchool'],
    conflict: 'application.invalid_transition',
    notFound: 'application.not_found',
    send: (fx, id, token) => fx.t.api.post(`/applications/${id}/check-in`, {}, { token }),
  },
  ...(['arrivedPlaced', 'confirmedApp'] as const).map(
    (target): Route => ({
      label: `POST /applications/{${target}}/complete`,
      target,
      notFound: 'application.not_found',
      send: (fx, id, token) => fx.t.api.post(`/applications/${id}/complete`, { comment: 'by someone else' }, { token }),
    }),
  ),
  {
    label: 'POST /applications/{arrivedPlaced}/documents (transcript_of_records)',
    target: 'arrivedPlaced',
    // The student uploads its own documents (the service lets it); see the report of this suite.
    takers: ['arrivedStudent'],
    notFound: 'application.not_found',
    send: upload,
  },
];

type Expected = { status: 200 | 403 | 404 } | { status: 409; code: string } | 'theirs';

/** 403 when the route is not open to the role; else 404 out of scope; else 200 for a read, the taker's own action (or 409), 403 for the others. */
function expectedOf(route: Route, attacker: Attacker): Expected {
  if (route.roles && !route.roles.includes(attacker.role)) return { status: 403 };
  if (!(route.seenBy ?? SEEN_BY[route.target]).includes(attacker.name)) return { status: 404 };
  if (route.read) return { status: 200 };
  if (route.takers?.includes(attacker.name)) return route.conflict ? { status: 409, code: route.conflict } : 'theirs';
  return { status: 403 };
}

const CASES = ROUTES.flatMap((route) =>
  ATTACKERS.flatMap((attacker) => {
    const expected = expectedOf(route, attacker);
    return expected === 'theirs' ? [] : [[`${route.label} by ${attacker.who} → ${expected.status}`, route, attacker, expected] as const];
  }),
);

/** The ids of an application's checklist items, as the database has them. */
async function itemIds(t: TestApp, applicationId: string): Promise<string[]> {
  const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM checklist_items WHERE application_id = $1', [applicationId]);
  return rows.map((r) => r.id).sort();
}

describe('arrivals: access from the attacker side', () => {
  let t: TestApp;
  let fx: Fixtures;

  beforeAll(async () => {
    // Many sign-ins from one address: the per-address login limit is not what is tested here.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    const [exchange, foreign] = await Promise.all([homestayExchange(t, { seats: 10 }), homestayExchange(t, { seats: 5 })]);
    const receiving = exchange.receiving.institutionId;
    const coordinator = exchange.receiving.coordinator;
    const person = (role: Role, institutionId: string, fullName = `Test ${role} ${unique()}`) => signedIn(t.dataSource, t.api, { role, institutionId, fullName });
    const student = (institutionId: string, label: string) => person('student', institutionId, `Student ${label} ${unique()}`);
    const fields = { dateOfBirth: '2000-05-01', matchingProfile: profile() };

    const [family, otherFamily, foreignFamily, otherHostSchool, sendingHostSchool, ownHostSchool, familylessUser, confirmedStudent, arrivedStudent, unplacedStudent, raceStudent, classmate, foreignStudent] =
      await Promise.all([
        vettedFamily(t, coordinator),
        vettedFamily(t, coordinator),
        vettedFamily(t, foreign.receiving.coordinator),
        person('host_school', foreign.receiving.institutionId),
        person('host_school', exchange.sending.institutionId),
        person('host_school', receiving),
        person('host_family', receiving),
        student(exchange.sending.institutionId, 'confirmed'),
        student(exchange.sending.institutionId, 'placed'),
        student(exchange.sending.institutionId, 'unplaced'),
        student(exchange.sending.institutionId, 'racing'),
        student(exchange.sending.institutionId, 'classmate'),
        student(foreign.sending.institutionId, 'foreign'),
      ]);
    const [familyOwner, otherFamilyUser, foreignFamilyUser] = await Promise.all([
      familyUser(t, receiving, family.id),
      familyUser(t, receiving, otherFamily.id),
      familyUser(t, foreign.receiving.institutionId, foreignFamily.id),
    ]);

    const accepted = await Promise.all([
      acceptedApplication(t, confirmedStudent, exchange.program, exchange.sides, fields),
      acceptedApplication(t, arrivedStudent, exchange.program, exchange.sides, fields),
      acceptedApplication(t, unplacedStudent, exchange.program, exchange.sides, fields),
      acceptedApplication(t, raceStudent, exchange.program, exchange.sides, fields),
      acceptedApplication(t, foreignStudent, foreign.program, foreign.sides, fields),
    ]);
    const [confirmedApp, arrivedPlaced, arrivedUnplaced, raceApp, foreignApp] = accepted.map((a) => a.id as string);
    // The placed student's family accepts it before the stay (the family is available from August).
    const placement = await proposedPlacement(t, coordinator, { applicationId: arrivedPlaced, hostFamilyId: family.id });
    expect((await t.api.post(`/placements/${placement.id}/accept`, {}, { token: familyOwner.token })).status).toBe(200);
    const students = [confirmedStudent, arrivedStudent, unplacedStudent, raceStudent, foreignStudent];
    await Promise.all(accepted.map((a, i) => transition(t, students[i], a.id, 'confirm')));

    await Promise.all([stayBegun(t, exchange.program.id), stayBegun(t, foreign.program.id)]);
    const travel = await Promise.all(
      [
        [confirmedStudent, confirmedApp],
        [arrivedStudent, arrivedPlaced],
        [unplacedStudent, arrivedUnplaced],
        [foreignStudent, foreignApp],
      ].map(([who, id]) => t.api.put(`/applications/${id as string}/travel`, travelBody(), { token: (who as Session).token })),
    );
    expect(travel.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await transition(t, coordinator, arrivedPlaced, 'check-in');
    await transition(t, coordinator, arrivedUnplaced, 'check-in');

    const items = async (applicationId: string) => {
      const rows: { id: string; code: string; sequence: number }[] = await t.dataSource.query('SELECT id, code, sequence FROM checklist_items WHERE application_id = $1', [applicationId]);
      return (code: string) => rows.find((r) => r.code === code && r.sequence === 1)!.id;
    };
    const placedItem = await items(arrivedPlaced);
    const unplacedItem = await items(arrivedUnplaced);
    const done = await t.api.post(`/checklist-items/${placedItem('medical_exam_fingerprinting')}/complete`, { note: 'Seen at the clinic' }, { token: familyOwner.token });
    expect(done.status).toBe(200);

    fx = {
      t,
      ids: {
        confirmedApp,
        arrivedPlaced,
        arrivedUnplaced,
        familyItem: placedItem('migration_registration'),
        schoolItem: placedItem('host_family_welcome_check'),
        doneItem: placedItem('medical_exam_fingerprinting'),
        unplacedItem: unplacedItem('migration_registration'),
      },
      sessions: {
        otherCoordinator: foreign.receiving.coordinator,
        otherHostSchool,
        sendingHostSchool,
        sendingCoordinator: exchange.sending.coordinator,
        ownHostSchool,
        familyOwner,
        otherFamilyUser,
        foreignFamilyUser,
        familylessUser,
        confirmedStudent,
        arrivedStudent,
        unplacedStudent,
        classmate,
        foreignStudent,
      },
      receivingCoordinator: coordinator,
      receivingInstitutionId: receiving,
      programId: exchange.program.id,
      programEndsOn: exchange.program.endsOn,
      raceAppId: raceApp,
      raceItemId: placedItem('orientation'),
      placementId: placement.id,
      foreignAppId: foreignApp,
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('starts from the statuses the table assumes', async () => {
    const { ids } = fx;
    const [row] = await t.dataSource.query(
      `SELECT (SELECT array_agg(status::text ORDER BY array_position($1::uuid[], id)) FROM applications WHERE id = ANY($1)) AS applications,
              (SELECT array_agg(responsible || ':' || coalesce(host_family_id::text, '-') || ':' || (completed_at IS NOT NULL) ORDER BY array_position($2::uuid[], id)) FROM checklist_items WHERE id = ANY($2)) AS items`,
      [
        [ids.confirmedApp, ids.arrivedPlaced, ids.arrivedUnplaced, fx.raceAppId, fx.foreignAppId],
        [ids.familyItem, ids.schoolItem, ids.doneItem, ids.unplacedItem, fx.raceItemId],
      ],
    );
    const family = fx.sessions.familyOwner.user.hostFamilyId;
    expect(row).toEqual({
      applications: ['confirmed', 'arrived', 'arrived', 'confirmed', 'confirmed'],
      items: [`host_family:${family}:false`, `host_school:${family}:false`, `host_family:${family}:true`, 'host_school:-:false', `host_family:${family}:false`],
    });
    expect(await itemIds(t, ids.confirmedApp)).toEqual([]);
    expect(CASES.length).toBeGreaterThan(150);
  });

  it.each(CASES)('%s', async (_label, route, attacker, expected) => {
    const token = fx.sessions[attacker.name].token;
    const id = fx.ids[route.target];
    const before = await snapshot(t);
    const response = await route.send(fx, id, token);
    if (expected.status === 200) {
      // A read: the application's checklist, every item of it and nothing else.
      expect(response.status).toBe(200);
      expect((response.body.items as { id: string }[]).map((item) => item.id).sort()).toEqual(await itemIds(t, id));
    } else {
      expectProblem(response, expected.status, expected.status === 409 ? expected.code : expected.status === 403 ? 'access.forbidden' : route.notFound);
    }
    expect(await snapshot(t)).toEqual(before);
    if (expected.status === 404) {
      // Not found means exactly that: the answer for an id that exists nowhere.
      const missing = await route.send(fx, randomUUID(), token);
      expect(problemOf(missing)).toEqual(problemOf(response));
      expect(await snapshot(t)).toEqual(before);
    }
  });

  describe('the arrivals board and its feed show each caller its own institution only', () => {
    const BOARD_ROLES: readonly Role[] = ['admin', 'coordinator', 'host_school'];

    /** The board in SQL: the caller's institution's confirmed and arrived students with travel details. */
    async function expectedBoard(session: Session): Promise<string[] | 403> {
      if (!BOARD_ROLES.includes(session.user.role)) return 403;
      const rows: { id: string }[] = await t.dataSource.query(
        `SELECT id FROM applications WHERE receiving_institution_id = $1 AND status IN ('confirmed', 'arrived') AND expected_arrival_at IS NOT NULL`,
        [session.user.institutionId],
      );
      return rows.map((r) => r.id).sort();
    }

    /** Every application id of the board, following nextCursor to the end. */
    async function walk(token: string, query: Record<string, string> = {}): Promise<ApiResponse | string[]> {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await t.api.get('/arrivals', { token, query: { limit: 2, ...query, cursor } });
        if (page.status !== 200) return page;
        seen.push(...(page.body.items as { applicationId: string }[]).map((item) => item.applicationId));
        if (page.body.nextCursor === null) return seen.sort();
        cursor = page.body.nextCursor;
      }
      throw new Error('/arrivals did not end after 50 pages');
    }

    /** The applications of the feed's events (their UIDs), or the refusal. */
    async function feed(token: string, query: Record<string, string> = {}): Promise<ApiResponse | { ids: string[]; text: string }> {
      const response = await t.api.get('/arrivals.ics', { token, query });
      if (response.status !== 200) return response;
      expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
      const text = response.text.replace(/\r\n[ \t]/g, '');
      const ids = [...text.matchAll(/^UID:arrival-([0-9a-f-]{36})@exchange-platform\r?$/gm)].map((m) => m[1]).sort();
      expect(ids.length).toBe(text.match(/^BEGIN:VEVENT/gm)?.length ?? 0);
      return { ids, text };
    }

    it.each(ATTACKERS.map((a) => [a.who, a.name] as const))('GET /arrivals and GET /arrivals.ics for %s', async (_who, name) => {
      const session = fx.sessions[name];
      const expected = await expectedBoard(session);
      const before = await snapshot(t);
      // Filters naming the receiving institution and its programme narrow the caller's board, never widen it.
      const snooping: Record<string, string>[] = [{}, { institutionId: fx.receivingInstitutionId }, { programId: fx.programId }, { status: 'arrived' }, { from: '2000-01-01', to: '2100-12-31' }];
      for (const query of snooping) {
        const [board, calendar] = await Promise.all([walk(session.token, query), feed(session.token, query)]);
        if (expected === 403) {
          expectProblem(board as ApiResponse, 403, 'access.forbidden');
          expectProblem(calendar as ApiResponse, 403, 'access.forbidden');
          continue;
        }
        if (Object.keys(query).length === 0) expect(board).toEqual(expected);
        else expect(expected).toEqual(expect.arrayContaining(board as string[]));
        expect((calendar as { ids: string[] }).ids).toEqual(board);
      }
      expect(await snapshot(t)).toEqual(before);
    });

    it('those boards are not empty by accident: the receiving host school has its three arrivals, the other institution its own; no name crosses over', async () => {
      const { sessions, ids } = fx;
      expect(await expectedBoard(sessions.ownHostSchool)).toEqual([ids.confirmedApp, ids.arrivedPlaced, ids.arrivedUnplaced].sort());
      expect(await expectedBoard(sessions.otherHostSchool)).toEqual([fx.foreignAppId]);
      expect(await expectedBoard(sessions.sendingCoordinator)).toEqual([]);
      const [own, other] = (await Promise.all([feed(sessions.ownHostSchool.token), feed(sessions.otherCoordinator.token)])) as { ids: string[]; text: string }[];
      for (const name of ['confirmedStudent', 'arrivedStudent', 'unplacedStudent'] as const) {
        expect(own.text).toContain(sessions[name].user.fullName);
        expect(other.text).not.toContain(sessions[name].user.fullName);
      }
      expect(other.text).toContain(sessions.foreignStudent.user.fullName);
      expect(own.text).not.toContain(sessions.foreignStudent.user.fullName);
    });
  });

  describe('mass assignment: fields a body may not carry are rejected (400), never written', () => {
    const TRAVEL_EXTRAS: Record<string, unknown>[] = [{ status: 'arrived' }, { studentId: randomUUID() }, { expectedArrivalAt: new Date().toISOString() }, { arrivedAt: new Date().toISOString() }, { applicationId: randomUUID() }];

    it.each(TRAVEL_EXTRAS.map((extra) => [Object.keys(extra)[0], extra] as const))('PUT /applications/{id}/travel with %s (by the student and by the receiving coordinator)', async (field, extra) => {
      const before = await snapshot(t);
      for (const session of [fx.sessions.confirmedStudent, fx.receivingCoordinator]) {
        const response = await t.api.put(`/applications/${fx.ids.confirmedApp}/travel`, travelBody({ arrivalPoint: 'Moved', ...extra }), { token: session.token });
        expectProblem(response, 400, 'validation.failed', [field]);
      }
      expect(await snapshot(t)).toEqual(before);
    });

    const ITEM_EXTRAS: Record<string, unknown>[] = [
      { completedAt: '2000-01-01T00:00:00Z' },
      { completedBy: randomUUID() },
      { responsible: 'host_school' },
      { completedById: randomUUID() },
      { hostFamilyId: randomUUID() },
      { dueOn: '2100-01-01' },
    ];

    it.each(ITEM_EXTRAS.map((extra) => [Object.keys(extra)[0], extra] as const))('POST /checklist-items/{id}/complete with %s (by the family, the host school and the coordinator)', async (field, extra) => {
      const before = await snapshot(t);
      for (const session of [fx.sessions.familyOwner, fx.sessions.ownHostSchool, fx.receivingCoordinator]) {
        const response = await t.api.post(`/checklist-items/${fx.ids.familyItem}/complete`, { note: 'Done', ...extra }, { token: session.token });
        expectProblem(response, 400, 'validation.failed', [field]);
      }
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('check-in takes a time of the days of arrival, never in the future, and writes nothing otherwise', () => {
    const cases: [string, () => Record<string, unknown>, string][] = [
      ['an arrival an hour ahead', () => ({ arrivedAt: new Date(Date.now() + HOUR).toISOString() }), 'arrivedAt'],
      ['an arrival 40 days ago, before the days of arrival open (30 days before the stay)', () => ({ arrivedAt: new Date(Date.now() - 40 * 24 * HOUR).toISOString() }), 'arrivedAt'],
      ['an arrival that is not a time', () => ({ arrivedAt: 'yesterday' }), 'arrivedAt'],
      ['a status', () => ({ status: 'completed' }), 'status'],
      ['a checklist', () => ({ checklist: [{ code: 'orientation', completedAt: new Date().toISOString() }] }), 'checklist'],
    ];

    it.each(cases)('%s → 400, the application still confirmed and no checklist item', async (_label, body, field) => {
      const before = await snapshot(t);
      for (const session of [fx.sessions.ownHostSchool, fx.receivingCoordinator]) {
        expectProblem(await t.api.post(`/applications/${fx.ids.confirmedApp}/check-in`, body(), { token: session.token }), 400, 'validation.failed', [field]);
      }
      expect(await snapshot(t)).toEqual(before);
      expect(await itemIds(t, fx.ids.confirmedApp)).toEqual([]);
    });
  });

  describe('the receiving coordinator adds the transcript of records, nothing else, and only once the student has arrived', () => {
    it('another type of document is the student’s (403), a stay not begun cannot have one (409); nothing written, no file kept', async () => {
      const before = await snapshot(t);
      const token = fx.receivingCoordinator.token;
      expectProblem(await uploadDocument(t, fx.receivingCoordinator, fx.ids.arrivedPlaced, 'passport'), 403, 'access.forbidden');
      expectProblem(await uploadDocument(t, fx.receivingCoordinator, fx.ids.arrivedPlaced, 'other'), 403, 'access.forbidden');
      expectProblem(await upload(fx, fx.ids.confirmedApp, token), 409, 'application.not_editable');
      expect(await snapshot(t)).toEqual(before);
    });
  });

  describe('races', () => {
    it('10 completions of one item at once: one wins (200), nine are told it is done (409); the winner is recorded', async () => {
      const callers = [fx.sessions.familyOwner, fx.sessions.ownHostSchool, fx.receivingCoordinator];
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.api.post(`/checklist-items/${fx.raceItemId}/complete`, { note: `attempt ${i}` }, { token: callers[i % callers.length].token })),
      );
      const ok = responses.filter((r) => r.status === 200);
      expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
      for (const lost of responses.filter((r) => r.status !== 200)) expectProblem(lost, 409, 'checklist_item.already_completed');
      const [row] = await t.dataSource.query('SELECT completed_by, note FROM checklist_items WHERE id = $1', [fx.raceItemId]);
      expect(row).toEqual({ completed_by: ok[0].body.completedBy, note: ok[0].body.note });
    });

    it('10 check-ins of one application at once: one arrives (200), nine are refused (409); one history entry and one checklist', async () => {
      const callers = [fx.sessions.ownHostSchool, fx.receivingCoordinator];
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => t.api.post(`/applications/${fx.raceAppId}/check-in`, {}, { token: callers[i % callers.length].token })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
      for (const lost of responses.filter((r) => r.status !== 200)) expectProblem(lost, 409, 'application.invalid_transition');
      const won = responses.find((r) => r.status === 200)!;
      expect(won.body.status).toBe('arrived');

      const history: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM application_history WHERE application_id = $1 AND action = 'check-in'`, [fx.raceAppId]);
      expect(history[0].n).toBe(1);
      const rows: { code: string; sequence: number }[] = await t.dataSource.query('SELECT code, sequence FROM checklist_items WHERE application_id = $1', [fx.raceAppId]);
      const made = rows.map((r) => `${r.code}#${r.sequence}`).sort();
      const expected = generateChecklist({
        country: 'RU',
        timeZone: 'Europe/Moscow',
        arrivedAt: new Date(won.body.arrivedAt),
        stayEndsOn: fx.programEndsOn,
        studentIsAdult: true,
        placedWithFamily: false,
      }).map((item) => `${item.code}#${item.sequence}`);
      expect(made).toEqual(expected.sort());
      expect(new Set(made).size).toBe(made.length);
    });
  });

  // Last: these change the rows. They show that the refusals above were about the caller, not the object's state.
  describe('the parties themselves take the same actions', () => {
    it('the student gives its travel; the host school checks in and completes; the family completes its item; the receiving coordinator completes the stay and adds the transcript of records', async () => {
      const { sessions, ids } = fx;
      const coordinator = fx.receivingCoordinator;
      const travel = await t.api.put(`/applications/${ids.confirmedApp}/travel`, travelBody({ arrivalPoint: 'Krasnodar-1 station', transportMode: 'train', reference: '' }), { token: sessions.confirmedStudent.token });
      expect({ status: travel.status, arrivalPoint: travel.body.arrivalPoint }).toEqual({ status: 200, arrivalPoint: 'Krasnodar-1 station' });
      const checkIn = await t.api.post(`/applications/${ids.confirmedApp}/check-in`, { arrivedAt: new Date(Date.now() - HOUR).toISOString() }, { token: sessions.ownHostSchool.token });
      expect({ status: checkIn.status, application: checkIn.body.status }).toEqual({ status: 200, application: 'arrived' });
      expect((await itemIds(t, ids.confirmedApp)).length).toBeGreaterThan(0);

      for (const [item, session] of [
        [ids.familyItem, sessions.familyOwner],
        [ids.schoolItem, sessions.ownHostSchool],
        [ids.unplacedItem, sessions.ownHostSchool],
      ] as const) {
        const done = await t.api.post(`/checklist-items/${item}/complete`, { note: 'Done' }, { token: session.token });
        expect({ status: done.status, item: done.body.status, completedBy: done.body.completedBy }).toEqual({ status: 200, item: 'done', completedBy: session.user.id });
      }

      const completed = await t.api.post(`/applications/${ids.arrivedPlaced}/complete`, { comment: 'A good stay' }, { token: coordinator.token });
      expect({ status: completed.status, application: completed.body.status }).toEqual({ status: 200, application: 'completed' });
      const [placement] = await t.dataSource.query('SELECT status FROM placements WHERE id = $1', [fx.placementId]);
      expect(['ended', 'cancelled']).toContain(placement.status);

      const transcript = await upload(fx, ids.arrivedPlaced, coordinator.token);
      expect({ status: transcript.status, type: transcript.body.type, uploadedBy: transcript.body.uploadedBy }).toEqual({ status: 201, type: 'transcript_of_records', uploadedBy: coordinator.user.id });
    });
  });
});
