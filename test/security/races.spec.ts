/**
 * Races on every capacity (OWASP: race conditions on limited resources, time of check to
 * time of use). Each case fires tens of requests at once over real HTTP and asserts the
 * exact outcome: how many answers of each status and code, and the rows left in the
 * database. The capacities: a programme's seats (also while they are cut), a family's
 * beds on each day (also while they are cut), an agreement's quota per direction
 * (trilateral), a refresh token's single use, an Idempotency-Key's single run, a draft's
 * single submission; and the races between two lifecycles: accept against withdraw, two
 * coordinators placing one student, a student's erasure against an acceptance or a
 * placement, a family's erasure against its placements. Where the order of two requests
 * decides, the outcome must be one of the allowed ones, whole. At the end the audit chain
 * still verifies and no answer of the whole file was a 5xx or a bare `request.conflict`
 * (a collision the locks should have prevented).
 *
 * The state a race needs is made through the API where that is what is being tested, and
 * written straight to the database where it is only the starting line (students, and
 * applications already nominated or accepted).
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { draftApplication, newStudents } from '../harness/applications.js';
import { signedIn, type Session } from '../harness/factories.js';
import { profile, vettedFamily } from '../harness/host-families.js';
import { activeAgreement, newPartner, programBody, publishedProgram, quota, quotasBothWays, YEAR, type Partner } from '../harness/partnerships.js';

type Status = 'nominated' | 'waitlisted' | 'accepted';
interface Program {
  id: string;
  sendingInstitutionId: string;
  receivingInstitutionId: string;
}

/** The statuses at which an application holds a seat (SPEC section 4). */
const SEAT_HOLDING = ['accepted', 'confirmed', 'arrived', 'completed'];
/** What an erasure writes in the history of the applications it withdraws. */
const ERASURE_COMMENT = 'The student erased their personal data.';

/** An answer as the tallies count it: the status, and the problem's code for an error. */
const outcome = (response: ApiResponse): string => (response.status < 400 ? String(response.status) : `${response.status} ${response.body?.code ?? '?'}`);

function tally(responses: ApiResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) counts[outcome(response)] = (counts[outcome(response)] ?? 0) + 1;
  return counts;
}

describe('races on every capacity', () => {
  let t: TestApp;
  let admin: Session;
  let sending: Partner;
  let receiving: Partner;
  /** A second coordinator of the receiving institution: two people at one desk. */
  let colleague: Session;
  let agreementId: string;
  /** Every answer of every race, for the checks at the end. */
  const answers: ApiResponse[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000', REMINDER_INTERVAL_SECONDS: '0', RETENTION_INTERVAL_SECONDS: '0' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    [sending, receiving] = await Promise.all([newPartner(t), newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' })]);
    colleague = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: receiving.institutionId });
    agreementId = (await activeAgreement(t, { partners: [sending, receiving], quotas: quotasBothWays([sending.institutionId, receiving.institutionId], 200) })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Fires every request at once (each call starts its fetch in this tick) and keeps the answers. */
  async function race(calls: (() => Promise<ApiResponse>)[]): Promise<ApiResponse[]> {
    const responses = await Promise.all(calls.map((call) => call()));
    answers.push(...responses);
    return responses;
  }

  const query = <T = Record<string, any>>(sql: string, parameters: unknown[] = []) => t.dataSource.query(sql, parameters) as Promise<T[]>;
  const count = async (sql: string, parameters: unknown[] = []) => (await query<{ n: number }>(sql, parameters))[0].n;

  /** A published programme from the sending to the receiving partner: no documents or learning agreement required, homestay. */
  const program = (seats: number, overrides: Record<string, unknown> = {}): Promise<Program> =>
    publishedProgram(t, sending.coordinator, agreementId, sending.institutionId, receiving.institutionId, {
      seats,
      requiredDocuments: [],
      requiresLearningAgreement: false,
      accommodation: 'host_family',
      languageRequirement: { language: 'ru', minLevel: 'A2' },
      ...overrides,
    });

  /** Students of the sending institution who never sign in (their applications are only raced for by staff). */
  async function studentRows(n: number): Promise<string[]> {
    const rows = await query<{ id: string }>(
      `INSERT INTO users (email, full_name, role, institution_id)
       SELECT 'racer.' || gen_random_uuid() || '@test.example', 'Racer ' || i, 'student', $1 FROM generate_series(1, $2::int) i RETURNING id`,
      [sending.institutionId, n],
    );
    return rows.map((row) => row.id);
  }

  /** Applications of these students already at `status`, written straight to the database; their ids in the students' order. */
  async function applicationRows(p: Program, studentIds: string[], status: Status): Promise<string[]> {
    const rows = await query<{ id: string; studentId: string }>(
      `INSERT INTO applications (program_id, student_id, sending_institution_id, receiving_institution_id, status, submitted_at, nominated_at, accepted_at, motivation, date_of_birth, matching_profile)
       SELECT $1, s.id, $2, $3, $4::application_status, now(), now(), CASE WHEN $4 = 'accepted' THEN now() END, 'Motivation of ' || s.id, '2000-05-01', $5::jsonb
         FROM unnest($6::uuid[]) AS s(id)
       RETURNING id, student_id AS "studentId"`,
      [p.id, p.sendingInstitutionId, p.receivingInstitutionId, status, JSON.stringify(profile()), studentIds],
    );
    const byStudent = new Map(rows.map((row) => [row.studentId, row.id]));
    return studentIds.map((id) => byStudent.get(id)!);
  }

  const historyOf = (applicationId: string) =>
    query<{ action: string; from: string | null; to: string; comment: string | null }>(
      'SELECT action, from_status AS "from", to_status AS "to", comment FROM application_history WHERE application_id = $1 ORDER BY seq',
      [applicationId],
    );
  const auditCount = (action: string, targetIds: string[]) => count('SELECT count(*)::int AS n FROM audit.audit_log WHERE action = $1 AND target_id = ANY($2::uuid[])', [action, targetIds]);
  const seatHolders = (programId: string) => count('SELECT count(*)::int AS n FROM applications WHERE program_id = $1 AND status = ANY($2)', [programId, SEAT_HOLDING]);
  const post = (who: Session, path: string, body: unknown = {}, headers: Record<string, string> = {}) => () => t.api.post(path, body, { token: who.token, headers });
  /**
   * The same call a few milliseconds into the race. Requests that all start at once tend to
   * end in one order (the accepts queue on their programme's lock, the others do not):
   * staggering some lets a case meet both orders over its runs. Its assertions hold for any.
   */
  const later = (ms: number, call: () => Promise<ApiResponse>) => () => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(call);

  it('seats: 40 accepts from three desks on two programmes of 4 and 1 seats give exactly 5 × 200 and 35 × 409 program.seats_exhausted', async () => {
    const [four, one] = await Promise.all([program(4), program(1)]);
    const candidates = new Map<string, { programId: string; from: Status }>();
    for (const p of [four, one]) {
      const students = await studentRows(20);
      const nominated = await applicationRows(p, students.slice(0, 14), 'nominated');
      const waitlisted = await applicationRows(p, students.slice(14), 'waitlisted');
      for (const id of nominated) candidates.set(id, { programId: p.id, from: 'nominated' });
      for (const id of waitlisted) candidates.set(id, { programId: p.id, from: 'waitlisted' });
    }
    const ids = [...candidates.keys()];
    const desks = [receiving.coordinator, colleague, admin];

    const responses = await race(ids.map((id, i) => post(desks[i % desks.length], `/applications/${id}/accept`)));

    expect(tally(responses)).toEqual({ 200: 5, '409 program.seats_exhausted': 35 });
    const winners = ids.filter((_, i) => responses[i].status === 200);
    expect(winners.filter((id) => candidates.get(id)!.programId === four.id)).toHaveLength(4);
    expect(winners.filter((id) => candidates.get(id)!.programId === one.id)).toHaveLength(1);
    for (const [i, id] of ids.entries()) if (responses[i].status === 200) expect(responses[i].body).toMatchObject({ id, status: 'accepted' });
    expect([await seatHolders(four.id), await seatHolders(one.id)]).toEqual([4, 1]);
    // Each winner moved once, from where it stood; the losers did not move and wrote nothing.
    for (const id of ids) {
      const won = winners.includes(id);
      expect(await historyOf(id)).toEqual(won ? [{ action: 'accept', from: candidates.get(id)!.from, to: 'accepted', comment: null }] : []);
      const [{ status }] = await query('SELECT status FROM applications WHERE id = $1', [id]);
      expect(status).toBe(won ? 'accepted' : candidates.get(id)!.from);
    }
    expect(await auditCount('application.accept', ids)).toBe(5);
  });

  it('seats cut while taken: 30 accepts on 5 seats racing a cut to 2 end either cut (200) with 2 accepted, or refused (400 on seats) with 5; never more held than offered', async () => {
    const p = await program(5);
    const applications = await applicationRows(p, await studentRows(30), 'nominated');
    const cut = () => t.api.patch(`/programs/${p.id}`, { seats: 2 }, { token: sending.coordinator.token });
    const calls = applications.map((id, i) => post(i % 2 ? colleague : receiving.coordinator, `/applications/${id}/accept`));
    calls.splice(10, 0, cut);

    const responses = await race(calls);
    const [edit] = responses.splice(10, 1);

    const [{ seats }] = await query('SELECT seats FROM programs WHERE id = $1', [p.id]);
    if (edit.status === 200) {
      expect({ seats, accepts: tally(responses) }).toEqual({ seats: 2, accepts: { 200: 2, '409 program.seats_exhausted': 28 } });
    } else {
      expect({ edit: outcome(edit), fields: edit.body.errors.map((e: { field: string }) => e.field), seats, accepts: tally(responses) }).toEqual({
        edit: '400 validation.failed',
        fields: ['seats'],
        seats: 5,
        accepts: { 200: 5, '409 program.seats_exhausted': 25 },
      });
    }
    expect(await seatHolders(p.id)).toBe(seats);
  });

  it('beds: 30 proposals into a family of 2 beds, half for the autumn and half for the winter, give exactly 2 per half (4 × 201) and 26 × 409 placement.capacity_exceeded', async () => {
    const p = await program(30);
    const family = await vettedFamily(t, receiving.coordinator, { capacity: 2 });
    const applications = await applicationRows(p, await studentRows(30), 'accepted');
    const autumn = { startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-11-15` };
    const winter = { startsOn: `${YEAR}-11-16`, endsOn: `${YEAR + 1}-01-31` };
    const stayOf = (i: number) => (i % 2 ? winter : autumn);

    const responses = await race(applications.map((applicationId, i) => post(i % 3 ? receiving.coordinator : colleague, '/placements', { applicationId, hostFamilyId: family.id, ...stayOf(i) })));

    expect(tally(responses)).toEqual({ 201: 4, '409 placement.capacity_exceeded': 26 });
    const placed = responses.flatMap((r, i) => (r.status === 201 ? [{ i, body: r.body }] : []));
    expect(placed.filter(({ i }) => stayOf(i) === autumn)).toHaveLength(2);
    expect(placed.filter(({ i }) => stayOf(i) === winter)).toHaveLength(2);
    for (const { i, body } of placed) expect(body).toMatchObject({ applicationId: applications[i], hostFamilyId: family.id, status: 'proposed', ...stayOf(i) });
    // On no day of the year more than its beds.
    const [{ peak }] = await query(
      `SELECT max(n)::int AS peak FROM (
         SELECT d, count(p.id) AS n FROM generate_series($2::date, $3::date, interval '1 day') d
           JOIN placements p ON p.host_family_id = $1 AND p.status IN ('proposed', 'accepted') AND d BETWEEN p.starts_on AND p.ends_on
          GROUP BY d) days`,
      [family.id, autumn.startsOn, winter.endsOn],
    );
    expect(peak).toBe(2);
    expect(await count('SELECT count(*)::int AS n FROM placements WHERE host_family_id = $1', [family.id])).toBe(4);
    expect(await count("SELECT count(*)::int AS n FROM application_history WHERE application_id = ANY($1::uuid[]) AND action = 'placement.propose'", [applications])).toBe(4);
  });

  it('beds cut while taken: 20 proposals into a family of 3 beds racing a cut to 1 end either cut (200) with 1 placement, or refused (409 host_family.capacity_in_use) with 3', async () => {
    const p = await program(20);
    const family = await vettedFamily(t, receiving.coordinator, { capacity: 3 });
    const applications = await applicationRows(p, await studentRows(20), 'accepted');
    const cut = () => t.api.patch(`/host-families/${family.id}`, { capacity: 1 }, { token: colleague.token });
    const calls = applications.map((applicationId) => post(receiving.coordinator, '/placements', { applicationId, hostFamilyId: family.id }));
    calls.splice(5, 0, cut);

    const responses = await race(calls);
    const [edit] = responses.splice(5, 1);

    const [{ capacity }] = await query('SELECT capacity FROM host_families WHERE id = $1', [family.id]);
    const placed = await count("SELECT count(*)::int AS n FROM placements WHERE host_family_id = $1 AND status = 'proposed'", [family.id]);
    expect({ edit: outcome(edit), capacity, placed, proposals: tally(responses) }).toEqual(
      edit.status === 200
        ? { edit: '200', capacity: 1, placed: 1, proposals: { 201: 1, '409 placement.capacity_exceeded': 19 } }
        : { edit: '409 host_family.capacity_in_use', capacity: 3, placed: 3, proposals: { 201: 3, '409 placement.capacity_exceeded': 17 } },
    );
  });

  it('quotas: 42 programme creations over the six directions of a trilateral agreement give out exactly each direction’s quota (10 × 201, 32 × 409 agreement.quota_exceeded)', async () => {
    const third = await newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' });
    const [a, b, c] = [sending, receiving, third];
    // C → B has no quota at all: it opens nothing, like C → A's zero.
    const quotas: [Partner, Partner, number | null][] = [
      [a, b, 3],
      [b, a, 1],
      [a, c, 2],
      [c, a, 0],
      [b, c, 4],
      [c, b, null],
    ];
    const trilateral = await activeAgreement(t, {
      partners: [a, b, c],
      quotas: quotas.filter(([, , seats]) => seats !== null).map(([from, to, seats]) => quota(from.institutionId, to.institutionId, seats!)),
    });
    const attempts = quotas.flatMap(([from, to]) => Array.from({ length: 7 }, (_, i) => ({ from, to, by: i % 2 ? to.coordinator : from.coordinator })));

    const responses = await race(
      attempts.map(({ from, to, by }, i) => post(by, '/programs', programBody(trilateral.id, from.institutionId, to.institutionId, { seats: 1, title: `Race ${i}` }))),
    );

    expect(tally(responses)).toEqual({ 201: 10, '409 agreement.quota_exceeded': 32 });
    for (const [from, to, seats] of quotas) {
      const [{ offered, programs }] = await query(
        'SELECT coalesce(sum(seats), 0)::int AS offered, count(*)::int AS programs FROM programs WHERE agreement_id = $1 AND sending_institution_id = $2 AND receiving_institution_id = $3',
        [trilateral.id, from.institutionId, to.institutionId],
      );
      expect({ from: from.institutionId, to: to.institutionId, offered, programs }).toEqual({ from: from.institutionId, to: to.institutionId, offered: seats ?? 0, programs: seats ?? 0 });
    }
  });

  it('refresh: one refresh token presented 30 times at once rotates once (200); the first reuse revokes the session (401 auth.refresh_token_reused), the other 28 find it revoked (401 auth.invalid_refresh_token)', async () => {
    const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: sending.institutionId });
    const [{ familyId }] = await query('SELECT family_id AS "familyId" FROM refresh_tokens WHERE user_id = $1', [session.user.id]);

    const responses = await race(Array.from({ length: 30 }, () => () => t.api.post('/auth/refresh', { refreshToken: session.refreshToken })));

    expect(tally(responses)).toEqual({ 200: 1, '401 auth.refresh_token_reused': 1, '401 auth.invalid_refresh_token': 28 });
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), user: { id: session.user.id } });
    // The whole session is gone, the token the winner was given included: two tokens, the first spent, both revoked.
    const tokens = await query('SELECT used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at', [familyId]);
    expect(tokens).toEqual([
      { used: true, revoked: true },
      { used: false, revoked: true },
    ]);
    expect(await count('SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1', [session.user.id])).toBe(2);
    expect(outcome(await t.api.post('/auth/refresh', { refreshToken: winner.body.refreshToken }))).toBe('401 auth.invalid_refresh_token');
    expect(await auditCount('auth.refresh_reused', [session.user.id])).toBe(1);
  });

  it('idempotency: 30 POST /applications under one key (20 of one body, 10 of another) run once: one 201, its replays or 409 idempotency.in_progress, the other body 422 idempotency.key_reused; one row', async () => {
    const [first, second] = await Promise.all([program(5), program(5)]);
    const [student] = await newStudents(t, sending.institutionId, 1);
    const key = { 'Idempotency-Key': `apply-${randomUUID()}` };
    const bodies = Array.from({ length: 30 }, (_, i) => ({ programId: i % 3 === 2 ? second.id : first.id }));

    const responses = await race(bodies.map((body) => post(student, '/applications', body, key)));

    const fresh = responses.filter((r) => r.status === 201 && r.headers.get('idempotency-replayed') !== 'true');
    expect(fresh).toHaveLength(1);
    const ownerProgramId = fresh[0].body.programId as string;
    const sameBody = responses.filter((_, i) => bodies[i].programId === ownerProgramId);
    const otherBody = responses.filter((_, i) => bodies[i].programId !== ownerProgramId);
    expect(otherBody).toHaveLength(ownerProgramId === first.id ? 10 : 20);
    expect(tally(otherBody)).toEqual({ '422 idempotency.key_reused': otherBody.length });
    for (const replay of sameBody.filter((r) => r !== fresh[0])) {
      if (replay.status === 201) {
        expect(replay.headers.get('idempotency-replayed')).toBe('true');
        expect(replay.body).toEqual(fresh[0].body);
      } else expect(outcome(replay)).toBe('409 idempotency.in_progress');
    }

    const rows = await query('SELECT id, program_id AS "programId", status FROM applications WHERE student_id = $1', [student.user.id]);
    expect(rows).toEqual([{ id: fresh[0].body.id, programId: ownerProgramId, status: 'draft' }]);
    expect((await historyOf(fresh[0].body.id)).map((h) => h.action)).toEqual(['create']);
    expect(await auditCount('application.create', [fresh[0].body.id])).toBe(1);
    expect(await query('SELECT status_code AS "statusCode", completed_at IS NOT NULL AS completed FROM idempotency_records WHERE key = $1', [key['Idempotency-Key']])).toEqual([
      { statusCode: 201, completed: true },
    ]);
    // Once the first has finished, the key replays it.
    const later = await t.api.post('/applications', { programId: ownerProgramId }, { token: student.token, headers: key });
    expect({ status: later.status, replayed: later.headers.get('idempotency-replayed'), body: later.body }).toEqual({ status: 201, replayed: 'true', body: fresh[0].body });
  });

  it('double submit: three drafts submitted 10 times each at once, with edits racing the submissions: 3 × 200, 27 × 409 application.invalid_transition; no edit lands after its submission', async () => {
    const p = await program(5);
    const students = await newStudents(t, sending.institutionId, 3);
    const drafts: string[] = [];
    for (const student of students) drafts.push((await draftApplication(t, student, p.id, { motivation: 'first words' })).id);
    const calls = students.flatMap((student, s) => [
      ...Array.from({ length: 10 }, () => post(student, `/applications/${drafts[s]}/submit`)),
      ...Array.from({ length: 4 }, (_, e) => () => t.api.patch(`/applications/${drafts[s]}`, { motivation: `edit ${e}` }, { token: student.token })),
    ]);
    const responses = await race(calls);

    const submits = responses.filter((_, i) => i % 14 < 10);
    const edits = responses.filter((_, i) => i % 14 >= 10);
    expect(tally(submits)).toEqual({ 200: 3, '409 application.invalid_transition': 27 });
    for (const edit of edits) expect(['200', '409 application.not_editable']).toContain(outcome(edit));
    for (const [s, id] of drafts.entries()) {
      expect((await historyOf(id)).map((h) => h.action)).toEqual(['create', 'submit']);
      const mine = edits.slice(s * 4, s * 4 + 4);
      // The audit log is in commit order: every edit that answered 200 committed before the submission, none after.
      const entries = await query<{ action: string }>("SELECT action FROM audit.audit_log WHERE target_id = $1 AND action IN ('application.edit', 'application.submit') ORDER BY seq", [id]);
      const landed = mine.filter((r) => r.status === 200).length;
      expect(entries.map((e) => e.action)).toEqual([...Array(landed).fill('application.edit'), 'application.submit']);
      const [{ status, motivation }] = await query('SELECT status, motivation FROM applications WHERE id = $1', [id]);
      expect(status).toBe('submitted');
      expect(landed ? mine.filter((r) => r.status === 200).map((r) => r.body.motivation) : ['first words']).toContain(motivation);
    }
  });

  it('accept against withdraw: 16 applications accepted and withdrawn at once on 4 seats; every withdrawal wins in the end, each accept answers as its turn found it, and the seats never ran over', async () => {
    const p = await program(4);
    const students = await newStudents(t, sending.institutionId, 16);
    const applications = await applicationRows(
      p,
      students.map((s) => s.user.id),
      'nominated',
    );
    const responses = await race(
      applications.flatMap((id, i) => [post(i % 2 ? colleague : receiving.coordinator, `/applications/${id}/accept`), later(i * 10, post(students[i], `/applications/${id}/withdraw`))]),
    );
    const accepts = responses.filter((_, i) => i % 2 === 0);
    const withdrawals = responses.filter((_, i) => i % 2 === 1);

    expect(tally(withdrawals)).toEqual({ 200: 16 });
    for (const answer of accepts) expect(['200', '409 application.invalid_transition', '409 program.seats_exhausted']).toContain(outcome(answer));
    for (const [i, id] of applications.entries()) {
      const history = await historyOf(id);
      // Accepted first (then withdrawn from accepted, the seat freed), or withdrawn first (the accept then found it withdrawn), or refused for want of a seat.
      if (accepts[i].status === 200) {
        expect(history).toEqual([
          { action: 'accept', from: 'nominated', to: 'accepted', comment: null },
          { action: 'withdraw', from: 'accepted', to: 'withdrawn', comment: null },
        ]);
      } else {
        expect(history).toEqual([{ action: 'withdraw', from: 'nominated', to: 'withdrawn', comment: null }]);
      }
      expect(withdrawals[i].body).toMatchObject({ id, status: 'withdrawn' });
    }
    expect(await count("SELECT count(*)::int AS n FROM applications WHERE program_id = $1 AND status = 'withdrawn'", [p.id])).toBe(16);
    expect(await seatHolders(p.id)).toBe(0);
    // Replayed in commit order (the audit log's), the seats held never exceeded 4.
    const entries = await query<{ action: string; from: string }>(
      "SELECT action, from_status AS from FROM audit.audit_log WHERE target_id = ANY($1::uuid[]) AND action IN ('application.accept', 'application.withdraw') ORDER BY seq",
      [applications],
    );
    let held = 0;
    let peak = 0;
    for (const entry of entries) {
      held += entry.action === 'application.accept' ? 1 : entry.from === 'accepted' ? -1 : 0;
      peak = Math.max(peak, held);
    }
    expect({ held, peakAtMostSeats: peak <= 4, accepts: entries.filter((e) => e.action === 'application.accept').length }).toEqual({
      held: 0,
      peakAtMostSeats: true,
      accepts: accepts.filter((a) => a.status === 200).length,
    });
  });

  it('two coordinators and an admin placing the same 10 students in three families at once: exactly one placement each (10 × 201), 20 × 409 placement.already_placed', async () => {
    const p = await program(10);
    const families: { id: string }[] = [];
    for (let i = 0; i < 3; i += 1) families.push(await vettedFamily(t, receiving.coordinator, { capacity: 10 }));
    const applications = await applicationRows(p, await studentRows(10), 'accepted');
    const desks = [receiving.coordinator, colleague, admin];

    const responses = await race(applications.flatMap((applicationId) => desks.map((desk, d) => post(desk, '/placements', { applicationId, hostFamilyId: families[d].id }))));

    expect(tally(responses)).toEqual({ 201: 10, '409 placement.already_placed': 20 });
    for (const [i, applicationId] of applications.entries()) {
      const mine = responses.slice(i * 3, i * 3 + 3);
      expect(tally(mine)).toEqual({ 201: 1, '409 placement.already_placed': 2 });
      const won = mine.findIndex((r) => r.status === 201);
      expect(await query('SELECT host_family_id AS "hostFamilyId", status FROM placements WHERE application_id = $1', [applicationId])).toEqual([{ hostFamilyId: families[won].id, status: 'proposed' }]);
      expect((await historyOf(applicationId)).map((h) => h.action)).toEqual(['placement.propose']);
    }
    expect(await count('SELECT count(*)::int AS n FROM placements WHERE host_family_id = ANY($1::uuid[])', [families.map((f) => f.id)])).toBe(10);
    expect(await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'placement.propose' AND details->>'applicationId' = ANY($1)", [applications])).toBe(10);
  });

  it('erase during acceptance: 12 students erase themselves while their nomination is accepted, 6 while they are placed; each erasure is whole or refused with 409 privacy.mobility_in_progress, never half-done', async () => {
    const p = await program(20);
    const family = await vettedFamily(t, receiving.coordinator, { capacity: 10 });
    const [racing, placed] = [await newStudents(t, sending.institutionId, 12), await newStudents(t, sending.institutionId, 6)];
    const nominated = await applicationRows(
      p,
      racing.map((s) => s.user.id),
      'nominated',
    );
    const accepted = await applicationRows(
      p,
      placed.map((s) => s.user.id),
      'accepted',
    );
    const before = new Map((await query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = ANY($1::uuid[])', [[...racing, ...placed].map((s) => s.user.id)])).map((u) => [u.id, u.email]));

    const responses = await race([
      ...nominated.flatMap((id, i) => [post(racing[i], '/me/erase'), post(i % 2 ? colleague : receiving.coordinator, `/applications/${id}/accept`)]),
      ...accepted.flatMap((applicationId, i) => [post(placed[i], '/me/erase'), post(receiving.coordinator, '/placements', { applicationId, hostFamilyId: family.id })]),
    ]);

    const pairs = nominated.map((_, i) => [outcome(responses[2 * i]), outcome(responses[2 * i + 1])].join(' / '));
    for (const pair of pairs) expect(['204 / 409 application.invalid_transition', '409 privacy.mobility_in_progress / 200']).toContain(pair);
    for (const [i, id] of nominated.entries()) {
      const userId = racing[i].user.id;
      const [user] = await query('SELECT email, full_name AS "fullName", password_hash IS NULL AS "noPassword", erased_at IS NOT NULL AS erased FROM users WHERE id = $1', [userId]);
      const [application] = await query('SELECT status, motivation, date_of_birth AS "dateOfBirth", matching_profile AS profile FROM applications WHERE id = $1', [id]);
      const history = await historyOf(id);
      if (responses[2 * i].status === 204) {
        // Erased, whole: the account anonymised, the application withdrawn in the student's name and emptied, never accepted.
        expect(user).toEqual({ email: `erased-${userId}@invalid`, fullName: 'Erased user', noPassword: true, erased: true });
        expect(application).toEqual({ status: 'withdrawn', motivation: '', dateOfBirth: null, profile: null });
        expect(history).toEqual([{ action: 'withdraw', from: 'nominated', to: 'withdrawn', comment: ERASURE_COMMENT }]);
        expect(await auditCount('privacy.erase', [userId])).toBe(1);
      } else {
        // Refused, untouched: the mobility goes on.
        expect(user).toEqual({ email: before.get(userId), fullName: 'Test student', noPassword: false, erased: false });
        expect(application).toMatchObject({ status: 'accepted', motivation: `Motivation of ${userId}` });
        expect(history).toEqual([{ action: 'accept', from: 'nominated', to: 'accepted', comment: null }]);
        expect(await auditCount('privacy.erase', [userId])).toBe(0);
      }
    }
    expect(await seatHolders(p.id)).toBe(6 + pairs.filter((pair) => pair.endsWith('/ 200')).length);

    // An accepted student's erasure is always refused, whatever the placement does; every placement is made.
    const placing = responses.slice(2 * nominated.length);
    expect(tally(placing.filter((_, i) => i % 2 === 0))).toEqual({ '409 privacy.mobility_in_progress': 6 });
    expect(tally(placing.filter((_, i) => i % 2 === 1))).toEqual({ 201: 6 });
    for (const [i, applicationId] of accepted.entries()) {
      expect(await query('SELECT erased_at FROM users WHERE id = $1', [placed[i].user.id])).toEqual([{ erased_at: null }]);
      expect(await query("SELECT status, motivation FROM applications WHERE id = $1", [applicationId])).toEqual([{ status: 'accepted', motivation: `Motivation of ${placed[i].user.id}` }]);
      expect(await count("SELECT count(*)::int AS n FROM placements WHERE application_id = $1 AND status = 'proposed'", [applicationId])).toBe(1);
    }
    // No erased student holds a live mobility or placement.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM users u JOIN applications a ON a.student_id = u.id
          WHERE u.erased_at IS NOT NULL AND (a.status IN ('accepted', 'confirmed', 'arrived') OR EXISTS (SELECT 1 FROM placements p WHERE p.application_id = a.id AND p.status IN ('proposed', 'accepted')))`,
      ),
    ).toBe(0);
  });

  it('a family erased while students are placed with it: 3 families × (1 erasure + 10 proposals) end each either erased (204) with nobody placed, or refused (409) with all 10 placed', async () => {
    const p = await program(30);
    const families: { id: string }[] = [];
    for (let i = 0; i < 3; i += 1) families.push(await vettedFamily(t, receiving.coordinator, { capacity: 10 }));
    const applications = await applicationRows(p, await studentRows(30), 'accepted');

    const responses = await race(
      families.flatMap((family, f) => [
        // The first family's erasure starts ahead of its proposals, the last one's behind them.
        later(f === 2 ? 50 : 0, post(colleague, `/host-families/${family.id}/erase`)),
        ...applications.slice(f * 10, f * 10 + 10).map((applicationId) => later(f === 0 ? 50 : 0, post(receiving.coordinator, '/placements', { applicationId, hostFamilyId: family.id }))),
      ]),
    );

    for (const [f, family] of families.entries()) {
      const [erase, ...proposals] = responses.slice(f * 11, f * 11 + 11);
      const [row] = await query('SELECT status, contact_email AS "contactEmail" FROM host_families WHERE id = $1', [family.id]);
      const placed = await count("SELECT count(*)::int AS n FROM placements WHERE host_family_id = $1 AND status = 'proposed'", [family.id]);
      expect({ erase: outcome(erase), status: row.status, erased: row.contactEmail === `erased-${family.id}@invalid`, placed, proposals: tally(proposals) }).toEqual(
        erase.status === 204
          ? { erase: '204', status: 'suspended', erased: true, placed: 0, proposals: { '409 placement.family_not_vetted': 10 } }
          : { erase: '409 privacy.host_family_has_live_placements', status: 'approved', erased: false, placed: 10, proposals: { 201: 10 } },
      );
    }
  });

  it('after every race: the audit chain verifies, its seq has no gap, and no answer was a 5xx or a bare request.conflict', async () => {
    const verdict = await t.api.get('/audit/verify', { token: admin.token });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ valid: true, firstBroken: null });
    const [{ entries, last }] = await query('SELECT count(*)::int AS entries, max(seq)::int AS last FROM audit.audit_log');
    expect(entries).toBe(last);
    expect(answers.length).toBeGreaterThan(250);
    expect(answers.filter((a) => a.status >= 500 || a.body?.code === 'request.conflict').map(outcome)).toEqual([]);
  });
});
