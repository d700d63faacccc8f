/**
 * OWASP API8:2023, security misconfiguration, on an application started as in production
 * (NODE_ENV=production):
 *
 * - security headers on every kind of answer of the API and of the portal (success,
 *   redirect, error, asset), HSTS included; API answers are never cached;
 * - no CORS: no origin, however it asks, is allowed to read answers with credentials;
 * - no error, from the client's mistakes to a database that fails, carries a stack trace,
 *   SQL, a file path or an internal name, in the API or in the portal;
 * - Swagger UI and the OpenAPI document are not served unless API_DOCS asks for them;
 * - nothing outside the portal's assets is served as a file; TRACE is not answered.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ConfigError, loadSettings } from '../../src/config/settings.js';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { cast, PASSWORD } from '../harness/factories.js';
import { PortalClient, textOf, type PageResponse } from '../harness/portal.js';

type Cast = Awaited<ReturnType<typeof cast>>;
type Answer = Pick<ApiResponse, 'status' | 'headers'> & { text: string };

/** What no answer may show: a stack trace, a source path, SQL, a driver's error, an internal error's name, a hash. */
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\n\s+at\s+\S|\bat\s+(?:async\s+)?[\w$.<>]+\s+\([^)]*:\d+:\d+\)/],
  ['source path', /(?:\/|\\)(?:src|dist|node_modules)(?:\/|\\)|\.(?:ts|js|mjs):\d+/],
  ['SQL', /\bSELECT\b[\s\S]+\bFROM\b|\bINSERT INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE FROM\b/i],
  ['database error', /QueryFailedError|relation "[\w.]+"|does not exist|syntax error at or near|violates \w+ constraint|duplicate key value|invalid input syntax/i],
  ['internal error name', /\b(?:TypeError|RangeError|ReferenceError|EntityNotFoundError|EntityPropertyNotFoundError)\b/],
  ['password hash', /\$argon2|password_?hash/i],
];

/** The text of an answer without the problem's `instance` (the path asked for, echoed). */
const withoutInstance = (text: string) => text.replace(/"instance":"[^"]*"/, '"instance":""');

function leaksOf(label: string, answer: Answer): string[] {
  return LEAKS.filter(([, pattern]) => pattern.test(answer.text)).map(([name]) => `${label}: leaks ${name} (${answer.status} ${answer.text.slice(0, 300)})`);
}

describe('API8 security misconfiguration (production)', () => {
  let t: TestApp;
  let people: Cast;
  let student: PortalClient;

  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', LOGIN_MAX_PER_IP: '1000' });
    people = await cast(t.dataSource, t.api);
    student = new PortalClient(t.baseUrl);
    await student.signIn(people.student.user.email, PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  const raw = async (method: string, path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(new URL(path, t.baseUrl), { method, redirect: 'manual', ...init });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  describe('security headers', () => {
    const expectHardened = (label: string, answer: Answer) => {
      const h = (name: string) => answer.headers.get(name);
      expect({
        label,
        hsts: h('strict-transport-security'),
        nosniff: h('x-content-type-options'),
        csp: h('content-security-policy'),
        referrer: h('referrer-policy'),
        frame: h('x-frame-options'),
        poweredBy: h('x-powered-by'),
        server: h('server'),
        opener: h('cross-origin-opener-policy'),
      }).toEqual({
        label,
        hsts: expect.stringMatching(/max-age=(\d{8,}|[3-9]\d{6}).*includeSubDomains/),
        nosniff: 'nosniff',
        csp: expect.stringMatching(/(?=.*default-src 'self')(?=.*frame-ancestors 'none')(?=.*object-src 'none')(?=.*script-src 'self')/),
        referrer: 'no-referrer',
        frame: expect.stringMatching(/^(DENY|SAMEORIGIN)$/),
        poweredBy: null,
        server: null,
        opener: 'same-origin',
      });
      // No script may run from anywhere but the site itself.
      expect(h('content-security-policy')).not.toMatch(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|\*|https?:)/);
    };

    it('hardens every kind of API answer, and never lets one with tokens or personal data be cached', async () => {
      const answers: [string, Answer][] = [
        ['200 public list', await t.api.get('/institutions')],
        ['200 login with tokens', await t.api.post('/auth/login', { email: people.coordinator.user.email, password: PASSWORD })],
        ['200 personal data', await t.api.get('/me', { token: people.student.token })],
        ['401', await t.api.get('/me')],
        ['403', await t.api.post('/institutions', {}, { token: people.student.token })],
        ['404', await t.api.get(`/applications/${randomUUID()}`, { token: people.student.token })],
        ['404 route', await t.api.get('/nothing-here')],
        ['400', await t.api.post('/auth/login', { email: 1 })],
        ['415', await t.api.post('/auth/login', undefined, { raw: 'x', headers: { 'content-type': 'text/plain' } })],
        ['204', await t.api.post('/notifications/read-all', {}, { token: people.student.token })],
      ];
      for (const [label, answer] of answers) {
        expectHardened(`API ${label}`, answer);
        // The public institutions list (no person in it) may be kept, but only as a copy checked again each time (its ETag, 304).
        const allowed = label === '200 public list' ? /^no-cache$/ : /no-store/;
        expect({ label, cache: answer.headers.get('cache-control') }).toEqual({ label, cache: expect.stringMatching(allowed) });
      }
      expect(answers[0][1].headers.get('etag')).toBeTruthy();
    });

    it('hardens every kind of portal answer: pages, redirects, error pages, assets', async () => {
      const visitor = new PortalClient(t.baseUrl);
      const answers: [string, PageResponse][] = [
        ['sign-in page', await visitor.get('/sign-in')],
        ['redirect to sign-in', await visitor.get('/portal/my/programs')],
        ['signed-in page', await student.get('/')],
        ['404 page', await student.get(`/portal/applications/${randomUUID()}`)],
        ['403 page', await student.get('/portal/admin/institutions')],
        ['CSRF refusal', await student.post('/language', { locale: 'fr', next: '/' }, { csrf: 'forged' })],
        ['stylesheet', await visitor.get('/assets/portal.css')],
        ['script', await visitor.get('/assets/portal.js')],
      ];
      for (const [label, answer] of answers) expectHardened(`portal ${label}`, { ...answer, text: answer.html });
      // Pages (not the redirect, whose answer has no body, nor the assets) are never kept.
      for (const [label, answer] of answers.filter(([, a]) => a.status !== 303).slice(0, 5)) expect({ label, cache: answer.headers.get('cache-control') }).toEqual({ label, cache: expect.stringMatching(/no-store/) });
    });
  });

  describe('CORS', () => {
    it('allows no origin to read API answers, with or without credentials, simple or preflighted', async () => {
      for (const origin of ['https://evil.example', 'null', 'http://localhost:3000', `${t.baseUrl}.evil.example`, t.baseUrl]) {
        const preflight = await raw('OPTIONS', '/api/v1/me', {
          headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type' },
        });
        const simple = await raw('GET', '/api/v1/me', { headers: { origin, authorization: `Bearer ${people.student.token}`, cookie: 'exchange_session=x' } });
        const login = await raw('POST', '/api/v1/auth/login', { headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ email: people.student.user.email, password: PASSWORD }) });
        for (const [label, answer] of [
          ['preflight', preflight],
          ['GET', simple],
          ['login', login],
        ] as const) {
          expect({ origin, label, allowOrigin: answer.headers.get('access-control-allow-origin'), allowCredentials: answer.headers.get('access-control-allow-credentials') }).toEqual({
            origin,
            label,
            allowOrigin: null,
            allowCredentials: null,
          });
        }
        expect(preflight.status).not.toBe(204);
        expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
      }
    });

    it('gives the portal no CORS either (its pages and forms are for the same site)', async () => {
      const page = await raw('GET', '/sign-in', { headers: { origin: 'https://evil.example' } });
      const preflight = await raw('OPTIONS', '/sign-in', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      for (const answer of [page, preflight]) expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('errors', () => {
    it('answers client mistakes with problem+json and nothing internal', async () => {
      const probes: [string, () => Promise<ApiResponse>][] = [
        ['malformed JSON', () => t.api.post('/institutions', undefined, { token: people.admin.token, raw: '{"name":', headers: { 'content-type': 'application/json' } })],
        ['deep JSON', () => t.api.post('/institutions', undefined, { token: people.admin.token, raw: '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), headers: { 'content-type': 'application/json' } })],
        ['wrong types', () => t.api.post('/institutions', { name: { $gt: '' }, country: ['FR'], kind: 7 }, { token: people.admin.token })],
        ['injection in an id', () => t.api.get(`/applications/${encodeURIComponent("1' OR '1'='1")}`, { token: people.admin.token })],
        ['injection in a filter', () => t.api.get('/applications', { token: people.admin.token, query: { status: "submitted' OR 1=1 --" } })],
        ['forged cursor', () => t.api.get('/applications', { token: people.admin.token, query: { cursor: Buffer.from('["x\'; DROP TABLE users; --", 1]').toString('base64url') } })],
        ['taken name (unique constraint)', () => t.api.post('/institutions', { name: people.home.name, shortName: 'DUP', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' }, { token: people.admin.token })],
        ['integer overflow', () => t.api.patch(`/institutions/${people.home.id}`, { name: 1e308 }, { token: people.admin.token })],
        ['bad Accept-Language', () => t.api.get('/me', { headers: { 'accept-language': '../../../../etc/passwd;q=x' } })],
        ['unknown route with a path', () => t.api.get('/api/v1/../../etc/passwd')],
        ['bad method', () => t.api.request('DELETE', '/institutions', undefined, { token: people.admin.token })],
      ];
      const issues: string[] = [];
      for (const [label, probe] of probes) {
        const response = await probe();
        issues.push(...leaksOf(label, response));
        if (response.status < 400 || response.status >= 500) issues.push(`${label}: ${response.status}`);
        else expectProblem(response, response.status);
      }
      expect(issues).toEqual([]);
    });

    it('answers a failing database with a bare 500, in the API and in the portal', async () => {
      // The notifications' table goes away under the running application: its queries fail with SQL errors.
      await t.dataSource.query('ALTER TABLE notifications RENAME TO notifications_away');
      let api: ApiResponse;
      let page: PageResponse;
      try {
        api = await t.api.get('/notifications', { token: people.student.token });
        page = await student.get('/');
      } finally {
        await t.dataSource.query('ALTER TABLE notifications_away RENAME TO notifications');
      }
      expectProblem(api, 500, 'internal.error');
      // The problem's own fields, nothing of the error behind it.
      expect(Object.keys(api.body).filter((key) => !['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId'].includes(key))).toEqual([]);
      expect(leaksOf('API 500', api)).toEqual([]);
      expect(JSON.stringify({ ...api.body, instance: undefined })).not.toMatch(/notifications/);
      expect(page.status).toBe(500);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(leaksOf('portal 500', { ...page, text: page.html })).toEqual([]);
      expect(textOf(page.html)).not.toMatch(/notifications_away|QueryFailed|relation/);
      // And everything is back.
      expect((await t.api.get('/notifications', { token: people.student.token })).status).toBe(200);
    });

    it('tells no versions or settings in its health answers', async () => {
      for (const path of ['/health', '/health/ready']) {
        const response = await t.api.get(path);
        expect(response.status).toBe(200);
        expect(response.text).not.toMatch(/postgres|version|\d+\.\d+\.\d+|secret|password|127\.0\.0\.1|node/i);
      }
    });
  });

  describe('API documentation', () => {
    it('serves neither Swagger UI nor the OpenAPI document in production by default', async () => {
      for (const path of ['/api/docs', '/api/docs/', '/api/docs-json', '/api/docs-yaml', '/api/docs/swagger-ui-init.js', '/api/docs/index.html']) {
        const answer = await raw('GET', path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expect(withoutInstance(answer.text)).not.toMatch(/swagger|openapi/i);
      }
    });

    it('takes API_DOCS to decide: on outside production, off in production unless asked for, and validated', () => {
      const base = { JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: t.settings.dataDir };
      const production = { ...base, NODE_ENV: 'production', DATABASE_URL: 'postgres://db.example/exchange' };
      expect(loadSettings({ ...base, NODE_ENV: 'development' }).apiDocs).toBe(true);
      expect(loadSettings({ ...base, NODE_ENV: 'test' }).apiDocs).toBe(true);
      expect(loadSettings(production).apiDocs).toBe(false);
      expect(loadSettings({ ...production, API_DOCS: 'true' }).apiDocs).toBe(true);
      expect(loadSettings({ ...base, API_DOCS: 'false' }).apiDocs).toBe(false);
      expect(() => loadSettings({ ...production, API_DOCS: 'sometimes' })).toThrow(ConfigError);
      expect(() => loadSettings({ ...production, API_DOCS: 'sometimes' })).toThrow(/API_DOCS/);
      expect(t.settings.apiDocs).toBe(false);
    });
  });

  describe('files and methods', () => {
    it('serves no file outside the portal assets: no traversal, no data folder, no source', async () => {
      const probes = [
        '/assets/../package.json',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/assets/..%2f..%2fpackage.json',
        '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '/assets/',
        '/package.json',
        '/.env',
        '/.git/config',
        '/.data/jwt-secret',
        '/documents/',
        '/outbox/',
        '/dist/src/main.js',
        '/src/main.ts',
        '/node_modules/fastify/package.json',
      ];
      for (const path of probes) {
        const answer = await raw('GET', path);
        expect({ path, found: answer.status < 300 }).toEqual({ path, found: false });
        expect(withoutInstance(answer.text)).not.toMatch(/"dependencies"|\[core\]|root:x:0|BEGIN|jwt-secret/);
      }
    });

    it('does not answer TRACE (no echo of headers such as cookies)', async () => {
      // fetch refuses to send TRACE: a plain HTTP request.
      const { port } = new URL(t.baseUrl);
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/me', method: 'TRACE', headers: { cookie: 'exchange_session=secret-cookie' } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        });
        request.on('error', reject);
        request.end();
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.text).not.toContain('secret-cookie');
    });
  });
});
