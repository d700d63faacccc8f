/**
 * Arrivals over HTTP: the travel details the student (or its receiving coordinator) gives
 * once its place is confirmed, until check-in, each change in the history, within the
 * programme's days of arrival read in the receiving institution's time zone; the arrivals
 * board of the receiving institution per role, in arrival order, page by page, filtered by
 * days of that time zone, status and programme, with the family and the checklist's
 * progress; and the same board as an iCalendar feed.
 */
import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { confirmedApplication, draftApplication, newStudents, stayBegun, transition } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import { acceptedApplications, familyUser, homestayExchange, placementTransition, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { newPartner, publishedProgram, YEAR, type Partner } from '../harness/partnerships.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;
interface Arrival {
  student: Session;
  application: Record<string, any>;
}

const FIELDS = { dateOfBirth: '2000-05-01', matchingProfile: profile() };

/** A valid travel body: the programmes start on 1 September (partnerships.ts). */
const travelBody = (overrides: Record<string, unknown> = {}) => ({
  arrivalAt: `${YEAR}-09-01T14:35:00+03:00`,
  transportMode: 'plane',
  reference: 'SU 1140',
  arrivalPoint: 'Krasnodar airport (KRR)',
  needsPickup: true,
  ...overrides,
});

const applicationIds = (response: ApiResponse): string[] => (response.body.items as { applicationId: string }[]).map((item) => item.applicationId);
const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('arrivals', () => {
  let t: TestApp;
  let admin: Session;
  /** RU receiving side (Europe/Moscow); its programme runs 1 September YEAR – 31 January YEAR+1. */
  let exchange: Exchange;
  let receivingSchool: Session;
  let sendingSchool: Session;
  let outsider: Partner;
  let outsiderSchool: Session;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    exchange = await homestayExchange(t, { seats: 100 });
    outsider = await newPartner(t);
    [receivingSchool, sendingSchool, outsiderSchool] = await Promise.all([
      signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: exchange.receiving.institutionId }),
      signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: exchange.sending.institutionId }),
      signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: outsider.institutionId }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const putTravel = (who: Session, id: string, body: unknown) => t.api.put(`/applications/${id}/travel`, body, { token: who.token });
  const board = (who: Session, query: Record<string, string | number | undefined> = {}) => t.api.get('/arrivals', { token: who.token, query: { limit: 100, ...query } });
  const feed = (who: Session, query: Record<string, string | number | undefined> = {}) => t.api.get('/arrivals.ics', { token: who.token, query });
  const travelRow = async (id: string) =>
    ((await t.dataSource.query('SELECT travel, expected_arrival_at AS "expectedArrivalAt", updated_at AS "updatedAt" FROM applications WHERE id = $1', [id])) as Record<string, any>[])[0];
  const historyOf = async (who: Session, id: string) => (await t.api.get(`/applications/${id}/history`, { token: who.token })).body.items as Record<string, any>[];

  /** `n` confirmed applications of new students to the exchange's programme (or another of its programmes). */
  async function confirmed(ex: Exchange, n: number, program: { id: string } = ex.program): Promise<Arrival[]> {
    const students = await newStudents(t, ex.sending.institutionId, n);
    const arrivals: Arrival[] = [];
    for (const student of students) arrivals.push({ student, application: await confirmedApplication(t, student, program, ex.sides, FIELDS) });
    return arrivals;
  }

  /** Gives the travel details as the student, expecting 200. */
  async function travelling(arrival: Arrival, overrides: Record<string, unknown> = {}) {
    const response = await putTravel(arrival.student, arrival.application.id, travelBody(overrides));
    if (response.status !== 200) throw new Error(`PUT travel: ${response.status} ${response.text}`);
    return response.body;
  }

  /** Time travel: the expected arrival (and the travel details' arrivalAt) moved to `hours` from now, which PUT would refuse as before the days of arrival. */
  async function expectedInHours(applicationId: string, hours: number): Promise<void> {
    await t.dataSource.query(
      `UPDATE applications SET expected_arrival_at = now() + make_interval(hours => $2::int),
         travel = jsonb_set(travel, '{arrivalAt}', to_jsonb(to_char((now() + make_interval(hours => $2::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) WHERE id = $1`,
      [applicationId, hours],
    );
  }

  describe('travel details', () => {
    it("the student of a confirmed application gives them: 200, then shown on the application to each who sees it and on the family's placement", async () => {
      const family = await vettedFamily(t, exchange.sides.receiving);
      const own = await familyUser(t, exchange.receiving.institutionId, family.id);
      const [{ student, application }] = await acceptedApplications(t, exchange, 1);
      const placement = await proposedPlacement(t, exchange.sides.receiving, { applicationId: application.id, hostFamilyId: family.id });
      await placementTransition(t, own, placement.id, 'accept');
      await transition(t, student, application.id, 'confirm');
      expect((await t.api.get(`/applications/${application.id}`, { token: student.token })).body.travel).toBeNull();
      expect((await t.api.get(`/placements/${placement.id}`, { token: own.token })).body.travel).toBeNull();

      const body = travelBody({ arrivalAt: `${YEAR}-09-01T14:35:00+03:00`, reference: 'SU 1140', needsPickup: true });
      const response = await putTravel(student, application.id, body);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(body);

      for (const who of [student, exchange.sides.receiving, exchange.sides.sending, receivingSchool, admin]) {
        const seen = await t.api.get(`/applications/${application.id}`, { token: who.token });
        expect({ role: who.user.role, status: seen.status, travel: seen.body.travel }).toEqual({ role: who.user.role, status: 200, travel: body });
      }
      const seenByFamily = await t.api.get(`/placements/${placement.id}`, { token: own.token });
      expect(seenByFamily.status).toBe(200);
      expect(seenByFamily.body.travel).toEqual(body);
      expect((await t.api.get('/placements', { token: own.token })).body.items.find((p: { id: string }) => p.id === placement.id).travel).toEqual(body);
      // The board orders by the instant, whatever the offset it was written with.
      expect(new Date((await travelRow(application.id)).expectedArrivalAt).toISOString()).toBe(`${YEAR}-09-01T11:35:00.000Z`);
    });

    it('the receiving coordinator (or an admin) gives them on its behalf; each change is a travel.update entry of the history with the details', async () => {
      const [{ student, application }] = await confirmed(exchange, 1);
      const first = travelBody({ arrivalAt: `${YEAR}-09-02T09:00:00Z`, transportMode: 'train', reference: '', arrivalPoint: 'Krasnodar-1 station', needsPickup: false });
      const second = travelBody({ arrivalAt: `${YEAR}-09-03T18:20:00+03:00`, reference: 'SU 1142' });
      const third = travelBody({ arrivalAt: `${YEAR}-09-04T07:00:00Z`, transportMode: 'bus', reference: 'FlixBus 042', arrivalPoint: 'Krasnodar bus station' });
      const byCoordinator = await putTravel(exchange.sides.receiving, application.id, first);
      expect(byCoordinator.status).toBe(200);
      expect(byCoordinator.body).toEqual(first);
      expect((await putTravel(student, application.id, second)).status).toBe(200);
      expect((await putTravel(admin, application.id, third)).status).toBe(200);
      expect((await t.api.get(`/applications/${application.id}`, { token: student.token })).body.travel).toEqual(third);

      const entries = (await historyOf(exchange.sides.receiving, application.id)).filter((e) => e.action === 'travel.update');
      expect(entries).toEqual([
        expect.objectContaining({ action: 'travel.update', from: 'confirmed', to: 'confirmed', role: 'coordinator', actorId: exchange.sides.receiving.user.id, details: first }),
        expect.objectContaining({ action: 'travel.update', from: 'confirmed', to: 'confirmed', role: 'student', actorId: student.user.id, details: second }),
        expect.objectContaining({ action: 'travel.update', from: 'confirmed', to: 'confirmed', role: 'admin', actorId: admin.user.id, details: third }),
      ]);
      // The student reads them in its own history too; the status did not move.
      expect((await historyOf(student, application.id)).filter((e) => e.action === 'travel.update')).toHaveLength(3);
      expect((await t.api.get(`/applications/${application.id}`, { token: student.token })).body.status).toBe('confirmed');
    });

    it('the sending coordinator, host-school staff and families may not (403); other students and institutions see nothing (404); nothing is written', async () => {
      const family = await vettedFamily(t, exchange.sides.receiving);
      const own = await familyUser(t, exchange.receiving.institutionId, family.id);
      const [{ application }, other] = await confirmed(exchange, 2);
      const body = travelBody();
      const before = await travelRow(application.id);

      for (const who of [exchange.sides.sending, receivingSchool, sendingSchool, own]) {
        const response = await putTravel(who, application.id, body);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 403 });
        expectProblem(response, 403, 'access.forbidden');
      }
      for (const who of [other.student, outsider.coordinator]) expectProblem(await putTravel(who, application.id, body), 404, 'application.not_found');
      expectProblem(await putTravel(exchange.sides.receiving, randomUUID(), body), 404, 'application.not_found');
      expectProblem(await putTravel(exchange.sides.receiving, 'not-a-uuid', body), 400);
      expect((await t.api.put(`/applications/${application.id}/travel`, body)).status).toBe(401);

      expect(await travelRow(application.id)).toEqual(before);
      expect(before.travel).toBeNull();
      expect((await historyOf(exchange.sides.receiving, application.id)).filter((e) => e.action === 'travel.update')).toEqual([]);
    });

    it('before confirmation and from check-in on they are not editable: 409 arrival.travel_not_editable, the details kept', async () => {
      const ex = await homestayExchange(t);
      const [s1, s2, s3] = await newStudents(t, ex.sending.institutionId, 3);
      const draft = await draftApplication(t, s1, ex.program, FIELDS);
      const [{ student: acceptedStudent, application: accepted }] = await acceptedApplications(t, ex, 1);
      const toArrive = await confirmedApplication(t, s2, ex.program, ex.sides, FIELDS);
      const toWithdraw = await confirmedApplication(t, s3, ex.program, ex.sides, FIELDS);
      const given = travelBody();
      expect((await putTravel(s2, toArrive.id, given)).status).toBe(200);
      await stayBegun(t, ex.program.id);
      await transition(t, ex.sides.receiving, toArrive.id, 'check-in');
      await transition(t, s3, toWithdraw.id, 'withdraw');

      const cases: [Session, string, string][] = [
        [s1, draft.id, 'draft'],
        [acceptedStudent, accepted.id, 'accepted'],
        [ex.sides.receiving, accepted.id, 'accepted'],
        [s2, toArrive.id, 'arrived'],
        [ex.sides.receiving, toArrive.id, 'arrived'],
        [s3, toWithdraw.id, 'withdrawn'],
      ];
      for (const [who, id, status] of cases) {
        const response = await putTravel(who, id, travelBody({ arrivalAt: `${YEAR}-09-05T10:00:00Z` }));
        expect({ status, code: response.body.code }).toEqual({ status, code: 'arrival.travel_not_editable' });
        expectProblem(response, 409, 'arrival.travel_not_editable');
      }
      expect((await travelRow(accepted.id)).travel).toBeNull();
      expect((await travelRow(toArrive.id)).travel).toEqual(given);
      expect((await historyOf(ex.sides.receiving, toArrive.id)).filter((e) => e.action === 'travel.update')).toHaveLength(1);
      // In the caller's language.
      const french = await t.api.put(`/applications/${toArrive.id}/travel`, travelBody(), { token: s2.token, headers: { 'accept-language': 'fr' } });
      expect(french.body.title).toContain('arrivée');
    });

    it('a body that is not travel details answers 400 naming the field, and writes nothing', async () => {
      const [{ student, application }] = await confirmed(exchange, 1);
      const { arrivalAt: _a, ...noArrival } = travelBody();
      const { arrivalPoint: _p, ...noPoint } = travelBody();
      const { needsPickup: _n, ...noPickup } = travelBody();
      const { transportMode: _m, ...noMode } = travelBody();
      const cases: [body: unknown, field: string][] = [
        [travelBody({ arrivalAt: `${YEAR}-09-01T14:35:00` }), 'arrivalAt'],
        [travelBody({ arrivalAt: `${YEAR}-09-01` }), 'arrivalAt'],
        [travelBody({ arrivalAt: 'tomorrow morning' }), 'arrivalAt'],
        [travelBody({ arrivalAt: `${YEAR}-09-31T10:00:00Z` }), 'arrivalAt'],
        [travelBody({ arrivalAt: `${YEAR}-09-01T25:00:00Z` }), 'arrivalAt'],
        [travelBody({ arrivalAt: 1_800_000_000_000 }), 'arrivalAt'],
        [noArrival, 'arrivalAt'],
        [travelBody({ transportMode: 'boat' }), 'transportMode'],
        [noMode, 'transportMode'],
        [travelBody({ arrivalPoint: '' }), 'arrivalPoint'],
        [travelBody({ arrivalPoint: '   ' }), 'arrivalPoint'],
        [travelBody({ arrivalPoint: 'x'.repeat(201) }), 'arrivalPoint'],
        [noPoint, 'arrivalPoint'],
        [travelBody({ needsPickup: 'false' }), 'needsPickup'],
        [travelBody({ needsPickup: 0 }), 'needsPickup'],
        [noPickup, 'needsPickup'],
        [travelBody({ reference: 'R'.repeat(41) }), 'reference'],
        [travelBody({ reference: 1140 }), 'reference'],
        [travelBody({ status: 'arrived' }), 'status'],
        [travelBody({ expectedArrivalAt: `${YEAR}-09-01T00:00:00Z` }), 'expectedArrivalAt'],
        [travelBody({ flight: 'SU 1140' }), 'flight'],
      ];
      for (const [body, field] of cases) {
        const response = await putTravel(student, application.id, body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expectProblem(response, 400, 'validation.failed', [field]);
      }
      expectProblem(await t.api.put(`/applications/${application.id}/travel`, undefined, { token: student.token, raw: '{"arrivalAt": ', headers: { 'content-type': 'application/json' } }), 400);
      expect((await travelRow(application.id)).travel).toBeNull();
      expect((await historyOf(student, application.id)).filter((e) => e.action === 'travel.update')).toEqual([]);
    });

    it("arrivalAt lies within the days of arrival, from 30 days before startsOn to endsOn, as days of the receiving institution's zone (400 arrivalAt outside)", async () => {
      const [{ student, application }] = await confirmed(exchange, 1);
      // 1 September YEAR − 30 days = 2 August YEAR; Moscow is UTC+3 all year.
      const refused = [
        `${YEAR}-08-01T20:59:59Z`, // 23:59:59 on 1 August in Moscow (2 August in UTC+4 and east, but not here)
        `${YEAR}-08-01T23:59:00+03:00`,
        `${YEAR}-07-01T12:00:00Z`,
        `${YEAR + 1}-01-31T21:00:00Z`, // 00:00 on 1 February in Moscow, still 31 January in UTC
        `${YEAR + 1}-02-01T00:00:00+03:00`,
        `${YEAR + 2}-09-01T10:00:00Z`,
        new Date(Date.now() - 86_400_000).toISOString(),
      ];
      for (const arrivalAt of refused) {
        const response = await putTravel(student, application.id, travelBody({ arrivalAt }));
        expect({ arrivalAt, status: response.status }).toEqual({ arrivalAt, status: 400 });
        expectProblem(response, 400, 'validation.failed', ['arrivalAt']);
      }
      expect((await travelRow(application.id)).travel).toBeNull();
      const accepted = [`${YEAR}-08-01T21:00:00Z`, `${YEAR}-08-02T00:00:00+03:00`, `${YEAR}-09-01T00:00:00+03:00`, `${YEAR + 1}-01-31T20:59:59Z`, `${YEAR + 1}-01-31T23:59:00+03:00`];
      for (const arrivalAt of accepted) {
        const response = await putTravel(student, application.id, travelBody({ arrivalAt }));
        expect({ arrivalAt, status: response.status }).toEqual({ arrivalAt, status: 200 });
        expect(new Date((await travelRow(application.id)).expectedArrivalAt).getTime()).toBe(new Date(arrivalAt).getTime());
      }
      const message = (await putTravel(student, application.id, travelBody({ arrivalAt: refused[0] }))).body.errors[0].message as string;
      expect(message).toContain(`${YEAR}-08-02`);
    });
  });

  describe('board', () => {
    it('the receiving host school and coordinator see their institution’s arrivals in arrival order with travel, family and checklist; admins all or one institution; others their own or 403', async () => {
      const ex = await homestayExchange(t);
      const family = await vettedFamily(t, ex.sides.receiving);
      const own = await familyUser(t, ex.receiving.institutionId, family.id);
      const proposedOnly = await vettedFamily(t, ex.sides.receiving);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const [placed, proposed] = await acceptedApplications(t, ex, 2);
      const placement = await proposedPlacement(t, ex.sides.receiving, { applicationId: placed.application.id, hostFamilyId: family.id });
      await placementTransition(t, own, placement.id, 'accept');
      await proposedPlacement(t, ex.sides.receiving, { applicationId: proposed.application.id, hostFamilyId: proposedOnly.id });
      for (const { student, application } of [placed, proposed]) await transition(t, student, application.id, 'confirm');
      const [early, noTravel] = await confirmed(ex, 2);
      await acceptedApplications(t, ex, 1);

      // Written with different offsets: 07:00Z, 08:00Z and 07:00Z a day later.
      await travelling(early, { arrivalAt: `${YEAR}-09-01T10:00:00+03:00`, arrivalPoint: 'KRR gate 1' });
      await travelling(proposed, { arrivalAt: `${YEAR}-09-01T08:00:00Z`, transportMode: 'train', reference: '', arrivalPoint: 'Krasnodar-1', needsPickup: false });
      const placedTravel = await travelling(placed, { arrivalAt: `${YEAR}-09-02T10:00:00+03:00` });
      void noTravel;
      const order = [early.application.id, proposed.application.id, placed.application.id];

      for (const who of [school, ex.sides.receiving]) {
        const response = await board(who);
        expect({ role: who.user.role, status: response.status, ids: applicationIds(response), next: response.body.nextCursor }).toEqual({ role: who.user.role, status: 200, ids: order, next: null });
      }
      const rows = (await board(school)).body.items as Record<string, any>[];
      expect(rows[2]).toEqual({
        applicationId: placed.application.id,
        programId: ex.program.id,
        programTitle: ex.program.title,
        studentId: placed.student.user.id,
        studentName: placed.student.user.fullName,
        applicationStatus: 'confirmed',
        status: 'expected',
        travel: placedTravel,
        arrivedAt: null,
        family: { id: family.id, displayName: family.displayName, address: family.address, contactPhone: family.contactPhone },
        checklist: { total: 0, done: 0, overdue: 0 },
      });
      // Only an accepted placement is the family the student goes to.
      expect(rows[1]).toMatchObject({ applicationId: proposed.application.id, family: null, travel: { transportMode: 'train', needsPickup: false } });
      expect(rows[0]).toMatchObject({ applicationId: early.application.id, family: null, status: 'expected' });

      const byAdmin = await board(admin, { institutionId: ex.receiving.institutionId });
      expect(applicationIds(byAdmin)).toEqual(order);
      const everything: string[] = [];
      for (let cursor: string | undefined, pages = 0; pages < 50; pages++) {
        const page = await board(admin, { cursor });
        expect(page.status).toBe(200);
        everything.push(...applicationIds(page));
        if (!page.body.nextCursor) break;
        cursor = page.body.nextCursor;
      }
      expect(everything).toEqual(expect.arrayContaining(order));

      // Students and families have no board; other institutions' staff see theirs, not these.
      for (const who of [early.student, own]) expectProblem(await board(who), 403, 'access.forbidden');
      for (const who of [ex.sides.sending, sendingSchool, outsider.coordinator, outsiderSchool]) {
        const response = await board(who, { institutionId: ex.receiving.institutionId });
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 200 });
        expect(applicationIds(response).filter((id) => order.includes(id))).toEqual([]);
      }
      // A staff member's institutionId parameter does not move it to another institution.
      expect(applicationIds(await board(school, { institutionId: outsider.institutionId }))).toEqual(order);
      expect((await t.api.get('/arrivals')).status).toBe(401);
    });

    it('status: expected until 24 hours after arrivalAt, then overdue; arrived once checked in, overdue while a checklist item is past due; with the checklist’s progress', async () => {
      const ex = await homestayExchange(t);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const [late, notYetLate, ahead, arrived] = await confirmed(ex, 4);
      for (const [i, arrival] of [late, notYetLate, ahead, arrived].entries()) await travelling(arrival, { arrivalAt: `${YEAR}-09-0${i + 1}T10:00:00Z`, arrivalPoint: `Point ${i}` });
      await expectedInHours(late.application.id, -25);
      await expectedInHours(notYetLate.application.id, -23);
      await stayBegun(t, ex.program.id);
      await transition(t, school, arrived.application.id, 'check-in');
      const items = (await t.api.get(`/applications/${arrived.application.id}/checklist`, { token: school.token })).body.items as Record<string, any>[];
      expect(items.length).toBeGreaterThan(2);

      const statuses = async () => Object.fromEntries(((await board(school)).body.items as Record<string, any>[]).map((row) => [row.applicationId, row.status]));
      expect(await statuses()).toEqual({
        [late.application.id]: 'overdue',
        [notYetLate.application.id]: 'expected',
        [ahead.application.id]: 'expected',
        [arrived.application.id]: 'arrived',
      });
      const arrivedRow = async () => ((await board(school)).body.items as Record<string, any>[]).find((row) => row.applicationId === arrived.application.id)!;
      expect(await arrivedRow()).toMatchObject({ applicationStatus: 'arrived', status: 'arrived', arrivedAt: expect.any(String), checklist: { total: items.length, done: 0, overdue: 0 } });

      expect((await t.api.post(`/checklist-items/${items[0].id}/complete`, {}, { token: school.token })).status).toBe(200);
      expect((await arrivedRow()).checklist).toEqual({ total: items.length, done: 1, overdue: 0 });
      // An item due today is not past due yet; due yesterday (in Moscow) it is.
      const dueIn = (days: number) => t.dataSource.query(`UPDATE checklist_items SET due_on = (now() AT TIME ZONE 'Europe/Moscow')::date + $2::int WHERE id = $1`, [items[1].id, days]);
      const moscowDay = async () => ((await t.dataSource.query(`SELECT (now() AT TIME ZONE 'Europe/Moscow')::date::text AS day`)) as { day: string }[])[0].day;
      const dayBefore = await moscowDay();
      await dueIn(0);
      const dueToday = await arrivedRow();
      // (Unless midnight passed in Moscow meanwhile, making today yesterday.)
      if (dayBefore === (await moscowDay())) expect(dueToday).toMatchObject({ status: 'arrived', checklist: { total: items.length, done: 1, overdue: 0 } });
      await dueIn(-1);
      expect(await arrivedRow()).toMatchObject({ status: 'overdue', checklist: { total: items.length, done: 1, overdue: 1 } });
      // A completed item past due is no longer overdue.
      await t.dataSource.query(`UPDATE checklist_items SET due_on = (now() AT TIME ZONE 'Europe/Moscow')::date - 3 WHERE id = $1`, [items[0].id]);
      expect((await arrivedRow()).checklist).toEqual({ total: items.length, done: 1, overdue: 1 });

      const filtered = async (status: string) => applicationIds(await board(school, { status }));
      expect(await filtered('overdue')).toEqual([late.application.id, arrived.application.id]);
      expect(await filtered('expected')).toEqual([notYetLate.application.id, ahead.application.id]);
      expect(await filtered('arrived')).toEqual([]);
      expect((await t.api.post(`/checklist-items/${items[1].id}/complete`, {}, { token: school.token })).status).toBe(200);
      expect(await filtered('arrived')).toEqual([arrived.application.id]);
      expect(await filtered('overdue')).toEqual([late.application.id]);
      for (const status of ['late', 'EXPECTED', '']) expectProblem(await board(school, { status }), 400, 'validation.failed', ['status']);
      // A late student who is checked in leaves the overdue list; a cancelled one leaves the board.
      await transition(t, school, late.application.id, 'check-in');
      expect(await filtered('overdue')).toEqual([]);
      await transition(t, ex.sides.receiving, notYetLate.application.id, 'cancel', { reason: 'visa refused' });
      expect(applicationIds(await board(school))).not.toContain(notYetLate.application.id);
    });

    it('keyset pages in arrival order (ties by id), the same rows as one page; a forged cursor or a bad limit is 400', async () => {
      const ex = await homestayExchange(t);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const arrivals = await confirmed(ex, 6);
      const times = [`${YEAR}-09-03T10:00:00Z`, `${YEAR}-09-01T10:00:00Z`, `${YEAR}-09-02T13:00:00+03:00`, `${YEAR}-09-02T10:00:00Z`, `${YEAR}-09-01T09:00:00.500Z`, `${YEAR}-09-01T09:00:00.500Z`];
      for (const [i, arrival] of arrivals.entries()) await travelling(arrival, { arrivalAt: times[i] });
      const expected = arrivals
        .map((arrival, i) => ({ id: arrival.application.id as string, at: new Date(times[i]).getTime() }))
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
        .map((row) => row.id);
      // The tie (09:00:00.500 twice, and 10:00Z = 13:00+03:00) is broken by the id.
      expect(applicationIds(await board(school))).toEqual(expected);

      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      for (let pages = 0; pages < 10; pages++) {
        const page = await board(school, { limit: 2, cursor });
        expect(page.status).toBe(200);
        sizes.push(page.body.items.length);
        seen.push(...applicationIds(page));
        if (!page.body.nextCursor) break;
        cursor = page.body.nextCursor;
      }
      expect(seen).toEqual(expected);
      expect(sizes).toEqual([2, 2, 2]);
      // The default page is 20; a filter and a cursor go together.
      const first = await t.api.get('/arrivals', { token: school.token, query: { limit: 4, status: 'expected' } });
      const rest = await t.api.get('/arrivals', { token: school.token, query: { limit: 4, status: 'expected', cursor: first.body.nextCursor } });
      expect([...applicationIds(first), ...applicationIds(rest)]).toEqual(expected);
      expect(rest.body.nextCursor).toBeNull();
      expect(applicationIds(await t.api.get('/arrivals', { token: school.token }))).toEqual(expected);

      const forged = [
        'not a cursor',
        encode('{"at":"2027-09-01"}'),
        encode([`${YEAR}-09-01T00:00:00.000Z`]),
        encode([`${YEAR}-09-01T00:00:00.000Z`, 'not-an-id']),
        encode([`${YEAR}-09-01T00:00:00.000Z`, 42]),
        encode([`${YEAR}-09-01T00:00:00.000Z`, '-'.repeat(36)]),
        encode([`${YEAR}-09-01T00:00:00.000Z`, `${randomUUID()}`.replace(/-/g, 'a')]),
        encode(['yesterday', randomUUID()]),
        encode([String(YEAR), randomUUID()]),
        encode(['-271821-04-20T00:00:00.000Z', randomUUID()]),
        encode(['+275760-09-13T00:00:00.000Z', randomUUID()]),
        encode(['Tue, 01 Sep 2027 10:00:00', randomUUID()]),
        'x'.repeat(501),
      ];
      for (const value of forged) {
        const response = await board(school, { cursor: value });
        expect({ value, status: response.status }).toEqual({ value, status: 400 });
        expectProblem(response, 400, 'validation.failed', ['cursor']);
      }
      for (const limit of [0, 101, -1, 'ten', 2.5]) expectProblem(await t.api.get('/arrivals', { token: school.token, query: { limit } }), 400, 'validation.failed', ['limit']);
      expect((await t.api.get('/arrivals', { token: school.token, query: { limit: 100 } })).status).toBe(200);
    });

    it("from and to are days of each receiving institution's time zone: 22:30 UTC is the next day in Moscow, the same day in Berlin; programId narrows to one programme", async () => {
      const moscow = await homestayExchange(t);
      const berlin = await homestayExchange(t, { receiving: { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' } });
      const second = await publishedProgram(t, moscow.sending.coordinator, moscow.agreement.id, moscow.sending.institutionId, moscow.receiving.institutionId, {
        seats: 5,
        requiredDocuments: [],
        requiresLearningAgreement: false,
        accommodation: 'host_family',
      });
      const [m1, m2, m3] = await confirmed(moscow, 3);
      const [m4] = await confirmed(moscow, 1, second);
      const [b1, b2] = await confirmed(berlin, 2);
      const at: [Arrival, string][] = [
        [m1, `${YEAR}-09-04T22:30:00Z`], // Moscow 5 September 01:30
        [m2, `${YEAR}-09-05T20:59:00Z`], // Moscow 5 September 23:59
        [m3, `${YEAR}-09-05T21:00:00Z`], // Moscow 6 September 00:00
        [m4, `${YEAR}-09-05T12:00:00Z`], // Moscow 5 September, the other programme
        [b1, `${YEAR}-09-04T21:30:00Z`], // Berlin (CEST) 4 September 23:30
        [b2, `${YEAR}-09-05T21:59:00Z`], // Berlin 5 September 23:59
      ];
      for (const [arrival, arrivalAt] of at) await travelling(arrival, { arrivalAt });
      const [M1, M2, M3, M4, B1, B2] = at.map(([arrival]) => arrival.application.id as string);
      const day = (d: number) => `${YEAR}-09-0${d}`;

      const cases: [Session, Record<string, string>, string[]][] = [
        [moscow.sides.receiving, { from: day(5), to: day(5) }, [M1, M4, M2]],
        [moscow.sides.receiving, { to: day(4) }, []],
        [moscow.sides.receiving, { from: day(6) }, [M3]],
        [moscow.sides.receiving, { from: day(5) }, [M1, M4, M2, M3]],
        [moscow.sides.receiving, { from: day(5), to: day(5), programId: moscow.program.id }, [M1, M2]],
        [moscow.sides.receiving, { programId: second.id }, [M4]],
        [moscow.sides.receiving, { programId: berlin.program.id }, []],
        [moscow.sides.receiving, { from: day(6), to: day(5) }, []],
        [berlin.sides.receiving, { from: day(5), to: day(5) }, [B2]],
        [berlin.sides.receiving, { to: day(4) }, [B1]],
      ];
      for (const [who, query, ids] of cases) {
        const response = await board(who, query);
        expect({ query, status: response.status, ids: applicationIds(response) }).toEqual({ query, status: 200, ids });
      }
      // An admin's board across institutions reads each row in its own institution's zone.
      const mine = [M1, M2, M3, M4, B1, B2];
      const across = applicationIds(await board(admin, { from: day(5), to: day(5) })).filter((id) => mine.includes(id));
      expect(across).toEqual([M1, M4, M2, B2]);
      expect(applicationIds(await board(admin, { from: day(5), to: day(5), institutionId: berlin.receiving.institutionId }))).toEqual([B2]);

      for (const [query, field] of [
        [{ from: `${YEAR}-02-30` }, 'from'],
        [{ to: '5 September' }, 'to'],
        [{ from: `${YEAR}-09-05T00:00:00Z` }, 'from'],
        [{ programId: 'not-a-uuid' }, 'programId'],
        [{ institutionId: 'nope' }, 'institutionId'],
        [{ sort: 'name' }, 'sort'],
      ] as [Record<string, string>, string][]) {
        expectProblem(await board(moscow.sides.receiving, query), 400, 'validation.failed', [field]);
      }
    });
  });

  describe('iCalendar feed', () => {
    interface FeedEvent {
      uid: string;
      start: number;
      location: string;
      description: string;
      summary: string;
    }
    /** The VEVENTs of a text/calendar answer, parsed by ical.js. */
    function events(response: ApiResponse): FeedEvent[] {
      const calendar = new ICAL.Component(ICAL.parse(response.text));
      expect(calendar.name).toBe('vcalendar');
      return calendar.getAllSubcomponents('vevent').map((component) => {
        const event = new ICAL.Event(component);
        return { uid: event.uid, start: event.startDate.toJSDate().getTime(), location: event.location, description: event.description, summary: event.summary };
      });
    }

    it('one event per arrival of the board, at its arrivalAt, located at its arrivalPoint, saying whether a pickup is needed; the same filters and access', async () => {
      const ex = await homestayExchange(t);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const [a, b, c, withoutTravel] = await confirmed(ex, 4);
      void withoutTravel;
      await travelling(a, { arrivalAt: `${YEAR}-09-01T10:00:00+03:00`, arrivalPoint: 'Krasnodar airport (KRR), terminal A', needsPickup: true, reference: 'SU 1140' });
      await travelling(b, { arrivalAt: `${YEAR}-09-02T08:15:00Z`, arrivalPoint: 'Krasnodar-1 railway station', transportMode: 'train', reference: '', needsPickup: false });
      await travelling(c, { arrivalAt: `${YEAR}-09-10T12:00:00Z`, arrivalPoint: 'Central bus station; platform 3, "north"', transportMode: 'bus', needsPickup: true });

      const response = await feed(school);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
      const list = events(response);
      const rows = (await board(school)).body.items as Record<string, any>[];
      expect(list).toHaveLength(rows.length);
      expect(list).toHaveLength(3);
      for (const row of rows) {
        const event = list.find((e) => e.location === row.travel.arrivalPoint);
        expect({ row: row.applicationId, found: !!event }).toEqual({ row: row.applicationId, found: true });
        expect(event!.start).toBe(new Date(row.travel.arrivalAt).getTime());
        expect(event!.summary).toContain(row.studentName);
        expect(event!.description).toMatch(row.travel.needsPickup ? /^(?!.*no pickup).*pickup needed/is : /no pickup needed/i);
      }
      expect(new Set(list.map((e) => e.uid)).size).toBe(3);
      expect(list.find((e) => e.location.startsWith('Krasnodar airport'))!.start).toBe(Date.parse(`${YEAR}-09-01T07:00:00Z`));

      // The board's filters.
      const byDay = events(await feed(school, { from: `${YEAR}-09-02`, to: `${YEAR}-09-02` }));
      expect(byDay.map((e) => e.location)).toEqual(['Krasnodar-1 railway station']);
      expect(events(await feed(school, { from: `${YEAR}-09-03` })).map((e) => e.location)).toEqual(['Central bus station; platform 3, "north"']);
      expect(events(await feed(school, { status: 'arrived' }))).toEqual([]);
      expect(events(await feed(ex.sides.receiving, { programId: ex.program.id }))).toHaveLength(3);
      expect(events(await feed(admin, { institutionId: ex.receiving.institutionId }))).toHaveLength(3);
      expectProblem(await feed(school, { from: 'soon' }), 400, 'validation.failed', ['from']);

      // Access: as the board's.
      for (const who of [a.student, await familyUser(t, ex.receiving.institutionId, (await vettedFamily(t, ex.sides.receiving)).id)]) expectProblem(await feed(who), 403, 'access.forbidden');
      for (const who of [ex.sides.sending, outsiderSchool]) {
        const other = await feed(who, { institutionId: ex.receiving.institutionId });
        expect(other.status).toBe(200);
        expect(events(other).filter((e) => list.some((mine) => mine.uid === e.uid))).toEqual([]);
      }
      expect((await t.api.get('/arrivals.ics')).status).toBe(401);
    });

    it('the UID of an arrival is stable across fetches and across edits of its travel details, whose new time moves DTSTART', async () => {
      const ex = await homestayExchange(t);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const [a, b] = await confirmed(ex, 2);
      await travelling(a, { arrivalAt: `${YEAR}-09-01T10:00:00Z`, arrivalPoint: 'Point A' });
      await travelling(b, { arrivalAt: `${YEAR}-09-02T10:00:00Z`, arrivalPoint: 'Point B' });
      const byLocation = (list: FeedEvent[]) => Object.fromEntries(list.map((e) => [e.location, e]));

      const first = byLocation(events(await feed(school)));
      const again = byLocation(events(await feed(ex.sides.receiving)));
      expect(again['Point A'].uid).toBe(first['Point A'].uid);
      expect(again['Point B'].uid).toBe(first['Point B'].uid);
      expect(first['Point A'].uid).not.toBe(first['Point B'].uid);

      expect((await putTravel(a.student, a.application.id, travelBody({ arrivalAt: `${YEAR}-09-03T16:45:00+03:00`, arrivalPoint: 'Point A', needsPickup: false }))).status).toBe(200);
      const edited = byLocation(events(await feed(school)));
      expect(edited['Point A'].uid).toBe(first['Point A'].uid);
      expect(edited['Point A'].start).toBe(Date.parse(`${YEAR}-09-03T13:45:00Z`));
      expect(edited['Point A'].start).not.toBe(first['Point A'].start);
      expect(edited['Point A'].description).toMatch(/no pickup needed/i);
      expect(edited['Point B']).toEqual(first['Point B']);
      // A new arrival point is the same event, moved.
      expect((await putTravel(ex.sides.receiving, a.application.id, travelBody({ arrivalAt: `${YEAR}-09-03T16:45:00+03:00`, arrivalPoint: 'Point C' }))).status).toBe(200);
      const moved = events(await feed(school));
      expect(moved.map((e) => e.uid).sort()).toEqual([first['Point A'].uid, first['Point B'].uid].sort());
      expect(byLocation(moved)['Point C'].uid).toBe(first['Point A'].uid);
    });
  });
});
