/**
 * The audit log over HTTP: `GET /audit` for admins with its filters and keyset pages and
 * its refusal of bad parameters; coordinators reading only their institution's entries,
 * never a client address; every other caller refused. And what gets recorded as it
 * happens: sign-ins that succeed and fail (never the password), a document downloaded,
 * a request refused (404 outside the caller's scope, 403 for a forbidden action) without
 * changing anything else.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { PASSWORD, login, newUser, type Session } from '../harness/factories.js';
import { advance, apply, download, exchangeProgram, expectProblem, newExchange, newSendingStudent, pdfWith, upload, type Exchange } from '../harness/uploads.js';
import { familyBody } from '../harness/host-families.js';

interface Entry {
  id: string;
  seq: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  institutionIds: string[];
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  details: Record<string, unknown> | null;
  requestId: string | null;
  clientAddress?: string | null;
  prevHash: string;
  hash: string;
}

const actions = (response: ApiResponse) => (response.body.items as Entry[]).map((entry) => entry.action);
const plusMs = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

describe('audit log (HTTP)', () => {
  let t: TestApp;
  let x: Exchange;
  let program: { id: string };
  let student: Session;
  /** student's application sending → receiving, nominated, with one document */
  let application: { id: string };
  let documentId: string;

  const list = (who: Session | undefined, query: Record<string, string | number | undefined> = {}) => t.api.get('/audit', { token: who?.token, query });

  /** Every page of a listing followed through nextCursor. */
  async function allPages(who: Session, query: Record<string, string | number | undefined>): Promise<{ items: Entry[]; pages: number }> {
    const items: Entry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await list(who, { ...query, cursor });
      expect(response.status).toBe(200);
      items.push(...response.body.items);
      cursor = response.body.nextCursor ?? undefined;
      pages += 1;
      if (pages > 500) throw new Error('the pages never end');
    } while (cursor);
    return { items, pages };
  }

  const rowsCount = async () => ((await t.dataSource.query('SELECT count(*)::int AS n FROM audit.audit_log')) as { n: number }[])[0].n;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    x = await newExchange(t);
    program = await exchangeProgram(t, x, { seats: 10 });
    student = await newSendingStudent(t, x);
    application = await apply(t, student, program.id);
    const uploaded = await upload(t, student.token, application.id, 'passport', 'passport.pdf', pdfWith('passport'));
    expect(uploaded.status).toBe(201);
    documentId = uploaded.body.id;
    await advance(t, x, student, application.id, 'nominated');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /audit as admin', () => {
    it('lists entries newest first, each with its chain fields and the client address', async () => {
      const response = await list(x.admin, { limit: 100 });
      expect(response.status).toBe(200);
      const items = response.body.items as Entry[];
      expect(items.length).toBeGreaterThan(5);
      const seqs = items.map((entry) => Number(entry.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      for (const entry of items) {
        expect(Object.keys(entry).sort()).toEqual(
          ['id', 'seq', 'at', 'actorId', 'actorRole', 'action', 'targetType', 'targetId', 'institutionIds', 'fromStatus', 'toStatus', 'comment', 'commentErased', 'details', 'requestId', 'clientAddress', 'prevHash', 'hash'].sort(),
        );
        expect(entry).toMatchObject({
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          action: expect.stringMatching(/^[a-z_]+\.[a-z_-]+$/),
          institutionIds: expect.any(Array),
          prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      }
      const submit = items.find((entry) => entry.action === 'application.submit' && entry.targetId === application.id);
      expect(submit).toMatchObject({ actorId: student.user.id, actorRole: 'student', fromStatus: 'draft', toStatus: 'submitted', clientAddress: '127.0.0.1' });
    });

    it('filters by actor', async () => {
      const { items } = await allPages(x.admin, { actorId: student.user.id, limit: 100 });
      expect(items.every((entry) => entry.actorId === student.user.id)).toBe(true);
      expect(items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['auth.login', 'application.create', 'document.upload', 'application.submit']));
      expect(items.map((entry) => entry.action)).not.toContain('application.nominate');
      // an actor who did nothing
      expect((await list(x.admin, { actorId: randomUUID() })).body).toEqual({ items: [], nextCursor: null });
    });

    it('filters by target: the application’s whole story, newest first', async () => {
      const response = await list(x.admin, { targetId: application.id });
      expect(response.status).toBe(200);
      expect(actions(response)).toEqual(['application.nominate', 'application.submit', 'application.create']);
      expect(response.body.items[0]).toMatchObject({ actorId: x.sending.coordinator.user.id, actorRole: 'coordinator', fromStatus: 'submitted', toStatus: 'nominated' });
      expect([...response.body.items[0].institutionIds].sort()).toEqual([x.sending.institutionId, x.receiving.institutionId].sort());
    });

    it('filters by an exact action, or by every action of a resource', async () => {
      const exact = await allPages(x.admin, { action: 'application.submit', limit: 100 });
      expect(exact.items.length).toBeGreaterThanOrEqual(1);
      expect(new Set(exact.items.map((entry) => entry.action))).toEqual(new Set(['application.submit']));
      expect(exact.items.map((entry) => entry.targetId)).toContain(application.id);

      const resource = await allPages(x.admin, { action: 'application', limit: 100 });
      expect(resource.items.every((entry) => entry.action.startsWith('application.'))).toBe(true);
      expect(resource.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['application.create', 'application.submit', 'application.nominate']));
      expect(resource.items.map((entry) => entry.action)).not.toContain('document.upload');

      // a resource is a whole word: `app` is not `application`, nor `program` `programs`
      expect((await list(x.admin, { action: 'app' })).body.items).toEqual([]);
      expect((await list(x.admin, { action: 'application.sub' })).body.items).toEqual([]);
      // another resource
      const documents = await allPages(x.admin, { action: 'document', limit: 100 });
      expect(documents.items.map((entry) => entry.targetId)).toContain(documentId);
      expect(documents.items.every((entry) => entry.action.startsWith('document.'))).toBe(true);
    });

    it('filters by instants: from included, to excluded', async () => {
      const [submit] = (await list(x.admin, { targetId: application.id, action: 'application.submit' })).body.items as Entry[];
      const around = await list(x.admin, { targetId: application.id, from: submit.at, to: plusMs(submit.at, 1) });
      expect(around.body.items.map((entry: Entry) => entry.id)).toEqual([submit.id]);
      expect((await list(x.admin, { targetId: application.id, from: plusMs(submit.at, 1), to: plusMs(submit.at, 60_000) })).body.items.map((e: Entry) => e.action)).not.toContain('application.submit');
      expect((await list(x.admin, { targetId: application.id, to: submit.at })).body.items.map((e: Entry) => e.action)).toEqual(['application.create']);
      // an instant with an offset is the same instant
      const shifted = new Date(submit.at).getTime() + 3 * 3_600_000;
      const offset = `${new Date(shifted).toISOString().slice(0, 23)}+03:00`;
      expect((await list(x.admin, { targetId: application.id, from: offset, to: plusMs(submit.at, 1) })).body.items.map((e: Entry) => e.id)).toEqual([submit.id]);
      // without a target: every entry in the window
      const from = plusMs(submit.at, -1000);
      const to = plusMs(submit.at, 1000);
      const window = await allPages(x.admin, { from, to, limit: 100 });
      expect(window.items.map((entry) => entry.id)).toContain(submit.id);
      for (const entry of window.items) {
        expect(new Date(entry.at).getTime()).toBeGreaterThanOrEqual(new Date(from).getTime());
        expect(new Date(entry.at).getTime()).toBeLessThan(new Date(to).getTime());
      }
    });

    it('pages by keyset: limit 2, nextCursor followed to the end, no entry twice, none missed, newest first', async () => {
      const whole = (await list(x.admin, { limit: 100 })).body as { items: Entry[]; nextCursor: string | null };
      const first = await list(x.admin, { limit: 2 });
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const paged = await allPages(x.admin, { limit: 2 });
      const total = await rowsCount();
      expect(paged.items).toHaveLength(total);
      expect(paged.pages).toBe(Math.ceil(total / 2));
      expect(new Set(paged.items.map((entry) => entry.id)).size).toBe(total);
      expect(paged.items.map((entry) => entry.seq)).toEqual(Array.from({ length: total }, (_, i) => String(total - i)));
      if (!whole.nextCursor) expect(paged.items).toEqual(whole.items);

      // a filtered listing pages the same way
      const story = await allPages(x.admin, { targetId: application.id, limit: 2 });
      expect(story.items.map((entry) => entry.action)).toEqual(['application.nominate', 'application.submit', 'application.create']);
      expect(story.pages).toBe(2);
    });

    it('refuses bad parameters with 400 problem+json naming the field', async () => {
      const forgedCursors = [
        Buffer.from(JSON.stringify(['not-a-number'])).toString('base64url'),
        Buffer.from(JSON.stringify(['1', '2'])).toString('base64url'),
        'not a cursor at all',
        Buffer.from('{"seq":1}').toString('base64url'),
      ];
      const cases: [Record<string, string | number>, string][] = [
        [{ actorId: 'not-a-uuid' }, 'actorId'],
        [{ targetId: '12345' }, 'targetId'],
        [{ from: 'yesterday' }, 'from'],
        [{ to: '2027-02-30T10:00:00Z' }, 'to'],
        [{ from: '2027-01-01' }, 'from'],
        [{ limit: 101 }, 'limit'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ action: 'application.accept; DROP TABLE audit.audit_log' }, 'action'],
        [{ action: '%' }, 'action'],
        ...forgedCursors.map((cursor): [Record<string, string>, string] => [{ cursor }, 'cursor']),
      ];
      for (const [query, field] of cases) {
        const response = await list(x.admin, query);
        expectProblem(response, 400, 'validation.failed', [field]);
      }
    });
  });

  describe('who may read it', () => {
    it('coordinators of both sides see the application’s entries from when they see the application, without client addresses; a third institution’s do not', async () => {
      // The draft is the student's alone; the sending side sees it from its submission, the receiving side from its nomination.
      for (const [side, expected] of [
        [x.sending, ['application.nominate', 'application.submit']],
        [x.receiving, ['application.nominate']],
      ] as const) {
        const response = await list(side.coordinator, { targetId: application.id });
        expect(response.status).toBe(200);
        expect(actions(response)).toEqual(expected);
        for (const entry of response.body.items) expect(entry).not.toHaveProperty('clientAddress');
      }
      expect((await list(x.outsider.coordinator, { targetId: application.id })).body).toEqual({ items: [], nextCursor: null });
      expect((await list(x.outsider.coordinator, { action: 'document' })).body.items.map((e: Entry) => e.targetId)).not.toContain(documentId);
    });

    it('a coordinator’s whole listing holds only entries of its institution’s objects', async () => {
      for (const who of [x.sending, x.receiving, x.outsider]) {
        const { items } = await allPages(who.coordinator, { limit: 100 });
        for (const entry of items) {
          expect({ id: entry.id, mine: entry.institutionIds.includes(who.institutionId) }).toEqual({ id: entry.id, mine: true });
          expect(entry).not.toHaveProperty('clientAddress');
        }
      }
      // the admin sees entries of no institution (sign-ins, refusals) that no coordinator does
      const everything = await allPages(x.admin, { limit: 100 });
      expect(everything.items.some((entry) => entry.institutionIds.length === 0)).toBe(true);
    });

    it('a coordinator’s filters cannot reach past its institution', async () => {
      // the student's own sign-in is no institution's object
      const logins = await list(x.sending.coordinator, { actorId: student.user.id, action: 'auth' });
      expect(logins.body.items).toEqual([]);
      expect((await list(x.outsider.coordinator, { actorId: student.user.id })).body.items).toEqual([]);
    });

    it('students, host schools and host families are refused with 403, anonymous callers with 401, and the check of the chain is the admin’s alone', async () => {
      for (const who of [student, x.receivingHostSchool, x.receivingHostFamily, x.foreignStudent]) {
        expectProblem(await list(who), 403, 'access.forbidden');
        expectProblem(await list(who, { targetId: application.id }), 403, 'access.forbidden');
        expectProblem(await t.api.get('/audit/verify', { token: who.token }), 403, 'access.forbidden');
      }
      expectProblem(await t.api.get('/audit'), 401);
      expectProblem(await t.api.get('/audit/verify'), 401);
      expectProblem(await t.api.get('/audit', { token: 'not.a.token' }), 401);
      for (const who of [x.sending.coordinator, x.receiving.coordinator, x.outsider.coordinator]) {
        expectProblem(await t.api.get('/audit/verify', { token: who.token }), 403, 'access.forbidden');
      }
      // and those refusals are on the record
      const denied = await list(x.admin, { actorId: x.receivingHostFamily.user.id, action: 'access.denied' });
      expect(denied.body.items.length).toBeGreaterThanOrEqual(3);
      expect(denied.body.items[0]).toMatchObject({ actorRole: 'host_family', details: expect.objectContaining({ method: 'GET', status: 403 }) });
      expect(denied.body.items.map((entry: Entry) => entry.details?.path)).toEqual(expect.arrayContaining(['/api/v1/audit', '/api/v1/audit/verify']));

      const verify = await t.api.get('/audit/verify', { token: x.admin.token });
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ valid: true, firstBroken: null });
    });
  });

  describe('what is recorded', () => {
    it('a sign-in: the user as actor; a failed one: the account tried, no actor; the password in no column', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId: x.sending.institutionId });
      const session = await login(t.api, user);
      const entries = (await list(x.admin, { actorId: user.id })).body.items as Entry[];
      expect(entries).toEqual([expect.objectContaining({ action: 'auth.login', actorId: user.id, actorRole: 'student', targetType: 'user', targetId: user.id, clientAddress: '127.0.0.1' })]);

      const wrong = `wrong-${randomBytes(12).toString('hex')}`;
      const failed = await t.api.post('/auth/login', { email: user.email, password: wrong });
      expectProblem(failed, 401, 'auth.invalid_credentials');
      const unknownEmail = `nobody-${randomBytes(6).toString('hex')}@test.example`;
      const unknownPassword = `unknown-${randomBytes(12).toString('hex')}`;
      expectProblem(await t.api.post('/auth/login', { email: unknownEmail, password: unknownPassword }), 401, 'auth.invalid_credentials');

      const failures = (await list(x.admin, { action: 'auth.login_failed', limit: 100 })).body.items as Entry[];
      expect(failures.find((entry) => entry.targetId === user.id)).toMatchObject({ actorId: null, actorRole: null, targetType: 'user', clientAddress: '127.0.0.1' });
      expect(failures.find((entry) => entry.targetId === null)).toMatchObject({ action: 'auth.login_failed', actorId: null });

      // neither password (nor the e-mail of no account) in any column of any entry
      for (const secret of [wrong, unknownPassword, PASSWORD, unknownEmail, session.refreshToken, session.token]) {
        const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM audit.audit_log a WHERE strpos(a::text, $1) > 0', [secret]);
        expect({ secret, n }).toEqual({ secret, n: 0 });
      }
      // nor a password hash
      const [{ n: hashes }] = await t.dataSource.query("SELECT count(*)::int AS n FROM audit.audit_log a WHERE a::text LIKE '%$argon2%'");
      expect(hashes).toBe(0);
    });

    it('a document downloaded: who, the document, both sides’ coordinators reading it', async () => {
      const before = (await list(x.admin, { targetId: documentId, action: 'document.download' })).body.items as Entry[];
      const got = await download(t, x.receiving.coordinator.token, documentId);
      expect(got.status).toBe(200);
      const after = (await list(x.admin, { targetId: documentId, action: 'document.download' })).body.items as Entry[];
      expect(after).toHaveLength(before.length + 1);
      expect(after[0]).toMatchObject({
        action: 'document.download',
        actorId: x.receiving.coordinator.user.id,
        actorRole: 'coordinator',
        targetType: 'document',
        targetId: documentId,
        details: expect.objectContaining({ applicationId: application.id }),
      });
      for (const side of [x.sending, x.receiving]) {
        expect((await list(side.coordinator, { targetId: documentId, action: 'document.download' })).body.items.map((e: Entry) => e.id)).toContain(after[0].id);
      }
      expect((await list(x.outsider.coordinator, { targetId: documentId })).body.items).toEqual([]);
    });

    it('another institution’s coordinator reading the application: 404, an access.not_found entry naming it, nothing else changed', async () => {
      const [rowBefore] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [application.id]);
      const countBefore = await rowsCount();
      const response = await t.api.get(`/applications/${application.id}`, { token: x.outsider.coordinator.token });
      expectProblem(response, 404, 'application.not_found');
      expect(await rowsCount()).toBe(countBefore + 1);
      const [entry] = (await list(x.admin, { actorId: x.outsider.coordinator.user.id, action: 'access' })).body.items as Entry[];
      expect(entry).toMatchObject({
        action: 'access.not_found',
        actorRole: 'coordinator',
        targetType: 'application',
        targetId: application.id,
        requestId: response.headers.get('x-request-id'),
        details: expect.objectContaining({ method: 'GET', path: `/api/v1/applications/${application.id}`, status: 404, code: 'application.not_found' }),
      });
      // a refusal is no institution's object: admins read it, coordinators do not
      expect(entry.institutionIds).toEqual([]);
      const [rowAfter] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [application.id]);
      expect(rowAfter).toEqual(rowBefore);
    });

    it('a student accepting its own application: 403, an access.denied entry naming it, the application unchanged and no accept recorded', async () => {
      const [rowBefore] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [application.id]);
      const countBefore = await rowsCount();
      const response = await t.api.post(`/applications/${application.id}/accept`, { comment: 'Accepting myself' }, { token: student.token });
      expectProblem(response, 403, 'access.forbidden');
      expect(await rowsCount()).toBe(countBefore + 1);
      const [entry] = (await list(x.admin, { actorId: student.user.id, action: 'access.denied' })).body.items as Entry[];
      expect(entry).toMatchObject({
        action: 'access.denied',
        actorId: student.user.id,
        actorRole: 'student',
        targetId: application.id,
        fromStatus: null,
        toStatus: null,
        requestId: response.headers.get('x-request-id'),
        details: expect.objectContaining({ method: 'POST', path: `/api/v1/applications/${application.id}/accept`, status: 403 }),
      });
      // the comment sent with a refused request is not kept
      expect(entry.comment).toBeNull();
      const [rowAfter] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [application.id]);
      expect(rowAfter).toEqual(rowBefore);
      expect(actions(await list(x.admin, { targetId: application.id, action: 'application' }))).toEqual(['application.nominate', 'application.submit', 'application.create']);
      const history = await t.api.get(`/applications/${application.id}/history`, { token: x.receiving.coordinator.token });
      expect(history.body.items.map((item: { toStatus: string }) => item.toStatus)).not.toContain('accepted');
    });

    it('after all of it the chain still verifies, ids sent in upper case included (hashed as PostgreSQL stores them)', async () => {
      const family = await t.api.post('/host-families', familyBody({ institutionId: x.receiving.institutionId.toUpperCase() }), { token: x.admin.token });
      expect(family.status).toBe(201);
      const response = await t.api.get('/audit/verify', { token: x.admin.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ valid: true, firstBroken: null });
    });
  });
});
