/**
 * OWASP API6:2023, unrestricted access to sensitive business flows: what an automated or
 * ill-meaning user could do at scale through flows that are each allowed. Two flows hold
 * something scarce:
 *
 * - applications take a place in the partners' queues: a student holds at most five open
 *   ones and one per programme, whatever the channel (API and portal together) and however
 *   the requests race;
 * - a proposed placement takes one of a family's beds until the family answers: a proposal
 *   nobody accepts lapses after PLACEMENT_PROPOSAL_DAYS (declined by the platform, the
 *   receiving coordinators told), so no one can hold a family's beds for good by proposing
 *   and never following up. The lapse job runs once per period across instances.
 */
import { MAX_OPEN_APPLICATIONS } from '../../src/applications/applications.service.js';
import { loadSettings } from '../../src/config/settings.js';
import { PlacementLapses } from '../../src/placements/placement-lapses.service.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { login, newUser, PASSWORD, type Session } from '../harness/factories.js';
import { acceptedApplications, familyUser, homestayExchange, placementTransition, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { publishedProgram } from '../harness/partnerships.js';
import { PortalClient } from '../harness/portal.js';

const PROPOSAL_DAYS = 14;
const DAY = 86_400_000;

describe('API6 sensitive business flows', () => {
  let t: TestApp;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let lapses: PlacementLapses;
  let programs: { id: string }[];

  beforeAll(async () => {
    // The lapse timer is off: the tests run the job themselves, at the instants they choose.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '1000', PLACEMENT_PROPOSAL_DAYS: String(PROPOSAL_DAYS), PLACEMENT_LAPSE_INTERVAL_SECONDS: '0' });
    lapses = t.app.get(PlacementLapses);
    exchange = await homestayExchange(t);
    programs = await Promise.all(
      Array.from({ length: MAX_OPEN_APPLICATIONS + 3 }, () =>
        publishedProgram(t, exchange.sending.coordinator, exchange.agreement.id, exchange.sending.institutionId, exchange.receiving.institutionId, {
          seats: 1,
          requiredDocuments: [],
          requiresLearningAgreement: false,
        }),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const newStudent = async (): Promise<Session> => {
    const user = await newUser(t.dataSource, { role: 'student', institutionId: exchange.sending.institutionId });
    return { ...(await login(t.api, user)), user };
  };
  const portalOf = async (student: Session) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(student.user.email, PASSWORD);
    await browser.get('/portal/my/programs');
    return browser;
  };
  const applicationsOf = async (studentId: string) =>
    ((await t.dataSource.query('SELECT count(*)::int AS n FROM applications WHERE student_id = $1', [studentId])) as { n: number }[])[0].n;

  describe('mass applications', () => {
    it(`holds a student to ${MAX_OPEN_APPLICATIONS} open applications across the API and the portal`, async () => {
      const student = await newStudent();
      for (const program of programs.slice(0, MAX_OPEN_APPLICATIONS)) {
        expect((await t.api.post('/applications', { programId: program.id }, { token: student.token })).status).toBe(201);
      }
      const browser = await portalOf(student);
      const more = await browser.post(`/portal/programs/${programs[MAX_OPEN_APPLICATIONS].id}/apply`);
      expect(more.status).toBe(303);
      expect(more.location).toMatch(/^\/portal\/my\/programs\?error=application\.too_many_open\b/);
      expectProblem(await t.api.post('/applications', { programId: programs[MAX_OPEN_APPLICATIONS + 1].id }, { token: student.token }), 409, 'application.too_many_open');
      expect(await applicationsOf(student.user.id)).toBe(MAX_OPEN_APPLICATIONS);
    });

    it('keeps the limit when API and portal requests race', async () => {
      const student = await newStudent();
      const browser = await portalOf(student);
      const answers = await Promise.all(
        programs.map((program, i) =>
          i % 2 === 0 ? t.api.post('/applications', { programId: program.id }, { token: student.token }).then((r) => r.status) : browser.post(`/portal/programs/${program.id}/apply`).then((r) => r.status),
        ),
      );
      expect(answers.every((status) => [201, 303, 409].includes(status))).toBe(true);
      expect(await applicationsOf(student.user.id)).toBe(MAX_OPEN_APPLICATIONS);
    });

    it('takes one application per student and programme, from either channel, even when they race', async () => {
      const student = await newStudent();
      const browser = await portalOf(student);
      const program = programs[0];
      await Promise.all([
        ...Array.from({ length: 3 }, () => t.api.post('/applications', { programId: program.id }, { token: student.token })),
        ...Array.from({ length: 3 }, () => browser.post(`/portal/programs/${program.id}/apply`)),
      ]);
      expect(await applicationsOf(student.user.id)).toBe(1);
      const [draft] = (await t.api.get('/applications', { token: student.token })).body.items;
      expect((await t.api.post(`/applications/${draft.id}/withdraw`, {}, { token: student.token })).status).toBe(200);
      // Withdrawn, it is no longer open, but it still is the one application to that programme.
      expectProblem(await t.api.post('/applications', { programId: program.id }, { token: student.token }), 409, 'application.already_exists');
      const again = await browser.post(`/portal/programs/${program.id}/apply`);
      expect(again.location).toBe('/portal/my/programs?error=application.already_exists');
      expect(await applicationsOf(student.user.id)).toBe(1);
    });
  });

  describe('beds held by proposals nobody accepts', () => {
    let family: { id: string };
    let familySession: Session;
    let students: Awaited<ReturnType<typeof acceptedApplications>>;
    const coordinator = () => exchange.receiving.coordinator;
    const ageProposal = (placementId: string, days: number) => t.dataSource.query(`UPDATE placements SET created_at = now() - make_interval(days => $2) WHERE id = $1`, [placementId, days]);
    const placementOf = async (id: string) => (await t.api.get(`/placements/${id}`, { token: coordinator().token })).body;

    beforeAll(async () => {
      // One bed: a proposal takes it.
      family = await vettedFamily(t, coordinator(), { capacity: 1 });
      familySession = await familyUser(t, exchange.receiving.institutionId, family.id);
      students = await acceptedApplications(t, exchange, 3);
    });

    it('counts a proposal against the beds: a second student cannot be placed while it is unanswered', async () => {
      const first = await proposedPlacement(t, coordinator(), { applicationId: students[0].application.id, hostFamilyId: family.id });
      expect(first.status).toBe('proposed');
      expectProblem(await t.api.post('/placements', { applicationId: students[1].application.id, hostFamilyId: family.id }, { token: coordinator().token }), 409, 'placement.capacity_exceeded');
      // Fresh, and one day short of the limit: the proposal stands.
      expect(await lapses.runLapses()).toEqual({ ran: true, lapsed: 0 });
      await ageProposal(first.id, PROPOSAL_DAYS - 1);
      expect(await lapses.runLapses()).toEqual({ ran: true, lapsed: 0 });
      expect((await placementOf(first.id)).status).toBe('proposed');
    });

    it(`lets a proposal lapse after ${PROPOSAL_DAYS} days: declined by the platform, its bed free, the coordinators told`, async () => {
      const [held] = (await t.api.get('/placements', { token: coordinator().token, query: { limit: 100 } })).body.items.filter(
        (p: { applicationId: string }) => p.applicationId === students[0].application.id,
      );
      await ageProposal(held.id, PROPOSAL_DAYS + 1);
      expect(await lapses.runLapses()).toEqual({ ran: true, lapsed: 1 });

      const lapsed = await placementOf(held.id);
      expect(lapsed).toMatchObject({ status: 'declined', reason: `not accepted within ${PROPOSAL_DAYS} days of the proposal`, acceptedAt: null });
      // Too late for the family now: the proposal is gone, and its answer is a conflict.
      expectProblem(await t.api.post(`/placements/${held.id}/accept`, {}, { token: familySession.token }), 409, 'placement.invalid_transition');

      // The application's history names the platform, not a person; so does the audit log.
      const history = (await t.api.get(`/applications/${students[0].application.id}/history`, { token: coordinator().token })).body.items;
      expect(history.at(-1)).toMatchObject({ action: 'placement.decline', actorId: null, role: 'system', reason: `not accepted within ${PROPOSAL_DAYS} days of the proposal` });
      const audit = (await t.dataSource.query(`SELECT actor_id, to_status FROM audit.audit_log WHERE target_id = $1 AND action = 'placement.decline'`, [held.id])) as { actor_id: string | null; to_status: string }[];
      expect(audit).toEqual([{ actor_id: null, to_status: 'declined' }]);
      // The receiving coordinators are told, as of any declined placement, to propose another family.
      const notices = (await t.api.get('/notifications', { token: coordinator().token, query: { limit: 100 } })).body.items;
      expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'placement.declined', objectId: held.id })]));

      // The bed is free: the next student is placed, and the first one can be proposed again elsewhere or later.
      const next = await proposedPlacement(t, coordinator(), { applicationId: students[1].application.id, hostFamilyId: family.id });
      expect(next.status).toBe('proposed');
    });

    it('never lets an accepted placement lapse, however old its proposal', async () => {
      const [proposed] = (await t.api.get('/placements', { token: familySession.token, query: { limit: 100 } })).body.items.filter((p: { status: string }) => p.status === 'proposed');
      await placementTransition(t, familySession, proposed.id, 'accept');
      await ageProposal(proposed.id, PROPOSAL_DAYS * 10);
      expect(await lapses.runLapses()).toEqual({ ran: true, lapsed: 0 });
      expect((await placementOf(proposed.id)).status).toBe('accepted');
    });

    it('takes its delay and period from validated settings (14 days, hourly by default)', () => {
      const base = { DATA_DIR: t.settings.dataDir, JWT_SECRET: t.settings.jwtSecret };
      expect(loadSettings(base).placements).toEqual({ proposalDays: 14, lapseIntervalSeconds: 3600 });
      expect(loadSettings({ ...base, PLACEMENT_PROPOSAL_DAYS: '3', PLACEMENT_LAPSE_INTERVAL_SECONDS: '0' }).placements).toEqual({ proposalDays: 3, lapseIntervalSeconds: 0 });
      for (const [name, value] of [
        ['PLACEMENT_PROPOSAL_DAYS', '0'],
        ['PLACEMENT_PROPOSAL_DAYS', 'forever'],
        ['PLACEMENT_LAPSE_INTERVAL_SECONDS', '-1'],
      ]) {
        expect(() => loadSettings({ ...base, [name]: value })).toThrow(new RegExp(name));
      }
      expect(t.settings.placements.proposalDays).toBe(PROPOSAL_DAYS);
    });

    it('runs the lapse job once per period across instances, and a proposal lapses once however many runs race', async () => {
      const second = await vettedFamily(t, coordinator(), { capacity: 1 });
      const proposal = await proposedPlacement(t, coordinator(), { applicationId: students[2].application.id, hostFamilyId: second.id });
      await ageProposal(proposal.id, PROPOSAL_DAYS + 1);
      const now = new Date(Date.now() + 400 * DAY); // a period no other test has claimed
      const runs = await Promise.all([lapses.runScheduled(3600, now), lapses.runScheduled(3600, now)]);
      expect(runs.map((run) => run.ran).sort()).toEqual([false, true]);
      expect(runs.reduce((sum, run) => sum + run.lapsed, 0)).toBe(1);
      // Two direct runs at once: the row lock lets one of them decline it.
      const third = await vettedFamily(t, coordinator(), { capacity: 1 });
      const again = await proposedPlacement(t, coordinator(), { applicationId: students[2].application.id, hostFamilyId: third.id });
      await ageProposal(again.id, PROPOSAL_DAYS + 1);
      const racing = await Promise.all([lapses.runLapses(), lapses.runLapses()]);
      expect(racing.reduce((sum, run) => sum + run.lapsed, 0)).toBe(1);
      const history = (await t.dataSource.query(`SELECT count(*)::int AS n FROM application_history WHERE details->>'placementId' = $1 AND action = 'placement.decline'`, [again.id])) as { n: number }[];
      expect(history).toEqual([{ n: 1 }]);
    });
  });
});
