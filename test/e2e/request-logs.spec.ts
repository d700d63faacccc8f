/**
 * Request-scoped logs, read from the app's own log stream: every line written while serving
 * a request carries its request id (the X-Request-Id answer header) and, once authenticated,
 * the caller's id, whoever writes it (a service's Nest logger, the problem filter, the
 * request-completed line); one request-completed line per request, without query string,
 * headers or body; lines outside a request have no request id.
 */
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../harness/app.js';
import { PASSWORD, type Session } from '../harness/factories.js';
import { apply, download, exchangeProgram, expectProblem, newExchange, newSendingStudent, pdfWith, upload, type Exchange } from '../harness/uploads.js';

type Line = Record<string, any> & { msg?: string; reqId?: string; callerId?: string };

describe('request-scoped logs', () => {
  const written: string[] = [];
  let t: TestApp;
  let x: Exchange;
  let student: Session;
  let draft: { id: string };

  beforeAll(async () => {
    // The mail worker idle: its own lines (mail sent) would fall between a request's lines at random.
    t = await startTestApp({ LOG_LEVEL: 'info', LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000' }, { logDestination: { write: (line: string) => void written.push(line) } });
    x = await newExchange(t);
    const program = await exchangeProgram(t, x, { seats: 5 });
    student = await newSendingStudent(t, x);
    draft = await apply(t, student, program.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Runs one request and returns its answer with the lines written from its start until its
   * request-completed line (written once the answer is sent, so maybe after fetch returns).
   */
  async function logged<T extends { headers: Headers }>(request: () => Promise<T>): Promise<{ response: T; requestId: string; lines: Line[]; text: string }> {
    const from = written.length;
    const response = await request();
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toBeTruthy();
    const completed = (line: Line) => line.msg === 'request completed' && line.reqId === requestId;
    for (let waited = 0; !written.slice(from).some((raw) => completed(JSON.parse(raw) as Line)); waited += 10) {
      if (waited > 2000) throw new Error(`no request-completed line for ${requestId}: ${written.slice(from).join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const raw = written.slice(from);
    const lines = raw.map((line) => JSON.parse(line) as Line);
    return { response, requestId, lines: lines.slice(0, lines.findIndex(completed) + 1), text: raw.join('') };
  }

  it('a service line and the request-completed line of an authenticated request carry its request id and the caller id', async () => {
    const lost = await upload(t, student.token, draft.id, 'other', 'lost.pdf', pdfWith('lost'));
    const [row] = (await t.dataSource.query('SELECT storage_key FROM documents WHERE id = $1', [lost.body.id])) as { storage_key: string }[];
    rmSync(join(t.settings.dataDir, 'documents', row.storage_key));

    const { response, requestId, lines, text } = await logged(() => download(t, student.token, lost.body.id));
    expectProblem(response, 404, 'document.not_found');
    expect(lines.map((line) => line.msg)).toEqual(['document file missing', 'request completed']);
    for (const line of lines) expect(line).toMatchObject({ reqId: requestId, callerId: student.user.id });
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Documents', documentId: lost.body.id });
    expect(lines[1]).toMatchObject({ level: 'info', req: { method: 'GET', url: `/api/v1/documents/${lost.body.id}/content` }, res: { statusCode: 404 }, responseTime: expect.any(Number) });
    expect(text).not.toContain(student.token);
    expect(text).not.toContain(student.user.email);
  });

  it("the problem filter's line of a 500 carries the request id and the caller id", async () => {
    const looping = await upload(t, student.token, draft.id, 'other', 'loop.pdf', pdfWith('loop'));
    const [row] = (await t.dataSource.query('SELECT storage_key FROM documents WHERE id = $1', [looping.body.id])) as { storage_key: string }[];
    // A file that cannot be opened for another reason than its absence (ELOOP): a 500.
    const path = join(t.settings.dataDir, 'documents', row.storage_key);
    rmSync(path);
    symlinkSync(path, path);

    const { response, requestId, lines } = await logged(() => download(t, student.token, looping.body.id));
    expectProblem(response, 500, 'internal.error');
    expect(lines.map((line) => line.msg)).toEqual(['unhandled error', 'request completed']);
    for (const line of lines) expect(line).toMatchObject({ reqId: requestId, callerId: student.user.id });
    expect(lines[1]).toMatchObject({ res: { statusCode: 500 } });
  });

  it('one request-completed line without the query string, the body or the headers; no caller before sign-in', async () => {
    const { response, requestId, lines, text } = await logged(() =>
      t.api.post('/auth/login', { email: student.user.email, password: PASSWORD }, { query: { token: 'query-token-that-must-not-be-logged' }, headers: { cookie: 'session=cookie-secret', 'idempotency-key': 'idempotency-secret' } }),
    );
    expect(response.status).toBe(200);
    expect(lines).toEqual([
      { level: 'info', time: expect.any(String), service: 'exchange-api', reqId: requestId, req: { method: 'POST', url: '/api/v1/auth/login' }, res: { statusCode: 200 }, responseTime: expect.any(Number), msg: 'request completed' },
    ]);
    for (const secret of [PASSWORD, student.user.email, 'query-token-that-must-not-be-logged', 'cookie-secret', 'idempotency-secret', response.body.accessToken, response.body.refreshToken]) {
      expect(text).not.toContain(secret);
    }
  });

  it('the request id the client sent is the one logged; a caller refused by role is still named', async () => {
    const clientId = `client-request-${Date.now()}`;
    const { response, lines } = await logged(() => t.api.post('/institutions', {}, { token: student.token, headers: { 'x-request-id': clientId } }));
    expectProblem(response, 403, 'access.forbidden');
    expect(response.headers.get('x-request-id')).toBe(clientId);
    expect(lines).toEqual([expect.objectContaining({ msg: 'request completed', reqId: clientId, callerId: student.user.id, res: { statusCode: 403 } })]);
  });

  it('a request the router refuses before any hook (malformed path) has its line too', async () => {
    const { response, requestId, lines } = await logged(() => fetch(new URL('/api/v1/programs/%zz?token=query-token', t.baseUrl)));
    expect(response.status).toBe(400);
    expect(lines).toEqual([expect.objectContaining({ msg: 'request completed', reqId: requestId, req: { method: 'GET', url: '/api/v1/programs/%zz' }, res: { statusCode: 400 } })]);
  });

  it('lines outside a request (startup) have no request id', () => {
    const startup = written.map((line) => JSON.parse(line) as Line).filter((line) => /Nest application successfully started|Server listening/.test(line.msg ?? ''));
    expect(startup.length).toBeGreaterThanOrEqual(2);
    for (const line of startup) {
      expect(line.reqId).toBeUndefined();
      expect(line.callerId).toBeUndefined();
    }
  });
});
