/**
 * Placements over HTTP: beds counted over partially overlapping stays and under races;
 * the rules of a proposal; the lifecycle (the family, or the coordinator on its behalf,
 * accepts or declines; the coordinator cancels and ends) written to the application's
 * history; the application's own end cancelling its placement in its transaction; the
 * lists per role; and what the family and the student see of each other.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { arrivedApplication, confirmedApplication, nominatedApplication, newStudents, transition, uploadDocument } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import {
  acceptedApplicationsAtOnce,
  familyUser,
  homestayExchange,
  placementTransition,
  profile,
  proposedPlacement,
  STAY,
  today,
  vettedFamily,
  vettingBody,
} from '../harness/host-families.js';
import { newPartner, YEAR, type Partner } from '../harness/partnerships.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;
type Placed = Awaited<ReturnType<typeof acceptedApplicationsAtOnce>>[number];

const ids = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);
const sorted = (values: string[]) => [...values].sort();
const sept = (day: number) => `${YEAR}-09-${String(day).padStart(2, '0')}`;
const oct = (day: number) => `${YEAR}-10-${String(day).padStart(2, '0')}`;

describe('placements', () => {
  let t: TestApp;
  let admin: Session;
  let exchange: Exchange;
  /** The receiving coordinator: it manages the families and places the students. */
  let coordinator: Session;
  let institutionId: string;
  let outsider: Partner;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    exchange = await homestayExchange(t, { seats: 100 });
    coordinator = exchange.receiving.coordinator;
    institutionId = exchange.receiving.institutionId;
    outsider = await newPartner(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const propose = (who: Session, body: Record<string, unknown>) => t.api.post('/placements', body, { token: who.token });
  const act = (who: Session, id: string, name: string, body: Record<string, unknown> = {}) => t.api.post(`/placements/${id}/${name}`, body, { token: who.token });
  const applications = (n: number, fields: Record<string, unknown> = {}) => acceptedApplicationsAtOnce(t, exchange, n, fields);
  const history = async (applicationId: string) => (await t.api.get(`/applications/${applicationId}/history`, { token: coordinator.token })).body.items as Record<string, any>[];
  const placementEntries = async (applicationId: string) => (await history(applicationId)).filter((e) => String(e.action).startsWith('placement.'));
  const liveRows = async (hostFamilyId: string) =>
    ((await t.dataSource.query("SELECT count(*)::int AS n FROM placements WHERE host_family_id = $1 AND status IN ('proposed', 'accepted')", [hostFamilyId])) as { n: number }[])[0].n;
  /** The most live placements of the family on any one day, counted day by day in SQL. */
  const peakInDatabase = async (hostFamilyId: string) =>
    (
      (await t.dataSource.query(
        `SELECT coalesce(max(n), 0)::int AS peak FROM (
           SELECT d, count(p.id) AS n FROM generate_series($2::date, $3::date, interval '1 day') d
           LEFT JOIN placements p ON p.host_family_id = $1 AND p.status IN ('proposed', 'accepted') AND p.starts_on <= d AND p.ends_on >= d GROUP BY d) days`,
        [hostFamilyId, STAY.startsOn, STAY.endsOn],
      )) as { peak: number }[]
    )[0].peak;

  describe('beds', () => {
    it('two beds: A (1–30 Sept) and B (15 Sept–15 Oct) fit, C (20–25 Sept) is refused with 409 placement.capacity_exceeded, D (1–10 Oct) fits', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 2 });
      const own = await familyUser(t, institutionId, family.id);
      const [a, b, c, d, e, f] = await applications(6);

      const placementA = await proposedPlacement(t, coordinator, { applicationId: a.application.id, hostFamilyId: family.id, startsOn: sept(1), endsOn: sept(30) });
      expect(placementA).toMatchObject({ status: 'proposed', startsOn: sept(1), endsOn: sept(30), hostFamilyId: family.id, applicationId: a.application.id });
      await placementTransition(t, own, placementA.id, 'accept');
      const placementB = await proposedPlacement(t, coordinator, { applicationId: b.application.id, hostFamilyId: family.id, startsOn: sept(15), endsOn: oct(15) });
      expect(placementB.status).toBe('proposed');

      const refused = await propose(coordinator, { applicationId: c.application.id, hostFamilyId: family.id, startsOn: sept(20), endsOn: sept(25) });
      expectProblem(refused, 409, 'placement.capacity_exceeded');
      expect(refused.body.detail).toContain(sept(20));

      const placementD = await propose(coordinator, { applicationId: d.application.id, hostFamilyId: family.id, startsOn: oct(1), endsOn: oct(10) });
      expect(placementD.status).toBe(201);
      // The last night is included: on 10 October B and D take both beds; on the 11th only B.
      expectProblem(await propose(coordinator, { applicationId: e.application.id, hostFamilyId: family.id, startsOn: oct(10), endsOn: oct(20) }), 409, 'placement.capacity_exceeded');
      expect((await propose(coordinator, { applicationId: e.application.id, hostFamilyId: family.id, startsOn: oct(11), endsOn: oct(20) })).status).toBe(201);
      // A stay that covers them all meets a full day somewhere.
      expectProblem(await propose(coordinator, { applicationId: f.application.id, hostFamilyId: family.id }), 409, 'placement.capacity_exceeded');

      expect(await liveRows(family.id)).toBe(4);
      expect(await peakInDatabase(family.id)).toBe(2);
      expect(((await t.dataSource.query('SELECT count(*)::int AS n FROM placements WHERE application_id = ANY($1)', [[c.application.id, f.application.id]])) as { n: number }[])[0].n).toBe(0);
    });

    it('declined and cancelled placements free their bed; the declined application may be placed again', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 1 });
      const elsewhere = await vettedFamily(t, coordinator, { capacity: 1 });
      const own = await familyUser(t, institutionId, family.id);
      const [a, b, c] = await applications(3);

      const first = await proposedPlacement(t, coordinator, { applicationId: a.application.id, hostFamilyId: family.id });
      expectProblem(await propose(coordinator, { applicationId: b.application.id, hostFamilyId: family.id }), 409, 'placement.capacity_exceeded');
      await placementTransition(t, own, first.id, 'decline', { reason: 'a death in the family' });

      const second = await proposedPlacement(t, coordinator, { applicationId: b.application.id, hostFamilyId: family.id });
      await placementTransition(t, own, second.id, 'accept');
      expectProblem(await propose(coordinator, { applicationId: c.application.id, hostFamilyId: family.id }), 409, 'placement.capacity_exceeded');
      await placementTransition(t, coordinator, second.id, 'cancel', { reason: 'student prefers a residence' });
      expect((await propose(coordinator, { applicationId: c.application.id, hostFamilyId: family.id })).status).toBe(201);

      // Declined is over: the first application is placed again, elsewhere.
      expect((await propose(coordinator, { applicationId: a.application.id, hostFamilyId: elsewhere.id })).status).toBe(201);
      expect(await liveRows(family.id)).toBe(1);
    });

    it("withdrawing, declining or cancelling the application cancels its live placement in the same transaction, and frees the bed", async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 3 });
      const own = await familyUser(t, institutionId, family.id);
      const [w, d, c] = await applications(3);
      const byWithdraw = await proposedPlacement(t, coordinator, { applicationId: w.application.id, hostFamilyId: family.id });
      const byDecline = await proposedPlacement(t, coordinator, { applicationId: d.application.id, hostFamilyId: family.id });
      const byCancel = await proposedPlacement(t, coordinator, { applicationId: c.application.id, hostFamilyId: family.id });
      await placementTransition(t, own, byDecline.id, 'accept');
      await placementTransition(t, own, byCancel.id, 'accept');

      const cases: [Placed, Record<string, any>, Session, string, Record<string, unknown>, string][] = [
        [w, byWithdraw, w.student, 'withdraw', {}, 'proposed'],
        [d, byDecline, d.student, 'decline', {}, 'accepted'],
        // The sending side's coordinator, who does not see placements, may cancel the application too.
        [c, byCancel, exchange.sides.sending, 'cancel', { reason: 'visa refused' }, 'accepted'],
      ];
      for (const [{ application }, placement, who, name, body, from] of cases) {
        await transition(t, who, application.id, name, body);
        const seen = await t.api.get(`/placements/${placement.id}`, { token: coordinator.token });
        expect({ name, status: seen.body.status }).toEqual({ name, status: 'cancelled' });
        expect(seen.body.reason).toEqual(expect.any(String));
        const entries = await history(application.id);
        const last = entries.at(-1)!;
        expect(last).toMatchObject({ action: 'placement.cancel', role: who.user.role, actorId: who.user.id, details: { placementId: placement.id, hostFamilyId: family.id, from, to: 'cancelled' } });
        expect(entries.at(-2)).toMatchObject({ action: name });
        // One transaction wrote the application's new status and the placement's (PostgreSQL's xmin: the writing transaction).
        const [row] = (await t.dataSource.query('SELECT a.xmin::text AS application, p.xmin::text AS placement FROM applications a, placements p WHERE a.id = $1 AND p.id = $2', [application.id, placement.id])) as {
          application: string;
          placement: string;
        }[];
        expect(row.placement).toBe(row.application);
        expect(last.at).toBe(entries.at(-2)!.at);
      }
      expect((await t.api.get(`/placements/${byCancel.id}`, { token: coordinator.token })).body.reason).toBe('visa refused');
      expect(await liveRows(family.id)).toBe(0);
      const free = await t.api.get('/host-families', { token: coordinator.token, query: { availableOn: sept(5), capacityFree: 3, limit: 100 } });
      expect(ids(free)).toContain(family.id);
    });

    it('race: 20 parallel proposals of 20 applications into a family of one bed give exactly one 201 and 19 × 409 placement.capacity_exceeded', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 1 });
      const placed = await applications(20);
      const responses = await Promise.all(placed.map(({ application }) => propose(coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(19);
      for (const r of refused) expectProblem(r, 409, 'placement.capacity_exceeded');
      expect(await liveRows(family.id)).toBe(1);
      expect(((await t.dataSource.query('SELECT count(*)::int AS n FROM placements WHERE host_family_id = $1', [family.id])) as { n: number }[])[0].n).toBe(1);
    });

    it('race: 10 parallel proposals of one application into a roomy family give one 201 and 9 × 409 placement.already_placed', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 20 });
      const [{ application }] = await applications(1);
      const responses = await Promise.all(Array.from({ length: 10 }, () => propose(coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      expect(responses.filter((r) => r.status >= 500)).toEqual([]);
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(9);
      for (const r of refused) expectProblem(r, 409, 'placement.already_placed');
      expect(((await t.dataSource.query('SELECT count(*)::int AS n FROM placements WHERE application_id = $1', [application.id])) as { n: number }[])[0].n).toBe(1);
      expect(await placementEntries(application.id)).toHaveLength(1);
    });
  });

  describe('rules of a proposal', () => {
    it('only an accepted or confirmed application is placed (409 placement.application_not_placeable), once', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 10 });
      const [s1, s2, s3, s4, s5] = await newStudents(t, exchange.sending.institutionId, 5);
      const fields = { dateOfBirth: '2000-05-01', matchingProfile: profile() };
      const nominated = await nominatedApplication(t, s1, exchange.program, exchange.sides, fields);
      const waitlisted = await transition(t, coordinator, (await nominatedApplication(t, s2, exchange.program, exchange.sides, fields)).id, 'waitlist');
      const confirmed = await confirmedApplication(t, s3, exchange.program, exchange.sides, fields);
      const [{ startsOn }] = (await t.dataSource.query('SELECT starts_on::text AS "startsOn" FROM programs WHERE id = $1', [exchange.program.id])) as { startsOn: string }[];
      const arrived = await arrivedApplication(t, s4, exchange.program, exchange.sides, fields);
      // The check-in moved the shared programme's first day to today: back to its stay for the other tests.
      await t.dataSource.query('UPDATE programs SET starts_on = $2 WHERE id = $1', [exchange.program.id, startsOn]);
      const withdrawn = await transition(t, s5, (await confirmedApplication(t, s5, exchange.program, exchange.sides, fields)).id, 'withdraw');
      for (const application of [nominated, waitlisted, arrived, withdrawn]) {
        const response = await propose(coordinator, { applicationId: application.id, hostFamilyId: family.id });
        expect({ status: application.status, code: response.body.code }).toEqual({ status: application.status, code: 'placement.application_not_placeable' });
        expectProblem(response, 409, 'placement.application_not_placeable');
      }
      const placement = await propose(coordinator, { applicationId: confirmed.id, hostFamilyId: family.id });
      expect(placement.status).toBe(201);
      expect(placement.body).toMatchObject({ status: 'proposed', startsOn: STAY.startsOn, endsOn: STAY.endsOn });
      expectProblem(await propose(coordinator, { applicationId: confirmed.id, hostFamilyId: family.id }), 409, 'placement.already_placed');
      expect(await liveRows(family.id)).toBe(1);
    });

    it("a programme whose accommodation is a residence has no host-family placements (409 placement.no_host_family_accommodation)", async () => {
      const residence = await homestayExchange(t, { program: { accommodation: 'residence' } });
      const family = await vettedFamily(t, residence.receiving.coordinator);
      const [{ application }] = await acceptedApplicationsAtOnce(t, residence, 1);
      expectProblem(await propose(residence.receiving.coordinator, { applicationId: application.id, hostFamilyId: family.id }), 409, 'placement.no_host_family_accommodation');
      expectProblem(await t.api.get(`/applications/${application.id}/host-family-matches`, { token: residence.receiving.coordinator.token }), 409, 'placement.no_host_family_accommodation');
      expect(await liveRows(family.id)).toBe(0);
    });

    it("its dates lie within the programme's stay (400 on startsOn or endsOn); by default the whole stay", async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 5, availableFrom: `${YEAR}-01-01`, availableTo: `${YEAR + 1}-12-31` });
      const [{ application }] = await applications(1);
      const cases: [body: Record<string, unknown>, field: string][] = [
        [{ startsOn: `${YEAR}-08-31` }, 'startsOn'],
        [{ startsOn: `${YEAR}-08-31`, endsOn: `${YEAR}-09-30` }, 'startsOn'],
        [{ endsOn: `${YEAR + 1}-02-01` }, 'endsOn'],
        [{ startsOn: `${YEAR + 1}-02-01`, endsOn: `${YEAR + 1}-02-10` }, 'startsOn'],
        [{ startsOn: oct(10), endsOn: oct(9) }, 'endsOn'],
        [{ startsOn: `${YEAR}-09-31` }, 'startsOn'],
        [{ endsOn: 'end of term' }, 'endsOn'],
        [{ status: 'accepted' }, 'status'],
        [{ hostFamilyId: 'not-a-uuid' }, 'hostFamilyId'],
        [{ applicationId: undefined }, 'applicationId'],
      ];
      for (const [body, field] of cases) {
        const response = await propose(coordinator, { applicationId: application.id, hostFamilyId: family.id, ...body });
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expectProblem(response, 400, 'validation.failed', [field]);
      }
      expect(await liveRows(family.id)).toBe(0);
      // The first and the last day of the stay are in it.
      const whole = await proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id, startsOn: STAY.startsOn, endsOn: STAY.endsOn });
      expect(whole).toMatchObject({ startsOn: STAY.startsOn, endsOn: STAY.endsOn });
      const [{ application: oneNight }] = await applications(1);
      expect(await proposedPlacement(t, coordinator, { applicationId: oneNight.id, hostFamilyId: family.id, startsOn: STAY.endsOn, endsOn: STAY.endsOn })).toMatchObject({ startsOn: STAY.endsOn, endsOn: STAY.endsOn });
    });

    it('a family that breaks a hard rule is refused with 409 placement.family_unsuitable naming the rule', async () => {
      const late = await vettedFamily(t, coordinator, { availableFrom: oct(1) });
      const cat = await vettedFamily(t, coordinator, { hasPets: true, petTypes: ['cat'] });
      const women = await vettedFamily(t, coordinator, { genderPreference: 'female' });
      const adults = await vettedFamily(t, coordinator, { acceptsMinors: false });
      const lateAdults = await vettedFamily(t, coordinator, { acceptsMinors: false, availableTo: `${YEAR}-12-31` });
      const minorBorn = `${YEAR - 17}-03-01`;
      const [allergic, male, minor, unknownAge, minorLate] = await Promise.all([
        applications(1, { matchingProfile: profile({ allergies: ['Cats'] }) }),
        applications(1, { gender: 'male' }),
        applications(1, { dateOfBirth: minorBorn }),
        applications(1, { dateOfBirth: null }),
        applications(1, { dateOfBirth: minorBorn }),
      ]).then((lists) => lists.map(([p]) => p.application));
      const [{ application: adultAny }] = await applications(1);

      const cases: [application: { id: string }, family: { id: string }, rules: string[]][] = [
        [adultAny, late, ['availability']],
        [allergic, cat, ['pets']],
        [male, women, ['gender']],
        [minor, adults, ['minors']],
        [unknownAge, adults, ['minors']],
        [minorLate, lateAdults, ['availability', 'minors']],
      ];
      for (const [application, family, rules] of cases) {
        const response = await propose(coordinator, { applicationId: application.id, hostFamilyId: family.id });
        expectProblem(response, 409, 'placement.family_unsuitable');
        expect(response.body.errors).toHaveLength(rules.length);
        rules.forEach((rule, i) => {
          expect(response.body.errors[i]).toEqual({ field: 'hostFamilyId', message: expect.stringContaining(rule === 'availability' ? 'availability' : rule) });
          expect(response.body.title).toContain(rule);
        });
        expect(await liveRows(family.id)).toBe(0);
      }
      // In French, the rules are told in French.
      const french = await t.api.post('/placements', { applicationId: allergic.id, hostFamilyId: cat.id }, { token: coordinator.token, headers: { 'accept-language': 'fr' } });
      expect(french.body.errors).toEqual([{ field: 'hostFamilyId', message: "l'étudiant est allergique à ses animaux" }]);

      // The same families take the students their rules allow; a later start fits the late family.
      const [female, dogAllergic, adult] = await Promise.all([applications(1, { gender: 'female' }), applications(1, { matchingProfile: profile({ allergies: ['dogs', 'pollen'] }) }), applications(1)]).then((lists) => lists.map(([p]) => p.application));
      expect((await propose(coordinator, { applicationId: female.id, hostFamilyId: women.id })).status).toBe(201);
      expect((await propose(coordinator, { applicationId: dogAllergic.id, hostFamilyId: cat.id })).status).toBe(201);
      expect((await propose(coordinator, { applicationId: adult.id, hostFamilyId: adults.id })).status).toBe(201);
      expect((await propose(coordinator, { applicationId: adultAny.id, hostFamilyId: late.id, startsOn: oct(1) })).status).toBe(201);
    });

    it('receiving coordinators and admins propose; the sending side, host-school staff, families and students may not; other institutions see nothing', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 5 });
      const foreignFamily = await vettedFamily(t, outsider.coordinator);
      const [{ application, student }, second] = await applications(2);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId });
      const own = await familyUser(t, institutionId, family.id);
      const body = { applicationId: application.id, hostFamilyId: family.id };

      expectProblem(await propose(exchange.sides.sending, body), 403, 'access.forbidden');
      for (const who of [school, own, student]) expectProblem(await propose(who, body), 403, 'access.forbidden');
      expectProblem(await propose(outsider.coordinator, body), 404, 'application.not_found');
      expectProblem(await propose(coordinator, { ...body, applicationId: randomUUID() }), 404, 'application.not_found');
      expectProblem(await propose(coordinator, { ...body, hostFamilyId: randomUUID() }), 404, 'host_family.not_found');
      // A family of another institution is not one the receiving institution may use.
      expectProblem(await propose(coordinator, { ...body, hostFamilyId: foreignFamily.id }), 404, 'host_family.not_found');
      expect(await liveRows(family.id)).toBe(0);

      const byAdmin = await propose(admin, body);
      expect(byAdmin.status).toBe(201);
      expect((await placementEntries(application.id))[0]).toMatchObject({ action: 'placement.propose', role: 'admin', actorId: admin.user.id, details: { placementId: byAdmin.body.id, hostFamilyId: family.id, from: null, to: 'proposed' } });
      const byCoordinator = await propose(coordinator, { applicationId: second.application.id, hostFamilyId: family.id });
      expect(byCoordinator.status).toBe(201);
      expect(byCoordinator.body.allowedTransitions).toEqual(['accept', 'decline', 'cancel']);
    });
  });

  describe('lifecycle', () => {
    it('the family accepts or declines; the coordinator does either on its behalf; each step goes to the history', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 4 });
      const own = await familyUser(t, institutionId, family.id);
      const placed = await applications(4);
      const [p1, p2, p3, p4] = await Promise.all(placed.map(({ application }) => proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      expect(p1.allowedTransitions).toEqual(['accept', 'decline', 'cancel']);
      expect((await t.api.get(`/placements/${p1.id}`, { token: own.token })).body.allowedTransitions).toEqual(['accept', 'decline']);

      const accepted = await act(own, p1.id, 'accept', { comment: 'we look forward to it' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', acceptedAt: expect.any(String), allowedTransitions: [] });
      expect((await t.api.get(`/placements/${p1.id}`, { token: coordinator.token })).body.allowedTransitions).toEqual(['cancel', 'end']);
      expect((await act(coordinator, p2.id, 'accept')).body).toMatchObject({ status: 'accepted' });

      expectProblem(await act(own, p3.id, 'decline'), 400, 'validation.failed', ['reason']);
      expectProblem(await act(own, p3.id, 'decline', { reason: '   ' }), 400, 'validation.failed', ['reason']);
      expectProblem(await act(coordinator, p4.id, 'decline', { comment: 'no reason given' }), 400, 'validation.failed', ['reason']);
      expect((await t.api.get(`/placements/${p3.id}`, { token: coordinator.token })).body.status).toBe('proposed');
      expect((await act(own, p3.id, 'decline', { reason: 'renovation works' })).body).toMatchObject({ status: 'declined', reason: 'renovation works', allowedTransitions: [] });
      expect((await act(coordinator, p4.id, 'decline', { reason: 'the family phoned: away in October' })).body).toMatchObject({ status: 'declined', reason: 'the family phoned: away in October' });

      const steps: [Record<string, any>, Session, string, string, string | null, string | null][] = [
        [p1, own, 'accept', 'accepted', 'we look forward to it', null],
        [p2, coordinator, 'accept', 'accepted', null, null],
        [p3, own, 'decline', 'declined', null, 'renovation works'],
        [p4, coordinator, 'decline', 'declined', null, 'the family phoned: away in October'],
      ];
      for (const [i, [placement, who, name, to, comment, reason]] of steps.entries()) {
        const entries = await placementEntries(placed[i].application.id);
        expect(entries.map((e) => ({ action: e.action, from: e.from, to: e.to, role: e.role, actorId: e.actorId, comment: e.comment, reason: e.reason, details: e.details }))).toEqual([
          { action: 'placement.propose', from: 'accepted', to: 'accepted', role: 'coordinator', actorId: coordinator.user.id, comment: null, reason: null, details: { placementId: placement.id, hostFamilyId: family.id, from: null, to: 'proposed' } },
          { action: `placement.${name}`, from: 'accepted', to: 'accepted', role: who.user.role, actorId: who.user.id, comment, reason, details: { placementId: placement.id, hostFamilyId: family.id, from: 'proposed', to } },
        ]);
      }
      // The student sees the history of its application, with the placement's steps.
      expect((await t.api.get(`/applications/${placed[0].application.id}/history`, { token: placed[0].student.token })).body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['placement.propose', 'placement.accept']),
      );
    });

    it('a family suspended or whose vetting ran out since the proposal cannot accept it (409 placement.family_not_vetted); vetted again, it can', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 2 });
      const own = await familyUser(t, institutionId, family.id);
      const [first, second] = await applications(2);
      const [p1, p2] = await Promise.all([first, second].map(({ application }) => proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      expect((await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'complaint under review' }, { token: coordinator.token })).status).toBe(200);
      expectProblem(await act(own, p1.id, 'accept'), 409, 'placement.family_not_vetted');
      expectProblem(await act(coordinator, p1.id, 'accept'), 409, 'placement.family_not_vetted');
      expect((await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: coordinator.token })).status).toBe(200);
      expect((await act(own, p1.id, 'accept')).body.status).toBe('accepted');
      await t.dataSource.query('UPDATE host_families SET vetting_expires_on = current_date WHERE id = $1', [family.id]);
      expectProblem(await act(own, p2.id, 'accept'), 409, 'placement.family_not_vetted');
      expect((await t.api.get(`/placements/${p2.id}`, { token: coordinator.token })).body.status).toBe('proposed');
    });

    it('the coordinator cancels (reason required) and ends (early only with a reason: endedOn today)', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 4 });
      const own = await familyUser(t, institutionId, family.id);
      const placed = await applications(4);
      const [proposed, accepted, toEnd, lastDay] = await Promise.all(placed.map(({ application }) => proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      for (const p of [accepted, toEnd, lastDay]) await placementTransition(t, own, p.id, 'accept');

      expectProblem(await act(coordinator, proposed.id, 'cancel'), 400, 'validation.failed', ['reason']);
      expect((await act(coordinator, proposed.id, 'cancel', { reason: 'student changed programme' })).body).toMatchObject({ status: 'cancelled', reason: 'student changed programme', allowedTransitions: [] });
      expect((await act(admin, accepted.id, 'cancel', { reason: 'family moved' })).body).toMatchObject({ status: 'cancelled' });

      // Before its first day a placement is cancelled, not ended.
      expectProblem(await act(coordinator, toEnd.id, 'end', { reason: 'too soon' }), 409, 'placement.not_started');
      await t.dataSource.query('UPDATE placements SET starts_on = current_date - 5 WHERE id = $1', [toEnd.id]);
      expectProblem(await act(coordinator, toEnd.id, 'end'), 400, 'validation.failed', ['reason']);
      expectProblem(await act(coordinator, toEnd.id, 'end', { comment: 'early' }), 400, 'validation.failed', ['reason']);
      expect((await t.api.get(`/placements/${toEnd.id}`, { token: coordinator.token })).body).toMatchObject({ status: 'accepted', endedOn: null });
      const dayBefore = today();
      const ended = await act(coordinator, toEnd.id, 'end', { reason: 'student went home early' });
      const dayAfter = today();
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ status: 'ended', reason: 'student went home early', allowedTransitions: [] });
      // Today (read on both sides of the request, should it cross midnight).
      expect([dayBefore, dayAfter]).toContain(ended.body.endedOn);

      // A placement whose last night has passed ends without a reason, on its last day.
      await t.dataSource.query("UPDATE placements SET starts_on = current_date - 30, ends_on = current_date - 2 WHERE id = $1", [lastDay.id]);
      const [{ endsOn }] = (await t.dataSource.query('SELECT ends_on::text AS "endsOn" FROM placements WHERE id = $1', [lastDay.id])) as { endsOn: string }[];
      expect((await act(coordinator, lastDay.id, 'end')).body).toMatchObject({ status: 'ended', endedOn: endsOn, reason: null });

      const expected: [Record<string, any>, number, string, string, string][] = [
        [proposed, 0, 'cancel', 'proposed', 'cancelled'],
        [accepted, 1, 'cancel', 'accepted', 'cancelled'],
        [toEnd, 2, 'end', 'accepted', 'ended'],
      ];
      for (const [placement, i, name, from, to] of expected) {
        expect((await placementEntries(placed[i].application.id)).at(-1)).toMatchObject({ action: `placement.${name}`, details: { placementId: placement.id, hostFamilyId: family.id, from, to } });
      }
      expect(await liveRows(family.id)).toBe(0);
    });

    it('a move from the wrong status answers 409 placement.invalid_transition; a move that is never the caller’s 403; outsiders 404; nothing is written', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 5 });
      const neighbour = await vettedFamily(t, coordinator);
      const own = await familyUser(t, institutionId, family.id);
      const neighbourUser = await familyUser(t, institutionId, neighbour.id);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId });
      const placed = await applications(5);
      const [proposed, accepted, declined, cancelled, ended] = await Promise.all(placed.map(({ application }) => proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id })));
      for (const p of [accepted, cancelled, ended]) await placementTransition(t, own, p.id, 'accept');
      await placementTransition(t, own, declined.id, 'decline', { reason: 'no' });
      await placementTransition(t, coordinator, cancelled.id, 'cancel', { reason: 'no' });
      await t.dataSource.query('UPDATE placements SET starts_on = current_date - 5 WHERE id = $1', [ended.id]);
      await placementTransition(t, coordinator, ended.id, 'end', { reason: 'early' });
      const student = placed[1].student;

      const reason = { reason: 'because' };
      const cases: [who: Session, label: string, placement: { id: string }, status: string, name: string, code: number, error: string][] = [
        [own, 'family', accepted, 'accepted', 'accept', 409, 'placement.invalid_transition'],
        [own, 'family', accepted, 'accepted', 'decline', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', accepted, 'accepted', 'accept', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', proposed, 'proposed', 'end', 409, 'placement.invalid_transition'],
        [own, 'family', declined, 'declined', 'accept', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', declined, 'declined', 'cancel', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', declined, 'declined', 'end', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', cancelled, 'cancelled', 'cancel', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', cancelled, 'cancelled', 'accept', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', ended, 'ended', 'end', 409, 'placement.invalid_transition'],
        [coordinator, 'coordinator', ended, 'ended', 'cancel', 409, 'placement.invalid_transition'],
        [own, 'family', ended, 'ended', 'decline', 409, 'placement.invalid_transition'],
        // Never the family's moves, whatever the status.
        [own, 'family', proposed, 'proposed', 'cancel', 403, 'access.forbidden'],
        [own, 'family', accepted, 'accepted', 'end', 403, 'access.forbidden'],
        [own, 'family', cancelled, 'cancelled', 'cancel', 403, 'access.forbidden'],
        // Host-school staff read the placements of their institution, and act on none.
        [school, 'host school', proposed, 'proposed', 'accept', 403, 'access.forbidden'],
        [school, 'host school', accepted, 'accepted', 'end', 403, 'access.forbidden'],
        // The student sees its accepted placement; the family's answer is not its to give.
        [student, 'student', accepted, 'accepted', 'accept', 403, 'access.forbidden'],
        [student, 'student', accepted, 'accepted', 'cancel', 403, 'access.forbidden'],
        // Outside their scope: 404.
        [neighbourUser, 'another family', proposed, 'proposed', 'accept', 404, 'placement.not_found'],
        [exchange.sides.sending, 'sending coordinator', proposed, 'proposed', 'cancel', 404, 'placement.not_found'],
        [outsider.coordinator, "another institution's coordinator", proposed, 'proposed', 'accept', 404, 'placement.not_found'],
        [placed[0].student, 'student before acceptance', proposed, 'proposed', 'accept', 404, 'placement.not_found'],
        [coordinator, 'coordinator, unknown placement', { id: randomUUID() }, 'none', 'accept', 404, 'placement.not_found'],
      ];
      const before = await t.dataSource.query("SELECT count(*)::int AS n FROM application_history WHERE action LIKE 'placement.%'");
      for (const [who, label, placement, status, name, code, error] of cases) {
        const response = await act(who, placement.id, name, reason);
        expect({ label, status, name, code: response.status, error: response.body?.code }).toEqual({ label, status, name, code, error });
      }
      expect(await t.dataSource.query("SELECT count(*)::int AS n FROM application_history WHERE action LIKE 'placement.%'")).toEqual(before);
      const statuses = await Promise.all([proposed, accepted, declined, cancelled, ended].map(async (p) => (await t.api.get(`/placements/${p.id}`, { token: coordinator.token })).body.status));
      expect(statuses).toEqual(['proposed', 'accepted', 'declined', 'cancelled', 'ended']);
      expectProblem(await act(coordinator, proposed.id, 'approve'), 404);
    });
  });

  describe('lists', () => {
    it('GET /placements answers each role its own, newest first, filtered by status, hostFamilyId and applicationId, page by page', async () => {
      const local = await homestayExchange(t, { seats: 10 });
      const by = local.receiving.coordinator;
      const first = await vettedFamily(t, by, { capacity: 5 });
      const second = await vettedFamily(t, by, { capacity: 5 });
      const firstUser = await familyUser(t, local.receiving.institutionId, first.id);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: local.receiving.institutionId });
      const placed = await acceptedApplicationsAtOnce(t, local, 5);
      const made: Record<string, any>[] = [];
      for (const [i, { application }] of placed.entries()) made.push(await proposedPlacement(t, by, { applicationId: application.id, hostFamilyId: i < 3 ? first.id : second.id }));
      const [p1, p2, p3, p4, p5] = made;
      await placementTransition(t, firstUser, p2.id, 'accept');
      await placementTransition(t, firstUser, p3.id, 'decline', { reason: 'full' });
      await placementTransition(t, by, p4.id, 'accept');
      await placementTransition(t, by, p5.id, 'cancel', { reason: 'changed' });

      const get = (who: Session, query: Record<string, string | number> = {}) => t.api.get('/placements', { token: who.token, query });
      const newestFirst = [p5, p4, p3, p2, p1].map((p) => p.id);
      for (const who of [by, school]) expect(ids(await get(who, { limit: 100 }))).toEqual(newestFirst);
      expect(ids(await get(admin, { hostFamilyId: first.id }))).toEqual([p3.id, p2.id, p1.id]);
      expect(ids(await get(by, { status: 'accepted' }))).toEqual([p4.id, p2.id]);
      expect(ids(await get(by, { status: 'accepted', hostFamilyId: first.id }))).toEqual([p2.id]);
      expect(ids(await get(by, { status: 'ended' }))).toEqual([]);
      expect(ids(await get(by, { applicationId: placed[2].application.id }))).toEqual([p3.id]);
      expect(ids(await get(firstUser))).toEqual([p3.id, p2.id, p1.id]);
      expect(ids(await get(firstUser, { hostFamilyId: second.id }))).toEqual([]);
      expect(ids(await get(firstUser, { status: 'proposed' }))).toEqual([p1.id]);
      // Students: their own, once accepted.
      expect(ids(await get(placed[1].student))).toEqual([p2.id]);
      expect(ids(await get(placed[0].student))).toEqual([]);
      expect(ids(await get(placed[2].student))).toEqual([]);
      // The sending side and other institutions see none.
      for (const who of [local.sides.sending, outsider.coordinator, coordinator]) expect(ids(await get(who, { hostFamilyId: first.id }))).toEqual([]);

      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await get(by, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.status).toBe(200);
        walked.push(...ids(page));
        cursor = page.body.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 10);
      expect(walked).toEqual(newestFirst);
      expect(pages).toBe(3);

      for (const [query, field] of [
        [{ status: 'live' }, 'status'],
        [{ hostFamilyId: 'family' }, 'hostFamilyId'],
        [{ applicationId: '42' }, 'applicationId'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 101 }, 'limit'],
        [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      ] as [Record<string, string | number>, string][]) {
        expectProblem(await get(by, query), 400, 'validation.failed', [field]);
      }
    });
  });

  describe('what each side sees of the other', () => {
    const PRIVATE = { motivation: 'My secret motivation', languageLevels: [{ language: 'fr', level: 'B2' }], dateOfBirth: '2001-02-03', gender: 'female', matchingProfile: profile({ languages: ['fr', 'ru'], diet: ['vegetarian'], allergies: ['peanuts'], notes: 'Private notes for the office' }) };

    it('a host family sees of the student its name, age band, languages, diet and allergies, and nothing else', async () => {
      const family = await vettedFamily(t, coordinator);
      const own = await familyUser(t, institutionId, family.id);
      const [{ application, student }] = await applications(1, PRIVATE);
      expect((await uploadDocument(t, student, application.id, 'passport')).status).toBe(201);
      const placement = await proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id });

      const one = await t.api.get(`/placements/${placement.id}`, { token: own.token });
      const listed = await t.api.get('/placements', { token: own.token });
      const accepted = await act(own, placement.id, 'accept');
      for (const [label, response, body] of [
        ['GET one', one, one.body],
        ['list', listed, listed.body.items[0]],
        ['accept', accepted, accepted.body],
      ] as [string, ApiResponse, Record<string, any>][]) {
        expect({ label, status: response.status }).toEqual({ label, status: 200 });
        expect(body.id).toBe(placement.id);
        expect(sorted(Object.keys(body.student))).toEqual(['ageBand', 'allergies', 'diet', 'fullName', 'id', 'languages']);
        expect(body.student).toEqual({ id: student.user.id, fullName: student.user.fullName, ageBand: 'adult', languages: ['fr', 'ru'], diet: ['vegetarian'], allergies: ['peanuts'] });
        expect(body.family).toMatchObject({ id: family.id, displayName: family.displayName, contactEmail: family.contactEmail });
        for (const secret of ['motivation', 'dateOfBirth', 'documents', 'matchingProfile', 'languageLevels', 'gender', 'notes', 'My secret motivation', 'Private notes', PRIVATE.dateOfBirth, 'passport', 'sha256']) {
          expect({ label, secret, found: response.text.includes(secret) }).toEqual({ label, secret, found: false });
        }
      }
      // A minor reads as such, without the date of birth.
      const [{ application: young }] = await applications(1, { dateOfBirth: `${YEAR - 16}-06-15` });
      const minorPlacement = await proposedPlacement(t, coordinator, { applicationId: young.id, hostFamilyId: family.id });
      const seenMinor = await t.api.get(`/placements/${minorPlacement.id}`, { token: own.token });
      expect(seenMinor.body.student.ageBand).toBe('minor');
      expect(seenMinor.text).not.toContain(`${YEAR - 16}-06-15`);
    });

    it("a host family gets 404 on the student's application, its documents and history, and on another family's placement", async () => {
      const family = await vettedFamily(t, coordinator);
      const neighbour = await vettedFamily(t, coordinator);
      const own = await familyUser(t, institutionId, family.id);
      const [mine, theirs] = await applications(2, PRIVATE);
      const placement = await proposedPlacement(t, coordinator, { applicationId: mine.application.id, hostFamilyId: family.id });
      const other = await proposedPlacement(t, coordinator, { applicationId: theirs.application.id, hostFamilyId: neighbour.id });
      await placementTransition(t, own, placement.id, 'accept');
      for (const path of [`/applications/${mine.application.id}`, `/applications/${mine.application.id}/documents`, `/applications/${mine.application.id}/history`, `/applications/${mine.application.id}/learning-agreement`]) {
        expectProblem(await t.api.get(path, { token: own.token }), 404);
      }
      expectProblem(await t.api.get(`/placements/${other.id}`, { token: own.token }), 404, 'placement.not_found');
      expect((await t.api.get('/applications', { token: own.token })).body.items ?? []).toEqual([]);
      expectProblem(await t.api.get(`/applications/${mine.application.id}/host-family-matches`, { token: own.token }), 403);
    });

    it('a student sees nothing of the family before it accepts; once accepted, its name, address and contact on the application', async () => {
      const family = await vettedFamily(t, coordinator);
      const own = await familyUser(t, institutionId, family.id);
      const [{ application, student }] = await applications(1);
      const placement = await proposedPlacement(t, coordinator, { applicationId: application.id, hostFamilyId: family.id });

      const before = await t.api.get(`/applications/${application.id}`, { token: student.token });
      expect(before.status).toBe(200);
      expect(before.body).not.toHaveProperty('placement');
      expect(before.text).not.toContain(family.displayName);
      expect(ids(await t.api.get('/placements', { token: student.token }))).toEqual([]);
      expectProblem(await t.api.get(`/placements/${placement.id}`, { token: student.token }), 404, 'placement.not_found');
      expectProblem(await t.api.get(`/host-families/${family.id}`, { token: student.token }), 404, 'host_family.not_found');
      // The receiving coordinator sees the proposal on the application.
      expect((await t.api.get(`/applications/${application.id}`, { token: coordinator.token })).body.placement).toMatchObject({ id: placement.id, status: 'proposed' });

      await placementTransition(t, own, placement.id, 'accept');
      const after = await t.api.get(`/applications/${application.id}`, { token: student.token });
      expect(after.body.placement).toMatchObject({
        id: placement.id,
        status: 'accepted',
        startsOn: STAY.startsOn,
        endsOn: STAY.endsOn,
        family: { id: family.id, displayName: family.displayName, address: family.address, contactEmail: family.contactEmail, contactPhone: family.contactPhone },
      });
      expect(ids(await t.api.get('/placements', { token: student.token }))).toEqual([placement.id]);
      expect((await t.api.get(`/placements/${placement.id}`, { token: student.token })).body.family).toEqual({ id: family.id, displayName: family.displayName, address: family.address, contactEmail: family.contactEmail, contactPhone: family.contactPhone });
      // Of the family's record, only what the placement shows.
      expect(after.text).not.toMatch(/vettings|suspensionReason|petTypes/);
      // Another student sees none of it.
      const [stranger] = await newStudents(t, exchange.sending.institutionId, 1);
      expectProblem(await t.api.get(`/placements/${placement.id}`, { token: stranger.token }), 404, 'placement.not_found');

      // Cancelled: the contact is no longer the student's to read.
      await placementTransition(t, coordinator, placement.id, 'cancel', { reason: 'family moved away' });
      expect((await t.api.get(`/applications/${application.id}`, { token: student.token })).body).not.toHaveProperty('placement');
      const gone = await t.api.get(`/placements/${placement.id}`, { token: student.token });
      expect(gone.body.family).toEqual({ id: family.id, displayName: family.displayName });
    });
  });
});
