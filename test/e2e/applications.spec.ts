/**
 * Applications over HTTP: the whole lifecycle as the student, both coordinators and the
 * host school; every forbidden move per role; who sees what (BOLA on every application
 * route, the lists by role); mass assignment; the open-applications limit; the seat race;
 * the language check shown to coordinators; idempotent replays.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import {
  acceptedApplication,
  approvedLearningAgreement,
  arrivedApplication,
  stayBegun,
  confirmedApplication,
  draftApplication,
  newStudents,
  nominatedApplication,
  submittedApplication,
  transition,
  uploadDocument,
  type ProgramRef,
  type Sides,
} from '../harness/applications.js';
import { cast, signedIn, type Session } from '../harness/factories.js';
import { activeAgreement, newPartner, newProgram, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';
import { expectProblem } from '../harness/expect.js';

type Cast = Awaited<ReturnType<typeof cast>>;

const ids = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);
const sorted = (values: string[]) => [...values].sort();

const SEAT_HOLDING = ['accepted', 'confirmed', 'arrived', 'completed'];
const TRANSITIONS = ['submit', 'nominate', 'reject', 'accept', 'waitlist', 'confirm', 'decline', 'withdraw', 'cancel', 'check-in', 'complete'];

const MATCHING_PROFILE = { languages: ['fr', 'ru'], diet: ['vegetarian'], allergies: ['cats'], smoker: false, notes: 'Early riser' };

describe('applications', () => {
  let t: TestApp;
  let c: Cast;
  let home: Partner;
  let other: Partner;
  let outsider: Partner;
  /** home → other: the sending coordinator is home's, the receiving one other's. */
  let sides: Sides;
  /** host_school of the receiving institution (other). */
  let receivingSchool: Session;
  /** host_school of an institution that is party to nothing here. */
  let outsiderSchool: Session;
  let agreementId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    c = await cast(t.dataSource, t.api);
    home = { institutionId: c.home.id, coordinator: c.coordinator };
    other = { institutionId: c.other.id, coordinator: c.otherCoordinator };
    outsider = await newPartner(t);
    sides = { sending: c.coordinator, receiving: c.otherCoordinator };
    [receivingSchool, outsiderSchool] = await Promise.all([
      signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: other.institutionId }),
      signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: outsider.institutionId }),
    ]);
    const agreement = await activeAgreement(t, { partners: [home, other], quotas: quotasBothWays([home.institutionId, other.institutionId], 1000) });
    agreementId = agreement.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A published programme home → other; no documents or learning agreement required unless told. */
  const program = (overrides: Record<string, unknown> = {}): Promise<ProgramRef & Record<string, any>> =>
    publishedProgram(t, c.coordinator, agreementId, home.institutionId, other.institutionId, { seats: 10, requiredDocuments: [], requiresLearningAgreement: false, ...overrides });
  const students = (n: number) => newStudents(t, home.institutionId, n);
  const act = (who: Session, id: string, name: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    t.api.post(`/applications/${id}/${name}`, body, { token: who.token, headers });
  const get = (who: Session, id: string) => t.api.get(`/applications/${id}`, { token: who.token });
  const history = (who: Session, id: string) => t.api.get(`/applications/${id}/history`, { token: who.token });
  const row = async (id: string) =>
    ((await t.dataSource.query('SELECT status, student_id, program_id, sending_institution_id, motivation, language_levels FROM applications WHERE id = $1', [id])) as Record<string, unknown>[])[0];
  const historyCount = async (id: string) => ((await t.dataSource.query('SELECT count(*)::int AS n FROM application_history WHERE application_id = $1', [id])) as { n: number }[])[0].n;
  const seatHolders = async (programId: string) =>
    ((await t.dataSource.query('SELECT count(*)::int AS n FROM applications WHERE program_id = $1 AND status = ANY($2)', [programId, SEAT_HOLDING])) as { n: number }[])[0].n;

  describe('the happy path', () => {
    it('student, sending coordinator, receiving coordinator and host school take an application from draft to completed', async () => {
      const p = await program({ requiredDocuments: ['transcript', 'passport'], requiresLearningAgreement: true, seats: 5 });
      const [student] = await students(1);

      // The student creates a draft; a second one on the same programme is refused.
      const created = await t.api.post('/applications', { programId: p.id, motivation: 'First words' }, { token: student.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        programId: p.id,
        studentId: student.user.id,
        studentName: student.user.fullName,
        sendingInstitutionId: home.institutionId,
        receivingInstitutionId: other.institutionId,
        status: 'draft',
        motivation: 'First words',
        languageLevels: [],
        submittedAt: null,
        arrivedAt: null,
      });
      expect(sorted(created.body.allowedTransitions)).toEqual(['submit', 'withdraw']);
      expect(created.body).not.toHaveProperty('meetsLanguageRequirement');
      const id: string = created.body.id;
      expectProblem(await t.api.post('/applications', { programId: p.id }, { token: student.token }), 409, 'application.already_exists');

      // It edits the draft.
      const fields = { motivation: 'I want to study in Krasnodar', languageLevels: [{ language: 'fr', level: 'B2' }, { language: 'ru', level: 'A2' }], dateOfBirth: '2004-05-06', gender: 'female', matchingProfile: MATCHING_PROFILE };
      const edited = await t.api.patch(`/applications/${id}`, fields, { token: student.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ ...fields, status: 'draft' });
      expect((await get(student, id)).body).toMatchObject(fields);
      // A partial edit keeps the rest.
      expect((await t.api.patch(`/applications/${id}`, { motivation: 'I want to study in Krasnodar!' }, { token: student.token })).body).toMatchObject({
        motivation: 'I want to study in Krasnodar!',
        languageLevels: fields.languageLevels,
        matchingProfile: MATCHING_PROFILE,
      });

      // Submission needs the window open: not yet open, then already closed.
      const [window] = (await t.dataSource.query('SELECT application_opens_at AS "opensAt", application_closes_at AS "closesAt" FROM programs WHERE id = $1', [p.id])) as { opensAt: Date; closesAt: Date }[];
      await t.dataSource.query(`UPDATE programs SET application_opens_at = now() + interval '1 day', application_closes_at = now() + interval '2 days' WHERE id = $1`, [p.id]);
      expectProblem(await act(student, id, 'submit'), 409, 'program.not_open');
      await t.dataSource.query(`UPDATE programs SET application_opens_at = now() - interval '2 days', application_closes_at = now() - interval '1 minute' WHERE id = $1`, [p.id]);
      expectProblem(await act(student, id, 'submit'), 409, 'program.not_open');
      await t.dataSource.query('UPDATE programs SET application_opens_at = $2, application_closes_at = $3 WHERE id = $1', [p.id, window.opensAt, window.closesAt]);

      // It needs the required documents, named in the answer.
      const noDocuments = await act(student, id, 'submit');
      expectProblem(noDocuments, 422, 'application.documents_missing', ['documents']);
      expect(noDocuments.body.errors).toHaveLength(2);
      expect(noDocuments.body.errors.map((e: { message: string }) => e.message).join(' | ')).toEqual(expect.stringMatching(/transcript.*\|.*passport/));
      expect((await uploadDocument(t, student, id, 'transcript')).status).toBe(201);
      const onlyPassport = await act(student, id, 'submit');
      expectProblem(onlyPassport, 422, 'application.documents_missing', ['documents']);
      expect(onlyPassport.body.errors).toEqual([expect.objectContaining({ field: 'documents', message: expect.stringContaining('passport') })]);
      expect((await row(id)).status).toBe('draft');
      expect((await uploadDocument(t, student, id, 'passport')).status).toBe(201);

      // arrivedAt belongs to check-in only: elsewhere it is refused, not ignored.
      expectProblem(await act(student, id, 'submit', { arrivedAt: new Date().toISOString() }), 400, 'validation.failed', ['arrivedAt']);
      const submitted = await act(student, id, 'submit', { comment: 'ready' });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
      expect(sorted(submitted.body.allowedTransitions)).toEqual(['withdraw']);

      // The sending coordinator sees it now, with the language check, and nominates.
      const seenBySending = await get(sides.sending, id);
      expect(seenBySending.status).toBe(200);
      expect(seenBySending.body).toMatchObject({ status: 'submitted', meetsLanguageRequirement: true, motivation: 'I want to study in Krasnodar!' });
      expect(sorted(seenBySending.body.allowedTransitions)).toEqual(['cancel', 'nominate', 'reject']);
      expect((await act(sides.sending, id, 'nominate', { comment: 'strong candidate' })).body).toMatchObject({ status: 'nominated' });

      // The receiving coordinator waitlists, then accepts.
      const seenByReceiving = await get(sides.receiving, id);
      expect(seenByReceiving.status).toBe(200);
      expect(sorted(seenByReceiving.body.allowedTransitions)).toEqual(['accept', 'cancel', 'reject', 'waitlist']);
      expect((await act(sides.receiving, id, 'waitlist', { comment: 'first round full' })).body).toMatchObject({ status: 'waitlisted' });
      expect((await act(sides.receiving, id, 'accept')).body).toMatchObject({ status: 'accepted' });
      expect(await seatHolders(p.id)).toBe(1);

      // The student confirms once the learning agreement is signed by all three.
      expect(sorted((await get(student, id)).body.allowedTransitions)).toEqual(['confirm', 'decline', 'withdraw']);
      expectProblem(await act(student, id, 'confirm'), 409, 'learning_agreement.not_approved');
      const la = { components: [{ code: 'ECO-301', title: 'Public economics', credits: 6, term: 'autumn' }], recognizedComponents: [{ code: 'ECO-3', title: 'Economics', credits: 6, term: 'autumn' }] };
      expect((await t.api.put(`/applications/${id}/learning-agreement`, la, { token: student.token })).status).toBe(200);
      expect((await t.api.post(`/applications/${id}/learning-agreement/sign`, {}, { token: student.token })).body.status).toBe('awaiting_signatures');
      expectProblem(await act(student, id, 'confirm'), 409, 'learning_agreement.not_approved');
      expect((await t.api.post(`/applications/${id}/learning-agreement/sign`, {}, { token: sides.sending.token })).body.status).toBe('awaiting_signatures');
      expectProblem(await act(student, id, 'confirm'), 409, 'learning_agreement.not_approved');
      expect((await t.api.post(`/applications/${id}/learning-agreement/sign`, {}, { token: sides.receiving.token })).body.status).toBe('approved');
      expect((await row(id)).status).toBe('accepted');
      expect((await act(student, id, 'confirm')).body).toMatchObject({ status: 'confirmed' });

      // The host school of the receiving institution checks the student in: within the days of arrival, not in the future.
      expectProblem(await act(receivingSchool, id, 'check-in'), 400, 'validation.failed', ['arrivedAt']);
      await stayBegun(t, p.id);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expectProblem(await act(receivingSchool, id, 'check-in', { arrivedAt: future }), 400, 'validation.failed', ['arrivedAt']);
      expectProblem(await act(receivingSchool, id, 'check-in', { arrivedAt: 'yesterday' }), 400, 'validation.failed', ['arrivedAt']);
      expect((await row(id)).status).toBe('confirmed');
      const arrivedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const arrived = await act(receivingSchool, id, 'check-in', { arrivedAt });
      expect(arrived.status).toBe(200);
      expect(arrived.body).toMatchObject({ status: 'arrived', arrivedAt });

      // The receiving coordinator completes.
      const completed = await act(sides.receiving, id, 'complete', { comment: 'well done' });
      expect(completed.body).toMatchObject({ status: 'completed', allowedTransitions: [] });
      expect(await seatHolders(p.id)).toBe(1);

      // The history lists every step in order.
      const steps = await history(student, id);
      expect(steps.status).toBe(200);
      expect(steps.body.items.map((e: Record<string, unknown>) => ({ action: e.action, from: e.from, to: e.to, actorId: e.actorId, role: e.role, comment: e.comment, reason: e.reason }))).toEqual([
        { action: 'create', from: null, to: 'draft', actorId: student.user.id, role: 'student', comment: null, reason: null },
        { action: 'submit', from: 'draft', to: 'submitted', actorId: student.user.id, role: 'student', comment: 'ready', reason: null },
        { action: 'nominate', from: 'submitted', to: 'nominated', actorId: sides.sending.user.id, role: 'coordinator', comment: 'strong candidate', reason: null },
        { action: 'waitlist', from: 'nominated', to: 'waitlisted', actorId: sides.receiving.user.id, role: 'coordinator', comment: 'first round full', reason: null },
        { action: 'accept', from: 'waitlisted', to: 'accepted', actorId: sides.receiving.user.id, role: 'coordinator', comment: null, reason: null },
        { action: 'confirm', from: 'accepted', to: 'confirmed', actorId: student.user.id, role: 'student', comment: null, reason: null },
        { action: 'check-in', from: 'confirmed', to: 'arrived', actorId: receivingSchool.user.id, role: 'host_school', comment: null, reason: null },
        { action: 'complete', from: 'arrived', to: 'completed', actorId: sides.receiving.user.id, role: 'coordinator', comment: 'well done', reason: null },
      ]);
      const times = steps.body.items.map((e: { at: string }) => Date.parse(e.at));
      expect(times.every((time: number, i: number) => Number.isFinite(time) && (i === 0 || time >= times[i - 1]))).toBe(true);
      expect(steps.body.nextCursor).toBeNull();
      // Both coordinators read the same history; the host school without comments and reasons.
      expect(ids(await history(sides.sending, id))).toEqual(ids(steps));
      expect(ids(await history(sides.receiving, id))).toEqual(ids(steps));
      const schoolHistory = await history(receivingSchool, id);
      expect(ids(schoolHistory)).toEqual(ids(steps));
      expect(schoolHistory.body.items.every((e: { comment: unknown; reason: unknown }) => e.comment === null && e.reason === null)).toBe(true);
    });
  });

  describe('transitions refused', () => {
    it('each role is refused what is never its move (403, whatever the status), and its moves from another status answer 409', async () => {
      const p = await program();
      const [s1, s2, s3, s4, s5, s6] = await students(6);
      const [draft, submitted, nominated, accepted, confirmed, arrived] = await Promise.all([
        draftApplication(t, s1, p),
        submittedApplication(t, s2, p),
        nominatedApplication(t, s3, p, sides),
        acceptedApplication(t, s4, p, sides),
        confirmedApplication(t, s5, p, sides),
        arrivedApplication(t, s6, p, sides),
      ]);
      const reason = { reason: 'because' };
      const cases: [who: Session, role: string, app: { id: string; status: string }, name: string, status: number, code: string][] = [
        // submitted
        [s2, 'student', submitted, 'nominate', 403, 'access.forbidden'],
        [s2, 'student', submitted, 'reject', 403, 'access.forbidden'],
        [s2, 'student', submitted, 'cancel', 403, 'access.forbidden'],
        [sides.receiving, 'receiving coordinator', submitted, 'nominate', 404, 'application.not_found'],
        [sides.receiving, 'receiving coordinator', submitted, 'reject', 404, 'application.not_found'],
        [sides.sending, 'sending coordinator', submitted, 'withdraw', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', submitted, 'submit', 403, 'access.forbidden'],
        // nominated
        [s3, 'student', nominated, 'accept', 403, 'access.forbidden'],
        [s3, 'student', nominated, 'waitlist', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', nominated, 'accept', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', nominated, 'waitlist', 403, 'access.forbidden'],
        // the sending side rejects, from submitted: 409 here
        [sides.sending, 'sending coordinator', nominated, 'reject', 409, 'application.invalid_transition'],
        [receivingSchool, 'receiving host school', nominated, 'accept', 404, 'application.not_found'],
        [sides.receiving, 'receiving coordinator', nominated, 'nominate', 403, 'access.forbidden'],
        // accepted
        [receivingSchool, 'receiving host school', accepted, 'confirm', 403, 'access.forbidden'],
        [receivingSchool, 'receiving host school', accepted, 'decline', 403, 'access.forbidden'],
        [receivingSchool, 'receiving host school', accepted, 'cancel', 403, 'access.forbidden'],
        [receivingSchool, 'receiving host school', accepted, 'withdraw', 403, 'access.forbidden'],
        [receivingSchool, 'receiving host school', accepted, 'accept', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', accepted, 'confirm', 403, 'access.forbidden'],
        [sides.receiving, 'receiving coordinator', accepted, 'confirm', 403, 'access.forbidden'],
        [sides.receiving, 'receiving coordinator', accepted, 'decline', 403, 'access.forbidden'],
        [s4, 'student', accepted, 'accept', 403, 'access.forbidden'],
        [s4, 'student', accepted, 'check-in', 403, 'access.forbidden'],
        // confirmed
        [s5, 'student', confirmed, 'check-in', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', confirmed, 'check-in', 403, 'access.forbidden'],
        [c.hostSchool, 'host school of the sending institution', confirmed, 'check-in', 404, 'application.not_found'],
        [c.hostFamily, 'host family', confirmed, 'check-in', 404, 'application.not_found'],
        [s5, 'student', confirmed, 'confirm', 409, 'application.invalid_transition'],
        // arrived
        [receivingSchool, 'receiving host school', arrived, 'complete', 403, 'access.forbidden'],
        [sides.sending, 'sending coordinator', arrived, 'complete', 403, 'access.forbidden'],
        [s6, 'student', arrived, 'complete', 403, 'access.forbidden'],
        [s6, 'student', arrived, 'withdraw', 409, 'application.invalid_transition'],
        [receivingSchool, 'receiving host school', arrived, 'check-in', 409, 'application.invalid_transition'],
        // draft: not in the table
        [s1, 'student', draft, 'complete', 403, 'access.forbidden'],
        [s1, 'student', draft, 'confirm', 409, 'application.invalid_transition'],
        [s1, 'student', draft, 'decline', 409, 'application.invalid_transition'],
        [c.admin, 'admin', draft, 'nominate', 409, 'application.invalid_transition'],
        [c.admin, 'admin', draft, 'complete', 409, 'application.invalid_transition'],
        [sides.sending, 'sending coordinator', draft, 'nominate', 404, 'application.not_found'],
        // submitted: not in the table
        [s2, 'student', submitted, 'confirm', 409, 'application.invalid_transition'],
        [s2, 'student', submitted, 'submit', 409, 'application.invalid_transition'],
        [c.admin, 'admin', submitted, 'accept', 409, 'application.invalid_transition'],
        [c.admin, 'admin', submitted, 'complete', 409, 'application.invalid_transition'],
      ];
      const before = await Promise.all([draft, submitted, nominated, accepted, confirmed, arrived].map((a) => historyCount(a.id)));
      for (const [who, role, app, name, status, code] of cases) {
        const response = await act(who, app.id, name, reason);
        expect({ role, from: app.status, name, status: response.status, code: response.body?.code }).toEqual({ role, from: app.status, name, status, code });
      }
      // Nothing moved, nothing was written.
      for (const app of [draft, submitted, nominated, accepted, confirmed, arrived]) expect((await row(app.id)).status).toBe(app.status);
      expect(await Promise.all([draft, submitted, nominated, accepted, confirmed, arrived].map((a) => historyCount(a.id)))).toEqual(before);
    });

    it('a final application moves no more', async () => {
      const p = await program();
      const [s1, s2] = await students(2);
      const withdrawn = await draftApplication(t, s1, p);
      await transition(t, s1, withdrawn.id, 'withdraw');
      const rejected = await submittedApplication(t, s2, p);
      await transition(t, sides.sending, rejected.id, 'reject', { reason: 'incomplete file' });
      for (const name of ['submit', 'withdraw']) expectProblem(await act(s1, withdrawn.id, name), 409, 'application.invalid_transition');
      for (const name of ['nominate', 'reject', 'cancel', 'accept']) expectProblem(await act(c.admin, rejected.id, name, { reason: 'x' }), 409, 'application.invalid_transition');
      expectProblem(await act(s2, rejected.id, 'withdraw'), 409, 'application.invalid_transition');
    });

    it('reject and cancel need a reason (400 on reason), kept in the history', async () => {
      const p = await program();
      const [s1, s2, s3] = await students(3);
      const [submitted, nominated, accepted] = await Promise.all([submittedApplication(t, s1, p), nominatedApplication(t, s2, p, sides), acceptedApplication(t, s3, p, sides)]);
      expectProblem(await act(sides.sending, submitted.id, 'reject'), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.sending, submitted.id, 'reject', { reason: '   ' }), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.receiving, nominated.id, 'reject', { comment: 'no' }), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.sending, accepted.id, 'cancel'), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.receiving, accepted.id, 'cancel', { reason: '' }), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.sending, submitted.id, 'reject', { reason: 42 }), 400, 'validation.failed', ['reason']);
      expectProblem(await act(sides.sending, submitted.id, 'reject', { reason: 'x', status: 'nominated' }), 400, 'validation.failed', ['status']);
      expect([(await row(submitted.id)).status, (await row(nominated.id)).status, (await row(accepted.id)).status]).toEqual(['submitted', 'nominated', 'accepted']);

      expect((await act(sides.sending, submitted.id, 'reject', { reason: 'grades too low' })).body.status).toBe('rejected');
      expect((await act(sides.receiving, nominated.id, 'reject', { reason: 'no room in the lab', comment: 'sorry' })).body.status).toBe('rejected');
      expect((await act(sides.sending, accepted.id, 'cancel', { reason: 'visa refused' })).body.status).toBe('cancelled');
      const last = async (who: Session, id: string) => (await history(who, id)).body.items.at(-1);
      expect(await last(s1, submitted.id)).toMatchObject({ action: 'reject', from: 'submitted', to: 'rejected', role: 'coordinator', actorId: sides.sending.user.id, reason: 'grades too low' });
      expect(await last(s2, nominated.id)).toMatchObject({ action: 'reject', from: 'nominated', to: 'rejected', actorId: sides.receiving.user.id, reason: 'no room in the lab', comment: 'sorry' });
      expect(await last(s3, accepted.id)).toMatchObject({ action: 'cancel', from: 'accepted', to: 'cancelled', actorId: sides.sending.user.id, reason: 'visa refused' });
    });

    it('decline, withdraw and cancel free the seat for the next accept', async () => {
      const p = await program({ seats: 1 });
      const [a, b, cc, d] = await students(4);
      const [appA, appB, appC, appD] = await Promise.all([a, b, cc, d].map((s) => nominatedApplication(t, s, p, sides)));

      expect((await act(sides.receiving, appA.id, 'accept')).status).toBe(200);
      expectProblem(await act(sides.receiving, appB.id, 'accept'), 409, 'program.seats_exhausted');
      // A waitlisted application cannot take a seat either.
      expect((await act(sides.receiving, appB.id, 'waitlist')).status).toBe(200);
      expectProblem(await act(sides.receiving, appB.id, 'accept'), 409, 'program.seats_exhausted');
      expect((await row(appB.id)).status).toBe('waitlisted');

      expect((await act(a, appA.id, 'decline')).body.status).toBe('declined');
      expect((await act(sides.receiving, appB.id, 'accept')).status).toBe(200);
      expectProblem(await act(sides.receiving, appC.id, 'accept'), 409, 'program.seats_exhausted');

      expect((await act(b, appB.id, 'confirm')).body.status).toBe('confirmed');
      // A confirmed application still holds its seat.
      expectProblem(await act(sides.receiving, appC.id, 'accept'), 409, 'program.seats_exhausted');
      expect((await act(b, appB.id, 'withdraw')).body.status).toBe('withdrawn');
      expect((await act(sides.receiving, appC.id, 'accept')).status).toBe(200);
      expectProblem(await act(sides.receiving, appD.id, 'accept'), 409, 'program.seats_exhausted');

      expect((await act(sides.receiving, appC.id, 'cancel', { reason: 'funding withdrawn' })).body.status).toBe('cancelled');
      expect((await act(sides.receiving, appD.id, 'accept')).status).toBe(200);
      expect(await seatHolders(p.id)).toBe(1);
    });
  });

  describe('the programme', () => {
    it('is not cancelled while applications are under way in it (its seats would return to the quota)', async () => {
      const p = await program({ seats: 2 });
      const [a] = await students(1);
      const application = await acceptedApplication(t, a, p, sides);
      const cancel = () => t.api.post(`/programs/${p.id}/cancel`, { reason: 'no funding' }, { token: sides.sending.token });
      // A draft, which only its student sees, does not hold the programme back.
      const [drafter] = await students(1);
      const draft = await draftApplication(t, drafter, p);
      expectProblem(await cancel(), 409, 'program.has_live_applications');
      expect((await t.api.get(`/programs/${p.id}`, { token: sides.sending.token })).body.status).toBe('published');
      expect((await act(sides.receiving, application.id, 'cancel', { reason: 'programme ends' })).status).toBe(200);
      expect((await cancel()).body.status).toBe('cancelled');
      // The draft stays the student's, and can no longer be submitted.
      expectProblem(await act(drafter, draft.id, 'submit'), 409, 'program.not_open');
    });

    it('refuses dates of birth out of any sensible range (400, never 500)', async () => {
      const p = await program();
      const [a] = await students(1);
      for (const dateOfBirth of ['0000-03-01', '1850-01-01', '2999-01-01']) {
        expectProblem(await t.api.post('/applications', { programId: p.id, dateOfBirth }, { token: a.token }), 400, 'validation.failed', ['dateOfBirth']);
      }
    });

    it('reads ids written in upper case as the same ids', async () => {
      const p = await program();
      const [a] = await students(1);
      const created = await t.api.post('/applications', { programId: p.id.toUpperCase() }, { token: a.token });
      expect(created.status).toBe(201);
      expect(created.body.programId).toBe(p.id);
      expect((await t.api.get(`/applications/${created.body.id.toUpperCase()}`, { token: a.token })).body.id).toBe(created.body.id);
    });
  });

  describe('visibility', () => {
    it('every application route answers 404 to whoever may not see the application', async () => {
      const p = await program();
      const [s1, s2, s3, s4, anotherStudent] = await students(5);
      const [draft, submitted, nominated, accepted] = await Promise.all([
        draftApplication(t, s1, p, { motivation: 'secret' }),
        submittedApplication(t, s2, p),
        nominatedApplication(t, s3, p, sides),
        acceptedApplication(t, s4, p, sides, { motivation: 'private', languageLevels: [{ language: 'fr', level: 'B2' }], matchingProfile: MATCHING_PROFILE, dateOfBirth: '2003-01-02', gender: 'male' }),
      ]);
      const call = (who: Session, id: string): [string, Promise<ApiResponse>][] => [
        ['GET', t.api.get(`/applications/${id}`, { token: who.token })],
        ['PATCH', t.api.patch(`/applications/${id}`, { motivation: 'hijacked' }, { token: who.token })],
        ['history', t.api.get(`/applications/${id}/history`, { token: who.token })],
        ...TRANSITIONS.map((name): [string, Promise<ApiResponse>] => [name, act(who, id, name, { reason: 'x' })]),
      ];
      const hidden: [who: Session, label: string, apps: { id: string; status: string }[]][] = [
        [anotherStudent, 'another student', [draft, submitted, nominated, accepted]],
        [c.otherStudent, 'a student of another institution', [draft, submitted, nominated, accepted]],
        [outsider.coordinator, "another institution's coordinator", [draft, submitted, nominated, accepted]],
        [c.hostSchool, 'host school of the sending institution', [draft, submitted, nominated, accepted]],
        [outsiderSchool, 'host school of another institution', [draft, submitted, nominated, accepted]],
        [c.hostFamily, 'host family', [draft, submitted, nominated, accepted]],
        [sides.sending, 'sending coordinator before submission', [draft]],
        [sides.receiving, 'receiving coordinator before nomination', [draft, submitted]],
        [receivingSchool, 'receiving host school before acceptance', [draft, submitted, nominated]],
      ];
      for (const [who, label, apps] of hidden) {
        const answers = await Promise.all(
          apps.flatMap((app) => call(who, app.id).map(async ([route, response]) => ({ label, from: app.status, route, status: (await response).status, code: (await response).body?.code }))),
        );
        for (const answer of answers) expect(answer).toEqual({ ...answer, status: 404, code: 'application.not_found' });
      }
      // Nothing changed.
      for (const app of [draft, submitted, nominated, accepted]) expect((await row(app.id)).status).toBe(app.status);
      expect((await row(draft.id)).motivation).toBe('secret');
      expect((await row(accepted.id)).motivation).toBe('private');

      // Unknown and malformed ids.
      expectProblem(await get(s1, randomUUID()), 404, 'application.not_found');
      expectProblem(await history(s1, randomUUID()), 404, 'application.not_found');
      expectProblem(await act(s1, randomUUID(), 'submit'), 404, 'application.not_found');
      expectProblem(await get(s1, 'not-a-uuid'), 400, 'validation.failed', ['id']);

      // Whoever may see it does.
      expect((await get(s1, draft.id)).status).toBe(200);
      expect((await get(sides.sending, submitted.id)).status).toBe(200);
      expect((await get(sides.receiving, nominated.id)).status).toBe(200);
      expect((await get(c.admin, draft.id)).status).toBe(200);

      // The receiving host school from acceptance on: identity and dates, not what the student wrote.
      const bySchool = await get(receivingSchool, accepted.id);
      expect(bySchool.status).toBe(200);
      expect(bySchool.body).toMatchObject({ id: accepted.id, studentId: s4.user.id, studentName: s4.user.fullName, status: 'accepted', dateOfBirth: '2003-01-02', allowedTransitions: [] });
      for (const field of ['motivation', 'languageLevels', 'matchingProfile', 'gender', 'meetsLanguageRequirement']) expect(bySchool.body).not.toHaveProperty(field);
      expect(bySchool.text).not.toContain('private');
      expect((await history(receivingSchool, accepted.id)).status).toBe(200);
      // It may look but not edit.
      expectProblem(await t.api.patch(`/applications/${accepted.id}`, { motivation: 'x' }, { token: receivingSchool.token }), 403, 'access.forbidden');
    });

    it('lists by role: own for students, outgoing from submission and incoming from nomination for coordinators, filters, keyset pages', async () => {
      const p = await program({ seats: 20 });
      const elsewhere = await program();
      const [s1, s2, s3, s4, s5, ...more] = await students(12);
      const [draft, submitted, nominated, accepted, withdrawn] = await Promise.all([
        draftApplication(t, s1, p),
        submittedApplication(t, s2, p),
        nominatedApplication(t, s3, p, sides),
        acceptedApplication(t, s4, p, sides),
        submittedApplication(t, s5, p).then((a) => transition(t, s5, a.id, 'withdraw')),
      ]);
      const ownElsewhere = await draftApplication(t, s1, elsewhere);
      const list = (who: Session, query: Record<string, string | number> = {}) => t.api.get('/applications', { token: who.token, query: { limit: 100, ...query } });
      const listIds = async (who: Session, query: Record<string, string | number> = {}) => {
        const response = await list(who, query);
        expect(response.status).toBe(200);
        return sorted(ids(response));
      };

      // Students: their own only.
      const own = await list(s1);
      expect(own.status).toBe(200);
      expect(sorted(ids(own))).toEqual(sorted([draft.id, ownElsewhere.id]));
      expect(await listIds(s1, { programId: p.id })).toEqual([draft.id]);
      expect(await listIds(s2, { programId: p.id })).toEqual([submitted.id]);

      // Coordinators by direction.
      expect(await listIds(sides.sending, { programId: p.id, direction: 'outgoing' })).toEqual(sorted([submitted.id, nominated.id, accepted.id, withdrawn.id]));
      expect(await listIds(sides.sending, { programId: p.id, direction: 'incoming' })).toEqual([]);
      expect(await listIds(sides.receiving, { programId: p.id, direction: 'incoming' })).toEqual(sorted([nominated.id, accepted.id]));
      expect(await listIds(sides.receiving, { programId: p.id, direction: 'outgoing' })).toEqual([]);
      expect(await listIds(sides.receiving, { programId: p.id })).toEqual(sorted([nominated.id, accepted.id]));
      expect(await listIds(outsider.coordinator, { programId: p.id })).toEqual([]);
      expect(await listIds(c.admin, { programId: p.id })).toEqual(sorted([draft.id, submitted.id, nominated.id, accepted.id, withdrawn.id]));

      // Filters.
      expect(await listIds(sides.sending, { programId: p.id, status: 'nominated' })).toEqual([nominated.id]);
      expect(await listIds(sides.sending, { programId: p.id, status: 'draft' })).toEqual([]);
      expect(await listIds(sides.sending, { programId: p.id, status: 'withdrawn', direction: 'outgoing' })).toEqual([withdrawn.id]);
      expect(await listIds(sides.receiving, { programId: p.id, status: 'submitted' })).toEqual([]);
      expectProblem(await list(sides.sending, { status: 'lost' }), 400, 'validation.failed', ['status']);
      expectProblem(await list(sides.sending, { direction: 'sideways' }), 400, 'validation.failed', ['direction']);
      expectProblem(await list(sides.sending, { programId: 'nope' }), 400, 'validation.failed', ['programId']);

      // Host schools: incoming from acceptance on, without what the student wrote; host families: not at all.
      const bySchool = await list(receivingSchool, { programId: p.id });
      expect(sorted(ids(bySchool))).toEqual([accepted.id]);
      expect(bySchool.body.items[0]).not.toHaveProperty('motivation');
      expect(bySchool.body.items[0]).not.toHaveProperty('matchingProfile');
      expect(await listIds(c.hostSchool, { programId: p.id })).toEqual([]);
      expectProblem(await list(c.hostFamily), 403, 'access.forbidden');

      // Every list item of a side is its own, whatever the programme.
      const all = async (who: Session, query: Record<string, string | number>) => {
        const items: Record<string, any>[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 50; i++) {
          const page = await t.api.get('/applications', { token: who.token, query: { limit: 100, ...query, cursor } });
          expect(page.status).toBe(200);
          items.push(...page.body.items);
          if (!page.body.nextCursor) return items;
          cursor = page.body.nextCursor;
        }
        throw new Error('list did not end');
      };
      const outgoing = await all(sides.sending, { direction: 'outgoing' });
      expect(outgoing.length).toBeGreaterThanOrEqual(4);
      expect(outgoing.filter((a) => a.sendingInstitutionId !== home.institutionId || a.status === 'draft')).toEqual([]);
      const incoming = await all(sides.receiving, { direction: 'incoming' });
      expect(incoming.filter((a) => a.receivingInstitutionId !== other.institutionId || a.status === 'draft' || a.status === 'submitted')).toEqual([]);

      // Keyset pages: more submissions, read two at a time.
      const extra = await Promise.all(more.map((s) => submittedApplication(t, s, p)));
      const expected = sorted([submitted.id, nominated.id, accepted.id, withdrawn.id, ...extra.map((a) => a.id)]);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(sides.sending, { programId: p.id, direction: 'outgoing', limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        cursor = page.body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 20);
      expect(seen).toHaveLength(new Set(seen).size);
      expect(sorted(seen)).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 2));
      // Newest first.
      const firstPage = await list(sides.sending, { programId: p.id, direction: 'outgoing' });
      const created = firstPage.body.items.map((a: { createdAt: string }) => Date.parse(a.createdAt));
      expect(created.every((time: number, i: number) => i === 0 || time <= created[i - 1])).toBe(true);

      // Page size and cursor are checked.
      expectProblem(await list(sides.sending, { limit: 101 }), 400, 'validation.failed', ['limit']);
      expectProblem(await list(sides.sending, { limit: 0 }), 400, 'validation.failed', ['limit']);
      expectProblem(await list(sides.sending, { cursor: 'forged' }), 400, 'validation.failed', ['cursor']);
      const defaultPage = await t.api.get('/applications', { token: sides.sending.token, query: { programId: p.id } });
      expect(defaultPage.body.items.length).toBeLessThanOrEqual(20);
    });
  });

  describe('what a student may write', () => {
    it('PATCH cannot write status, owner, programme or institutions (400 naming the field, nothing changed)', async () => {
      const p = await program();
      const elsewhere = await program();
      const [student, thief] = await students(2);
      const draft = await draftApplication(t, student, p, { motivation: 'original' });
      const before = await row(draft.id);
      const attempts: Record<string, unknown>[] = [
        { status: 'accepted' },
        { studentId: thief.user.id },
        { programId: elsewhere.id },
        { sendingInstitutionId: outsider.institutionId },
        { receivingInstitutionId: outsider.institutionId },
        { id: randomUUID() },
        { submittedAt: new Date().toISOString() },
        { motivation: 'sneaky', status: 'submitted' },
      ];
      for (const body of attempts) {
        const field = Object.keys(body).find((k) => k !== 'motivation')!;
        expectProblem(await t.api.patch(`/applications/${draft.id}`, body, { token: student.token }), 400, 'validation.failed', [field]);
      }
      expect(await row(draft.id)).toEqual(before);
      expect(await historyCount(draft.id)).toBe(1);

      // Malformed values are named too.
      expectProblem(await t.api.patch(`/applications/${draft.id}`, { languageLevels: [{ language: 'fr', level: 'Z9' }] }, { token: student.token }), 400, 'validation.failed', ['languageLevels[0].level']);
      expectProblem(await t.api.patch(`/applications/${draft.id}`, { dateOfBirth: '2004-02-30' }, { token: student.token }), 400, 'validation.failed', ['dateOfBirth']);
      expectProblem(await t.api.patch(`/applications/${draft.id}`, { matchingProfile: { ...MATCHING_PROFILE, pets: true } }, { token: student.token }), 400, 'validation.failed', ['matchingProfile.pets']);
      expect(await row(draft.id)).toEqual(before);

      // Once submitted it is no longer editable; coordinators never edit it.
      expect((await act(student, draft.id, 'submit')).status).toBe(200);
      expectProblem(await t.api.patch(`/applications/${draft.id}`, { motivation: 'too late' }, { token: student.token }), 409, 'application.not_editable');
      expectProblem(await t.api.patch(`/applications/${draft.id}`, { motivation: 'by the office' }, { token: sides.sending.token }), 403, 'access.forbidden');
      expect((await row(draft.id)).motivation).toBe('original');
    });

    it('POST /applications: students only, to a published programme of their home institution, without owner or status', async () => {
      const p = await program();
      const draftProgram = await newProgram(t, c.coordinator, agreementId, home.institutionId, other.institutionId, { requiredDocuments: [] });
      const inbound = await publishedProgram(t, c.otherCoordinator, agreementId, other.institutionId, home.institutionId, { requiredDocuments: [] });
      const closed = await program();
      await t.dataSource.query(`UPDATE programs SET application_opens_at = now() - interval '2 days', application_closes_at = now() - interval '1 minute' WHERE id = $1`, [closed.id]);
      const [student] = await students(1);

      for (const who of [c.coordinator, c.otherCoordinator, c.admin, c.hostSchool, receivingSchool]) {
        expectProblem(await t.api.post('/applications', { programId: p.id }, { token: who.token }), 403, 'access.forbidden');
      }
      expectProblem(await t.api.post('/applications', { programId: p.id }, { token: c.hostFamily.token }), 403, 'access.forbidden');
      for (const programId of [inbound.id, draftProgram.id, closed.id, randomUUID()]) {
        expectProblem(await t.api.post('/applications', { programId }, { token: student.token }), 400, 'validation.failed', ['programId']);
      }
      expectProblem(await t.api.post('/applications', { programId: p.id }, { token: c.otherStudent.token }), 400, 'validation.failed', ['programId']);
      expectProblem(await t.api.post('/applications', {}, { token: student.token }), 400, 'validation.failed', ['programId']);
      expectProblem(await t.api.post('/applications', { programId: p.id, status: 'accepted' }, { token: student.token }), 400, 'validation.failed', ['status']);
      expectProblem(await t.api.post('/applications', { programId: p.id, studentId: c.student.user.id }, { token: student.token }), 400, 'validation.failed', ['studentId']);
      expectProblem(await t.api.post('/applications', { programId: p.id, receivingInstitutionId: home.institutionId }, { token: student.token }), 400, 'validation.failed', ['receivingInstitutionId']);
      const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM applications WHERE student_id = ANY($1)', [[student.user.id, c.otherStudent.user.id, c.coordinator.user.id]])) as { n: number }[];
      expect(n).toBe(0);
      // Parallel creations for one programme: one application, the others 409.
      const parallel = await Promise.all(Array.from({ length: 5 }, () => t.api.post('/applications', { programId: p.id }, { token: student.token })));
      expect(parallel.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const refused of parallel.filter((r) => r.status === 409)) expect(refused.body.code).toBe('application.already_exists');
      // A creation replayed under its Idempotency-Key answers the first creation again.
      const [other2] = await students(1);
      const key = { 'Idempotency-Key': randomUUID() };
      const first = await t.api.post('/applications', { programId: p.id }, { token: other2.token, headers: key });
      const again = await t.api.post('/applications', { programId: p.id }, { token: other2.token, headers: key });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      const [{ mine }] = (await t.dataSource.query('SELECT count(*)::int AS mine FROM applications WHERE student_id = $1', [other2.user.id])) as { mine: number }[];
      expect(mine).toBe(1);
    });

    it('at most 5 open applications per student; a final one frees a place', async () => {
      const programs = await Promise.all(Array.from({ length: 8 }, () => program({ seats: 1 })));
      const [student, racer] = await students(2);
      const drafts = [];
      for (const p of programs.slice(0, 5)) drafts.push(await draftApplication(t, student, p));
      expectProblem(await t.api.post('/applications', { programId: programs[5].id }, { token: student.token }), 409, 'application.too_many_open');

      expect((await act(student, drafts[0].id, 'withdraw')).body.status).toBe('withdrawn');
      expect((await t.api.post('/applications', { programId: programs[5].id }, { token: student.token })).status).toBe(201);
      expectProblem(await t.api.post('/applications', { programId: programs[6].id }, { token: student.token }), 409, 'application.too_many_open');
      // The withdrawn one still counts as one per programme.
      expectProblem(await t.api.post('/applications', { programId: programs[0].id }, { token: student.token }), 409, 'application.too_many_open');

      // Parallel creations keep the limit.
      const answers = await Promise.all(programs.map((p) => t.api.post('/applications', { programId: p.id }, { token: racer.token })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.code).toBe('application.too_many_open');
    });
  });

  it('seat race: 30 parallel accepts on 3 seats give exactly 3 successes and 27 × 409 program.seats_exhausted', async () => {
    const p = await program({ seats: 3 });
    const racers = await students(30);
    const nominated = await Promise.all(racers.map((s) => nominatedApplication(t, s, p, sides)));
    const answers = await Promise.all(nominated.map((a) => act(sides.receiving, a.id, 'accept')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'program.seats_exhausted')).toHaveLength(27);
    expect(await seatHolders(p.id)).toBe(3);
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM application_history h JOIN applications a ON a.id = h.application_id WHERE a.program_id = $1 AND h.action = 'accept'`, [p.id])) as { n: number }[];
    expect(n).toBe(3);
    const [{ nominatedLeft }] = (await t.dataSource.query(`SELECT count(*)::int AS "nominatedLeft" FROM applications WHERE program_id = $1 AND status = 'nominated'`, [p.id])) as { nominatedLeft: number }[];
    expect(nominatedLeft).toBe(27);
  });

  it("a programme's seats cannot be cut below the seats its applications hold", async () => {
    const p = await program({ seats: 3 });
    const [a, b] = await students(2);
    const [appA] = await Promise.all([acceptedApplication(t, a, p, sides), acceptedApplication(t, b, p, sides)]);
    expectProblem(await t.api.patch(`/programs/${p.id}`, { seats: 1 }, { token: c.coordinator.token }), 400, 'validation.failed', ['seats']);
    expect((await t.api.get(`/programs/${p.id}`, { token: c.coordinator.token })).body.seats).toBe(3);
    expect((await t.api.patch(`/programs/${p.id}`, { seats: 2 }, { token: c.coordinator.token })).status).toBe(200);
    expect(await seatHolders(p.id)).toBe(2);
    // Once a seat is freed, the programme may shrink to what is held.
    expect((await act(a, appA.id, 'decline')).status).toBe(200);
    expect((await t.api.patch(`/programs/${p.id}`, { seats: 1 }, { token: c.coordinator.token })).status).toBe(200);
  });

  it('meetsLanguageRequirement: shown to coordinators, compared with the programme requirement, null without one', async () => {
    const p = await program({ languageRequirement: { language: 'fr', minLevel: 'B1' }, seats: 20 });
    const none = await program({ languageRequirement: undefined });
    const cases: [levels: { language: string; level: string }[], expected: boolean][] = [
      [[{ language: 'fr', level: 'B2' }], true],
      [[{ language: 'fr', level: 'B1' }], true],
      [[{ language: 'fr', level: 'native' }], true],
      [[{ language: 'en', level: 'C2' }, { language: 'fr', level: 'C1' }], true],
      [[{ language: 'fr', level: 'A2' }], false],
      [[{ language: 'de', level: 'C2' }, { language: 'en', level: 'native' }], false],
      [[], false],
    ];
    const group = await students(cases.length + 1);
    const apps = await Promise.all(cases.map(([languageLevels], i) => nominatedApplication(t, group[i], p, sides, { languageLevels })));
    const noRequirement = await submittedApplication(t, group[cases.length], none, { languageLevels: [{ language: 'fr', level: 'A1' }] });

    for (const [i, [levels, expected]] of cases.entries()) {
      for (const coordinator of [sides.sending, sides.receiving, c.admin]) {
        const seen = await get(coordinator, apps[i].id);
        expect({ levels, meets: seen.body.meetsLanguageRequirement }).toEqual({ levels, meets: expected });
      }
      const own = await get(group[i], apps[i].id);
      expect(own.body.languageLevels).toEqual(levels);
      expect(own.body).not.toHaveProperty('meetsLanguageRequirement');
    }
    const listed = await t.api.get('/applications', { token: sides.receiving.token, query: { programId: p.id, limit: 100 } });
    expect(Object.fromEntries(listed.body.items.map((a: { id: string; meetsLanguageRequirement: boolean }) => [a.id, a.meetsLanguageRequirement]))).toEqual(
      Object.fromEntries(apps.map((a, i) => [a.id, cases[i][1]])),
    );
    expect((await get(sides.sending, noRequirement.id)).body.meetsLanguageRequirement).toBeNull();
    expect((await get(group[cases.length], noRequirement.id)).body).not.toHaveProperty('meetsLanguageRequirement');
  });

  it('Idempotency-Key: a replayed transition answers the same and writes one history entry; another body with the key is 422', async () => {
    const p = await program();
    const [student] = await students(1);
    const app = await submittedApplication(t, student, p);
    const key = { 'Idempotency-Key': `nominate-${randomUUID()}` };

    const first = await act(sides.sending, app.id, 'nominate', { comment: 'go' }, key);
    expect(first.status).toBe(200);
    const replay = await act(sides.sending, app.id, 'nominate', { comment: 'go' }, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    const replays = await Promise.all(Array.from({ length: 5 }, () => act(sides.sending, app.id, 'nominate', { comment: 'go' }, key)));
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const nominations = (await history(student, app.id)).body.items.filter((e: { action: string }) => e.action === 'nominate');
    expect(nominations).toHaveLength(1);

    // Sent many times at once under one key: it runs once; the others replay it or are told it is still running.
    const [racer] = await students(1);
    const raced = await submittedApplication(t, racer, p);
    const raceKey = { 'Idempotency-Key': `race-${randomUUID()}` };
    const burst = await Promise.all(Array.from({ length: 8 }, () => act(sides.sending, raced.id, 'nominate', {}, raceKey)));
    for (const answer of burst) {
      expect({ status: answer.status, code: answer.body?.code }).toEqual(answer.status === 200 ? { status: 200, code: undefined } : { status: 409, code: 'idempotency.in_progress' });
    }
    expect(burst.some((answer) => answer.status === 200)).toBe(true);
    expect((await history(racer, raced.id)).body.items.filter((e: { action: string }) => e.action === 'nominate')).toHaveLength(1);

    expectProblem(await act(sides.sending, app.id, 'nominate', { comment: 'changed' }, key), 422, 'idempotency.key_reused');
    expectProblem(await act(sides.sending, app.id, 'reject', { comment: 'go' }, key), 422, 'idempotency.key_reused');
    // Without the key, the same request is a new one, and no longer possible.
    expectProblem(await act(sides.sending, app.id, 'nominate', { comment: 'go' }), 409, 'application.invalid_transition');

    // A refused request is not kept: fixed and retried under the same key, it runs.
    const rejectKey = { 'Idempotency-Key': `reject-${randomUUID()}` };
    expectProblem(await act(sides.receiving, app.id, 'reject', {}, rejectKey), 400, 'validation.failed', ['reason']);
    expectProblem(await act(sides.receiving, app.id, 'reject', {}, rejectKey), 400, 'validation.failed', ['reason']);
    expect((await act(sides.receiving, app.id, 'waitlist', {}, { 'Idempotency-Key': `waitlist-${randomUUID()}` })).status).toBe(200);
    expect(await historyCount(app.id)).toBe(4); // create, submit, nominate, waitlist
  });

  it('admins act for both sides', async () => {
    const p = await program({ requiresLearningAgreement: true });
    const [student] = await students(1);
    const app = await submittedApplication(t, student, p);
    expect((await act(c.admin, app.id, 'nominate')).body.status).toBe('nominated');
    expect((await act(c.admin, app.id, 'accept')).body.status).toBe('accepted');
    await approvedLearningAgreement(t, student, app.id, sides);
    expect((await act(student, app.id, 'confirm')).body.status).toBe('confirmed');
    await stayBegun(t, p.id);
    expect((await act(c.admin, app.id, 'check-in')).body).toMatchObject({ status: 'arrived', arrivedAt: expect.any(String) });
    expect((await act(c.admin, app.id, 'complete')).body.status).toBe('completed');
    expect((await history(c.admin, app.id)).body.items.map((e: { role: string }) => e.role)).toEqual(['student', 'student', 'admin', 'admin', 'student', 'admin', 'admin']);
  });
});
