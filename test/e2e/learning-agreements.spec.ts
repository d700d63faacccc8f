/**
 * Learning agreements over HTTP: components to study and to recognise, the three
 * signatures, a change after a signature as a new version without signatures, the kept
 * versions, the derived status, `confirm` needing it approved, validation, races, and who
 * may see and do what, checked from the attacker's side.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app.js';
import type { Session } from '../harness/factories.js';
import { advance, apply, exchangeProgram, expectProblem, newExchange, newSendingStudent, transition, type Exchange, type Stage } from '../harness/uploads.js';

const component = (code: string, credits = 6, extra: Record<string, unknown> = {}) => ({ code, title: `Course ${code}`, credits, term: 'autumn', ...extra });
const BODY = {
  components: [component('ECO-301', 6), component('LAW-210', 4.5)],
  recognizedComponents: [component('HOME-1', 10.5)],
};

describe('learning agreements', () => {
  let t: TestApp;
  let x: Exchange;
  /** Published, requires a learning agreement, no required documents. */
  let program: { id: string };
  /** Published, no learning agreement. */
  let plain: { id: string };

  const path = (applicationId: string, rest = '') => `/applications/${applicationId}/learning-agreement${rest}`;
  const get = (who: Session, id: string) => t.api.get(path(id), { token: who.token });
  const put = (who: Session, id: string, body: unknown = BODY) => t.api.put(path(id), body, { token: who.token });
  const sign = (who: Session, id: string, body: Record<string, unknown> = {}) => t.api.post(path(id, '/sign'), body, { token: who.token });
  const versions = (who: Session, id: string) => t.api.get(path(id, '/versions'), { token: who.token });
  const coordinator = (side: 'sending' | 'receiving') => x[side].coordinator;

  /** A fresh student (each may hold five open applications) with an application at `stage`. */
  async function applicationAt(stage: Stage, to = program) {
    const owner = await newSendingStudent(t, x);
    const application = await apply(t, owner, to.id);
    await advance(t, x, owner, application.id, stage);
    return { owner, id: application.id };
  }

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    x = await newExchange(t);
    [program, plain] = await Promise.all([
      exchangeProgram(t, x, { requiresLearningAgreement: true, seats: 50 }),
      exchangeProgram(t, x, { requiresLearningAgreement: false, seats: 50 }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is written, signed, versioned on a change after a signature, and approved by the three parties', async () => {
    const { owner, id } = await applicationAt('draft');
    expectProblem(await get(owner, id), 404, 'learning_agreement.not_found');
    expectProblem(await versions(owner, id), 404, 'learning_agreement.not_found');
    expectProblem(await sign(owner, id), 404, 'learning_agreement.not_found');

    const created = await put(owner, id);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      applicationId: id,
      version: 1,
      status: 'draft',
      components: BODY.components,
      recognizedComponents: BODY.recognizedComponents,
      signatures: [],
      supersededAt: null,
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect((await get(owner, id)).body).toEqual(created.body);

    // Changes before any signature stay version 1.
    const edited = await put(owner, id, { ...BODY, components: [...BODY.components, component('ART-100', 3)] });
    expect(edited.body).toMatchObject({ version: 1, status: 'draft', signatures: [] });
    expect(edited.body.components).toHaveLength(3);
    expect((await versions(owner, id)).body.items.map((v: { version: number }) => v.version)).toEqual([1]);

    const signed = await sign(owner, id, { comment: 'agreed' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ version: 1, status: 'awaiting_signatures', signatures: [{ party: 'student', signedBy: owner.user.id, signedAt: expect.stringMatching(/Z$/) }] });

    // The same content (strings padded, keys in another order) is no change: version and signature kept.
    const same = await put(owner, id, {
      recognizedComponents: BODY.recognizedComponents.map((c) => ({ term: c.term, credits: c.credits, title: ` ${c.title} `, code: c.code })),
      components: [...BODY.components, component('ART-100', 3)].map((c) => ({ ...c, code: `${c.code}  ` })),
    });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ version: 1, status: 'awaiting_signatures', signatures: [{ party: 'student' }] });

    // A change after a signature: version 2, signatures cleared, version 1 kept as it stood.
    const changed = await put(owner, id);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, status: 'draft', signatures: [], components: BODY.components, supersededAt: null });
    const listed = await versions(owner, id);
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items).toEqual([
      {
        applicationId: id,
        version: 1,
        status: 'awaiting_signatures',
        components: [...BODY.components, component('ART-100', 3)],
        recognizedComponents: BODY.recognizedComponents,
        signatures: [{ party: 'student', signedBy: owner.user.id, signedAt: signed.body.signatures[0].signedAt }],
        supersededAt: expect.stringMatching(/Z$/),
        updatedAt: expect.any(String),
      },
      changed.body,
    ]);

    // The three signatures of version 2.
    expect((await sign(owner, id)).body).toMatchObject({ version: 2, status: 'awaiting_signatures' });
    expectProblem(await sign(owner, id), 409, 'learning_agreement.already_signed');
    await advance(t, x, owner, id, 'submitted');
    const bySending = await sign(coordinator('sending'), id);
    expect(bySending.status).toBe(200);
    expect(bySending.body).toMatchObject({ status: 'awaiting_signatures' });
    expectProblem(await sign(coordinator('sending'), id), 409, 'learning_agreement.already_signed');
    await transition(t, x, owner, id, 'nominate', 'sending');
    const byReceiving = await sign(coordinator('receiving'), id, { party: 'receiving_coordinator' });
    expect(byReceiving.status).toBe(200);
    expect(byReceiving.body.status).toBe('approved');
    expect(byReceiving.body.signatures.map((s: { party: string; signedBy: string }) => [s.party, s.signedBy])).toEqual([
      ['student', owner.user.id],
      ['sending_coordinator', coordinator('sending').user.id],
      ['receiving_coordinator', coordinator('receiving').user.id],
    ]);
    expectProblem(await sign(coordinator('receiving'), id), 409, 'learning_agreement.already_signed');
    expectProblem(await sign(owner, id), 409, 'learning_agreement.already_signed');

    // A coordinator's change after approval is a new version too: nothing signed any more.
    const reopened = await put(coordinator('receiving'), id, { ...BODY, recognizedComponents: [component('HOME-2', 12)] });
    expect(reopened.body).toMatchObject({ version: 3, status: 'draft', signatures: [] });
    const all = await versions(coordinator('sending'), id);
    expect(all.body.items.map((v: { version: number; status: string; supersededAt: string | null }) => [v.version, v.status, v.supersededAt === null])).toEqual([
      [1, 'awaiting_signatures', false],
      [2, 'approved', false],
      [3, 'draft', true],
    ]);
  });

  it('each signs for its own part: another party is 403; admins must name the party', async () => {
    const { owner, id } = await applicationAt('nominated');
    expect((await put(owner, id)).status).toBe(200);

    expectProblem(await sign(owner, id, { party: 'sending_coordinator' }), 403, 'access.forbidden');
    expectProblem(await sign(coordinator('sending'), id, { party: 'receiving_coordinator' }), 403, 'access.forbidden');
    expectProblem(await sign(coordinator('sending'), id, { party: 'student' }), 403, 'access.forbidden');
    expectProblem(await sign(coordinator('receiving'), id, { party: 'sending_coordinator' }), 403, 'access.forbidden');
    expectProblem(await sign(x.admin, id), 400, 'validation.failed', ['party']);
    expectProblem(await sign(x.admin, id, { party: 'dean' }), 400, 'validation.failed', ['party']);
    expectProblem(await sign(owner, id, { party: 'student', signedBy: x.admin.user.id }), 400, 'validation.failed', ['signedBy']);
    expect((await get(owner, id)).body.signatures).toEqual([]);

    const byOwnName = await sign(coordinator('sending'), id, { party: 'sending_coordinator' });
    expect(byOwnName.status).toBe(200);
    const byAdmin = await sign(x.admin, id, { party: 'receiving_coordinator' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.signatures).toContainEqual({ party: 'receiving_coordinator', signedBy: x.admin.user.id, signedAt: expect.any(String) });
    expectProblem(await sign(x.admin, id, { party: 'sending_coordinator' }), 409, 'learning_agreement.already_signed');
    expect((await sign(owner, id)).body.status).toBe('approved');
  });

  it('only for programmes that require one: 409 learning_agreement.not_required', async () => {
    const { owner, id } = await applicationAt('draft', plain);
    expectProblem(await put(owner, id), 409, 'learning_agreement.not_required');
    expectProblem(await get(owner, id), 404, 'learning_agreement.not_found');
    expectProblem(await sign(owner, id), 404, 'learning_agreement.not_found');
    const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM learning_agreements WHERE application_id = $1', [id])) as { count: number }[];
    expect(count).toBe(0);
  });

  it('validates the components and refuses unknown fields, writing nothing', async () => {
    const { owner, id } = await applicationAt('draft');
    const cases: [unknown, string[]][] = [
      [{ recognizedComponents: [] }, ['components']],
      [{ components: [], recognizedComponents: 'none' }, ['recognizedComponents']],
      [{ components: [{ title: 'x', credits: 6, term: 'autumn' }], recognizedComponents: [] }, ['components[0].code']],
      [{ components: [component('A', -1)], recognizedComponents: [] }, ['components[0].credits']],
      [{ components: [component('A', 61)], recognizedComponents: [] }, ['components[0].credits']],
      [{ components: [component('A', 1.25)], recognizedComponents: [] }, ['components[0].credits']],
      [{ components: [component('A', '6' as unknown as number)], recognizedComponents: [] }, ['components[0].credits']],
      [{ components: [component('A', 6, { title: '   ' })], recognizedComponents: [] }, ['components[0].title']],
      [{ components: [component('A', 6, { code: 'x'.repeat(51) })], recognizedComponents: [] }, ['components[0].code']],
      [{ components: [component('A'), component('B', 6, { grade: 'A+' })], recognizedComponents: [] }, ['components[1].grade']],
      [{ components: [], recognizedComponents: [component('H', 6, { term: 7 })] }, ['recognizedComponents[0].term']],
      [{ components: Array.from({ length: 51 }, (_, i) => component(`C${i}`, 1)), recognizedComponents: [] }, ['components']],
      [{ ...BODY, version: 7, status: 'approved', signatures: [{ party: 'student' }] }, ['version', 'status', 'signatures']],
      [{ ...BODY, applicationId: randomUUID() }, ['applicationId']],
    ];
    for (const [body, fields] of cases) expectProblem(await put(owner, id, body), 400, 'validation.failed', fields);
    expectProblem(await get(owner, id), 404, 'learning_agreement.not_found');

    // Nothing to sign in an empty agreement.
    expect((await put(owner, id, { components: [], recognizedComponents: [] })).status).toBe(200);
    expectProblem(await sign(owner, id), 400, 'validation.failed', ['components']);
    expectProblem(await sign(owner, id, { party: 'student', extra: 1 }), 400, 'validation.failed', ['extra']);
    // Boundaries are fine.
    const edges = await put(owner, id, { components: [component('ZERO', 0), component('MAX', 60)], recognizedComponents: [] });
    expect(edges.status).toBe(200);
    expect(edges.body.components.map((c: { credits: number }) => c.credits)).toEqual([0, 60]);
  });

  it('BOLA: other students, other institutions, host schools and host families get 404 on every route, and change nothing', async () => {
    const { owner, id } = await applicationAt('accepted');
    expect((await put(owner, id)).status).toBe(200);
    expect((await sign(owner, id)).status).toBe(200);
    const before = (await get(owner, id)).body;

    const outsiders = [x.otherStudent, x.foreignStudent, x.outsider.coordinator, x.receivingHostSchool, x.sendingHostSchool, x.outsiderHostSchool, x.receivingHostFamily];
    for (const who of outsiders) {
      for (const response of [await get(who, id), await put(who, id, { ...BODY, components: [] }), await sign(who, id), await versions(who, id)]) {
        expect(response.status).toBe(404);
        expect(['application.not_found', 'learning_agreement.not_found']).toContain(response.body.code);
      }
    }
    // Unknown and malformed ids.
    expectProblem(await get(owner, randomUUID()), 404, 'application.not_found');
    expectProblem(await put(owner, 'nope'), 400, 'validation.failed', ['id']);
    expect((await get(owner, id)).body).toEqual(before);
  });

  it('BOLA: the sending side not before submission, the receiving side not before nomination', async () => {
    const { owner, id } = await applicationAt('draft');
    expect((await put(owner, id)).status).toBe(200);
    const hidden = async (who: Session) => {
      expectProblem(await get(who, id), 404, 'application.not_found');
      expectProblem(await put(who, id, { ...BODY, components: [] }), 404, 'application.not_found');
      expectProblem(await sign(who, id), 404, 'application.not_found');
      expectProblem(await versions(who, id), 404, 'application.not_found');
    };
    await hidden(coordinator('sending'));
    await hidden(coordinator('receiving'));
    await advance(t, x, owner, id, 'submitted');
    expect((await get(coordinator('sending'), id)).status).toBe(200);
    await hidden(coordinator('receiving'));
    await transition(t, x, owner, id, 'nominate', 'sending');
    expect((await get(coordinator('receiving'), id)).status).toBe(200);
    expect((await get(owner, id)).body).toMatchObject({ version: 1, signatures: [] });
  });

  it('confirm needs the agreement approved: 409 learning_agreement.not_approved before, 200 after', async () => {
    const { owner, id } = await applicationAt('accepted');
    const confirm = () => t.api.post(`/applications/${id}/confirm`, {}, { token: owner.token });
    expectProblem(await confirm(), 409, 'learning_agreement.not_approved');
    expect((await put(owner, id)).status).toBe(200);
    expectProblem(await confirm(), 409, 'learning_agreement.not_approved');
    expect((await sign(owner, id)).status).toBe(200);
    expect((await sign(coordinator('sending'), id)).status).toBe(200);
    expectProblem(await confirm(), 409, 'learning_agreement.not_approved');
    expect((await sign(coordinator('receiving'), id)).body.status).toBe('approved');
    expect((await t.api.get(`/applications/${id}`, { token: owner.token })).body.status).toBe('accepted');
    const confirmed = await confirm();
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');

    // Without a learning agreement, confirm does not ask for one.
    const other = await applicationAt('accepted', plain);
    const plainConfirm = await t.api.post(`/applications/${other.id}/confirm`, {}, { token: other.owner.token });
    expect(plainConfirm.status).toBe(200);
  });

  it('a final application keeps its agreement as it is: 409 application.not_editable', async () => {
    const { owner, id } = await applicationAt('draft');
    expect((await put(owner, id)).status).toBe(200);
    await advance(t, x, owner, id, 'withdrawn');
    expectProblem(await put(owner, id, { ...BODY, components: [component('NEW')] }), 409, 'application.not_editable');
    expectProblem(await sign(owner, id), 409, 'application.not_editable');
    expect((await get(owner, id)).body).toMatchObject({ version: 1, components: BODY.components, signatures: [] });
  });

  it('a first write that loses the race to another first write is applied after it, not dropped', async () => {
    const { owner, id } = await applicationAt('draft');
    // Another first write holds the row, uncommitted, while the PUT arrives.
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`INSERT INTO learning_agreements (application_id, components, recognized_components, signatures, updated_by) VALUES ($1, $2, '[]', '[]', $3)`, [
        id,
        JSON.stringify([component('FIRST')]),
        owner.user.id,
      ]);
      const pending = put(owner, id, { components: [component('SECOND')], recognizedComponents: [] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await runner.commitTransaction();
      const response = await pending;
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ version: 1, components: [component('SECOND')] });
    } finally {
      await runner.release();
    }
    expect((await get(owner, id)).body.components).toEqual([component('SECOND')]);
  });

  it('races: parallel signatures of one party give one success, parallel writes never a 5xx', async () => {
    const { owner, id } = await applicationAt('draft');
    const firstWrites = await Promise.all(Array.from({ length: 8 }, (_, i) => put(owner, id, { ...BODY, components: [component(`P${i}`)] })));
    expect(firstWrites.map((r) => r.status)).toEqual(Array(8).fill(200));
    const afterFirst = (await get(owner, id)).body;
    expect(afterFirst.version).toBe(1);
    expect(firstWrites.map((r) => r.body.components[0].code)).toContain(afterFirst.components[0].code);

    const signs = await Promise.all(Array.from({ length: 10 }, () => sign(owner, id)));
    expect(signs.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of signs.filter((r) => r.status !== 200)) expectProblem(r, 409, 'learning_agreement.already_signed');

    // Parallel changes after the signature: one new version, the signed one archived once.
    const changes = await Promise.all(Array.from({ length: 6 }, (_, i) => put(owner, id, { ...BODY, components: [component(`Q${i}`)] })));
    expect(changes.map((r) => r.status)).toEqual(Array(6).fill(200));
    const listed = await versions(owner, id);
    expect(listed.body.items.map((v: { version: number; signatures: unknown[] }) => [v.version, v.signatures.length])).toEqual([
      [1, 1],
      [2, 0],
    ]);
  });
});
