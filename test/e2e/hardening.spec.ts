/**
 * Bad input never breaks the API. Every route of the OpenAPI document (GET /api/docs-json)
 * gets malformed, mistyped, oversized and otherwise hostile requests as an admin; no answer
 * may be a 5xx, every 4xx is problem+json without internals (stack traces, SQL, password
 * hashes). Also: unknown routes, security headers, request ids, Idempotency-Key, and the
 * OpenAPI document itself.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse, RequestOptions } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast, signedIn } from '../harness/factories.js';

type Cast = Awaited<ReturnType<typeof cast>>;
type Schema = Record<string, any>;

interface Route {
  method: string;
  /** as documented, e.g. /api/v1/institutions/{id} */
  template: string;
  operation: Schema;
  pathParams: string[];
  queryParams: string[];
  /** the JSON schema of the body, resolved, when one is documented */
  bodySchema: Schema | null;
  documented: Set<number>;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const unique = () => randomBytes(4).toString('hex');

/** What must never be in an answer: stack traces, source paths, SQL, driver errors, password hashes. */
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat\s+(?:async\s+)?[\w$.<>[\]]+\s+\(|\n\s+at\s+\S/],
  ['source path', /(?:\/|\\)(?:src|dist|node_modules|work)(?:\/|\\)|\.(?:ts|js|mjs|cjs):\d+/],
  ['SQL', /\bSELECT\b[\s\S]+\bFROM\b|\bINSERT INTO\b|\bUPDATE\b[\s\S]+\bSET\b|\bDELETE FROM\b|\bWHERE\b/],
  ['database error', /QueryFailedError|syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|duplicate key value|invalid input syntax|invalid byte sequence|relation "\w+"/i],
  ['internal error name', /\b(?:TypeError|RangeError|ReferenceError|EntityNotFoundError|Maximum call stack)\b/],
  ['password hash', /passwordHash|password_hash|\$argon2/],
];

/** Everything wrong with one answer, as readable lines (empty when it is fine). */
function issuesOf(label: string, response: ApiResponse): string[] {
  const issues: string[] = [];
  const say = (what: string) => issues.push(`${label}: ${what} (${response.status} ${response.text.slice(0, 200)})`);
  if (response.status >= 500) say('server error');
  for (const [name, pattern] of LEAKS) if (pattern.test(response.text)) say(`leaks ${name}`);
  if (response.status >= 400) {
    if (!/^application\/problem\+json/.test(response.headers.get('content-type') ?? '')) say('not application/problem+json');
    const body = response.body as Record<string, unknown> | string;
    if (typeof body !== 'object' || body === null) say('no problem object');
    else {
      for (const field of ['type', 'title', 'detail', 'code']) if (typeof body[field] !== 'string' || !body[field]) say(`no ${field}`);
      if (body.status !== response.status) say('status field differs from the HTTP status');
      if (typeof body.code === 'string' && !/^[a-z_]+\.[a-z_]+$/.test(body.code)) say(`odd code ${body.code}`);
    }
  }
  return issues;
}

const fieldsOf = (response: ApiResponse): string[] => ((response.body?.errors ?? []) as { field: string }[]).map((e) => e.field);

/** A value of the wrong type for a property of that schema (a number where a string is expected...). */
function wrongValue(schema: Schema): unknown {
  if (schema.$ref || schema.allOf || schema.oneOf || schema.anyOf) return 'not-an-object';
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not-a-list';
    case 'object':
      return 'not-an-object';
    default:
      return undefined;
  }
}

describe('hardening', () => {
  let t: TestApp;
  let people: Cast;
  let doc: Schema;
  let routes: Route[];

  const resolve = (schema: Schema | undefined): Schema | null => {
    if (!schema) return null;
    if (schema.$ref) {
      const name = String(schema.$ref).replace('#/components/schemas/', '');
      return resolve(doc.components?.schemas?.[name]);
    }
    if (schema.allOf) {
      const parts = (schema.allOf as Schema[]).map(resolve).filter((s): s is Schema => s !== null);
      return { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) };
    }
    return schema;
  };

  /** The route's path with each parameter replaced (by default with a random UUID). */
  const pathOf = (route: Route, value?: string) => route.template.replace(/\{[^}]+\}/g, () => value ?? randomUUID());

  const send = (route: Route, options: RequestOptions & { path?: string; body?: unknown } = {}): Promise<ApiResponse> => {
    const { path, body, ...rest } = options;
    return t.api.request(route.method, path ?? pathOf(route), body, { token: people.admin.token, ...rest });
  };

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    people = await cast(t.dataSource, t.api);
    const response = await t.api.get('/api/docs-json');
    if (response.status !== 200) throw new Error(`no OpenAPI document: ${response.status}`);
    doc = response.body;
    routes = [];
    for (const [template, operations] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const parameters = (operation.parameters ?? []) as Schema[];
        const json = operation.requestBody?.content?.['application/json']?.schema as Schema | undefined;
        routes.push({
          method: method.toUpperCase(),
          template,
          operation,
          pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name as string),
          bodySchema: resolve(json),
          documented: new Set(Object.keys(operation.responses ?? {}).map(Number)),
        });
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const apiRoutes = () => routes.filter((route) => route.template.startsWith('/api/v1/'));
  /** Routes that take a JSON body (the multipart upload route is probed on its own, in documents.spec.ts). */
  const bodyRoutes = () =>
    routes.filter((route) => BODY_METHODS.has(route.method) && route.method !== 'DELETE' && !route.operation.requestBody?.content?.['multipart/form-data']);
  const label = (route: Route, probe: string) => `${route.method} ${route.template} [${probe}]`;

  /**
   * The answer to a request whose body or parameters are invalid: 400 (with these fields
   * named, when given); 403 only where the route documents it (admin may not take every
   * action, and the role check comes before validation).
   */
  function invalidIssues(route: Route, probe: string, response: ApiResponse, code: string | null, fields: string[] = []): string[] {
    const issues = issuesOf(label(route, probe), response);
    if (response.status === 403 && route.documented.has(403)) return issues;
    if (response.status !== 400) return [...issues, `${label(route, probe)}: expected 400, got ${response.status} ${response.text.slice(0, 200)}`];
    if (code && response.body?.code !== code) issues.push(`${label(route, probe)}: expected ${code}, got ${response.body?.code}`);
    const missing = fields.filter((field) => !fieldsOf(response).includes(field));
    if (missing.length) issues.push(`${label(route, probe)}: fields ${missing.join(', ')} not named in ${JSON.stringify(response.body?.errors)}`);
    return issues;
  }

  describe('every route of the OpenAPI document', () => {
    it('finds the routes of today in the document', () => {
      const names = routes.map((route) => `${route.method} ${route.template}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'POST /api/v1/users',
          'GET /api/v1/users',
          'GET /api/v1/users/{id}',
          'GET /api/v1/me',
          'PATCH /api/v1/me',
          'POST /api/v1/auth/login',
          'GET /api/v1/institutions',
          'POST /api/v1/institutions',
          'GET /api/v1/institutions/{id}',
          'PATCH /api/v1/institutions/{id}',
        ]),
      );
    });

    it('answers a plain request, with and without a token, without a 5xx or a leak', async () => {
      const issues: string[] = [];
      for (const route of routes) {
        // GET only as a signed-in user: an empty POST may be a valid action (logout, erase...)
        if (route.method === 'GET') {
          issues.push(...issuesOf(label(route, 'as admin'), await send(route)));
          issues.push(...issuesOf(label(route, 'as student'), await send(route, { token: people.student.token })));
        }
        const anonymous = await send(route, { token: undefined });
        issues.push(...issuesOf(label(route, 'no token'), anonymous));
        if (anonymous.status === 401 && anonymous.headers.get('www-authenticate') !== 'Bearer') issues.push(`${label(route, 'no token')}: 401 without WWW-Authenticate: Bearer`);
        issues.push(...issuesOf(label(route, 'bad token'), await send(route, { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' })));
      }
      expect(issues).toEqual([]);
    });

    it('refuses malformed JSON with 400 request.malformed_json', async () => {
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        for (const raw of ['{"a":', '{', '{"a":1,}', "{'a':1}", 'undefined', '']) {
          const response = await send(route, { raw, headers: JSON_TYPE });
          issues.push(...issuesOf(label(route, `malformed ${JSON.stringify(raw)}`), response));
          if (response.status !== 400 || response.body?.code !== 'request.malformed_json') {
            issues.push(`${label(route, `malformed ${JSON.stringify(raw)}`)}: expected 400 request.malformed_json, got ${response.status} ${response.body?.code}`);
          }
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses a JSON array, string, number, boolean or null instead of an object (400)', async () => {
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        for (const raw of ['[]', '[{"a":1}]', '"a string"', '42', 'true', 'null']) {
          issues.push(...invalidIssues(route, `body ${raw}`, await send(route, { raw, headers: JSON_TYPE }), null));
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses wrong types (numbers where strings are expected...) with the fields named', async () => {
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        const properties = (route.bodySchema?.properties ?? {}) as Record<string, Schema>;
        const body: Record<string, unknown> = {};
        for (const [name, schema] of Object.entries(properties)) {
          const value = wrongValue(schema);
          if (value !== undefined) body[name] = value;
        }
        if (!Object.keys(body).length) continue;
        issues.push(...invalidIssues(route, 'wrong types', await send(route, { body }), 'validation.failed', Object.keys(body)));
        // the same, one field at a time: no field is left unchecked behind another's error
        for (const [name, value] of Object.entries(body)) {
          issues.push(...invalidIssues(route, `wrong type of ${name}`, await send(route, { body: { [name]: value } }), 'validation.failed', [name]));
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses unknown fields (400 naming them), never ignores them', async () => {
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        const body = { unexpectedField: 'x', role: 'admin', institutionId: randomUUID(), id: randomUUID(), status: 'approved' };
        const known = Object.keys((route.bodySchema?.properties ?? {}) as object);
        const unknown = Object.keys(body).filter((field) => !known.includes(field));
        issues.push(...invalidIssues(route, 'unknown fields', await send(route, { body }), 'validation.failed', unknown));
      }
      expect(issues).toEqual([]);
    });

    it('refuses hostile JSON: prototype pollution, deep nesting, NUL characters, huge numbers (4xx, never 5xx)', async () => {
      const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const deepArray = '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        const stringField = Object.entries((route.bodySchema?.properties ?? {}) as Record<string, Schema>).find(([, s]) => s.type === 'string')?.[0] ?? 'name';
        const probes: [string, string][] = [
          ['__proto__', '{"__proto__":{"role":"admin"}}'],
          ['constructor.prototype', '{"constructor":{"prototype":{"role":"admin"}}}'],
          ['deep object', deepObject],
          ['deep array', deepArray],
          ['NUL character', JSON.stringify({ [stringField]: 'a\u0000b' })],
          ['huge number', `{"${stringField}":1e999}`],
          ['long string', JSON.stringify({ [stringField]: 'x'.repeat(200_000) })],
          ['many fields', JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i])))],
        ];
        for (const [probe, raw] of probes) {
          const response = await send(route, { raw, headers: JSON_TYPE });
          issues.push(...issuesOf(label(route, probe), response));
          if (response.status < 400) issues.push(`${label(route, probe)}: accepted (${response.status})`);
        }
      }
      // and one with a NUL in a query string value
      for (const route of routes.filter((r) => r.queryParams.length)) {
        for (const name of route.queryParams) issues.push(...issuesOf(label(route, `NUL in ?${name}`), await send(route, { query: { [name]: 'a\u0000b' } })));
      }
      expect(issues).toEqual([]);
    });

    it('refuses a NUL character in an otherwise valid body with 400 naming the field (PostgreSQL cannot store it)', async () => {
      const institution = { name: `Nul ${unique()}`, shortName: 'NUL', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' };
      const cases: [string, string, Record<string, unknown>, string, string | undefined][] = [
        ['POST', '/institutions', { ...institution, name: 'Bad\u0000Name' }, 'name', people.admin.token],
        ['POST', '/institutions', { ...institution, city: '\u0000' }, 'city', people.admin.token],
        ['PATCH', `/institutions/${people.home.id}`, { shortName: 'A\u0000' }, 'shortName', people.admin.token],
        ['POST', '/users', { email: `nul.${unique()}@test.example`, fullName: 'Nul\u0000Byte', role: 'admin' }, 'fullName', people.admin.token],
        ['POST', '/users', { email: `nul.${unique()}@test.example`, fullName: 'Nul', role: 'admin', password: 'long-enough\u0000password' }, 'password', people.admin.token],
        ['PATCH', '/me', { fullName: 'Me\u0000' }, 'fullName', people.student.token],
        ['POST', '/auth/login', { email: 'someone\u0000@test.example', password: 'whatever-password' }, 'email', undefined],
        ['POST', '/auth/register', { email: `nul.${unique()}@test.example`, password: 'lilac-tractor-umbrella-93', fullName: 'A\u0000B', homeInstitutionId: people.home.id }, 'fullName', undefined],
      ];
      for (const [method, path, body, field, token] of cases) {
        const response = await t.api.request(method, path, body, { token });
        expect(issuesOf(`${method} ${path}`, response)).toEqual([]);
        expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'validation.failed' });
        expect(fieldsOf(response)).toContain(field);
      }
      expect((await t.api.get(`/institutions/${people.home.id}`)).body.shortName).toBe(people.home.shortName);
    });

    it('refuses a body over 1 MiB with 413 request.body_too_large', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
      const issues: string[] = [];
      for (const route of bodyRoutes()) {
        const response = await send(route, { raw: big, headers: JSON_TYPE });
        issues.push(...issuesOf(label(route, 'oversize'), response));
        if (response.status !== 413 || response.body?.code !== 'request.body_too_large') {
          issues.push(`${label(route, 'oversize')}: expected 413 request.body_too_large, got ${response.status} ${response.body?.code}`);
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses other content types (415 or 400), never 5xx', async () => {
      const issues: string[] = [];
      const bodies: [string, string][] = [
        ['text/plain', 'hello'],
        ['text/plain', '{"name":"json as text"}'],
        ['application/xml', '<a/>'],
        ['application/x-www-form-urlencoded', 'role=admin'],
        ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="role"\r\n\r\nadmin\r\n--x--\r\n'],
      ];
      for (const route of bodyRoutes()) {
        if (route.operation.requestBody?.content?.['multipart/form-data']) continue;
        for (const [type, raw] of bodies) {
          const response = await send(route, { raw, headers: { 'content-type': type } });
          issues.push(...issuesOf(label(route, type), response));
          if (![400, 415].includes(response.status) && !(response.status === 403 && route.documented.has(403))) {
            issues.push(`${label(route, type)}: expected 415 or 400, got ${response.status}`);
          }
        }
        // a body without a content type
        const untyped = await send(route, { raw: '{"a":1}' });
        issues.push(...issuesOf(label(route, 'no content type'), untyped));
        if (untyped.status < 400) issues.push(`${label(route, 'no content type')}: accepted (${untyped.status})`);
      }
      expect(issues).toEqual([]);
    });

    it('refuses a path id that is not a UUID with 400 (never 404 by lookup, never 500)', async () => {
      const issues: string[] = [];
      for (const route of routes.filter((r) => r.pathParams.length)) {
        for (const bad of ['not-a-uuid', '123', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000z', '\u0000', '../../etc/passwd', 'null', '{id}']) {
          const response = await send(route, { path: pathOf(route, encodeURIComponent(bad)) });
          const probe = `id ${JSON.stringify(bad)}`;
          issues.push(...invalidIssues(route, probe, response, 'validation.failed'));
          if (response.status === 400 && !fieldsOf(response).some((field) => route.pathParams.includes(field))) {
            issues.push(`${label(route, probe)}: the path parameter is not named in ${JSON.stringify(response.body?.errors)}`);
          }
        }
        // too long or badly escaped: refused by the router itself, still a problem+json 4xx
        for (const bad of ['a'.repeat(300), '%E0%A4%A', '%zz']) {
          const response = await send(route, { path: pathOf(route, bad) });
          const probe = `id ${bad.slice(0, 12)}`;
          issues.push(...issuesOf(label(route, probe), response));
          if (response.status < 400 || response.status >= 500) issues.push(`${label(route, probe)}: expected a 4xx, got ${response.status}`);
          if (!response.headers.get('x-request-id')) issues.push(`${label(route, probe)}: no X-Request-Id`);
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses bad query parameters with 400, never 5xx', async () => {
      const issues: string[] = [];
      for (const route of routes.filter((r) => r.method === 'GET' && r.queryParams.length)) {
        issues.push(...invalidIssues(route, 'unknown query parameter', await send(route, { query: { notAParameter: '1' } }), 'validation.failed', ['notAParameter']));
        for (const name of route.queryParams) {
          for (const value of ['x'.repeat(1000), '-1', '99999999999999999999', '{"$gt":""}', "' OR 1=1 --"]) {
            issues.push(...issuesOf(label(route, `?${name}=${value.slice(0, 12)}`), await send(route, { query: { [name]: value } })));
          }
          const twice = await send(route, { path: `${pathOf(route)}?${name}=a&${name}=b` });
          issues.push(...issuesOf(label(route, `?${name} twice`), twice));
        }
        if (route.queryParams.includes('limit')) {
          for (const limit of ['101', '0', 'abc', '-5', '2.5']) {
            issues.push(...invalidIssues(route, `limit=${limit}`, await send(route, { query: { limit } }), 'validation.failed', ['limit']));
          }
        }
        if (route.queryParams.includes('cursor')) {
          for (const cursor of ['abc', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[{"a":1}]').toString('base64url'), Buffer.from('["x","y","z","w"]').toString('base64url')]) {
            issues.push(...invalidIssues(route, `cursor=${cursor}`, await send(route, { query: { cursor } }), 'validation.failed', ['cursor']));
          }
        }
      }
      expect(issues).toEqual([]);
    });
  });

  describe('unknown routes', () => {
    it('answers 404 route.not_found as problem+json', async () => {
      const issues: string[] = [];
      const probes: [string, string][] = [
        ['GET', '/api/v1/nothing-here'],
        ['POST', '/api/v1/nothing-here'],
        ['GET', '/api/v2/users'],
        ['GET', '/api/v1/users/' + randomUUID() + '/secret'],
        ['DELETE', '/api/v1/institutions'],
        ['PUT', '/api/v1/me'],
        ['GET', '/api/v1/../../etc/passwd'],
        ['GET', '/.env'],
      ];
      for (const [method, path] of probes) {
        const response = await t.api.request(method, path, undefined, { token: people.admin.token });
        issues.push(...issuesOf(`${method} ${path}`, response));
        if (response.status !== 404 && response.status !== 405) issues.push(`${method} ${path}: expected 404, got ${response.status}`);
      }
      expect(issues).toEqual([]);
      const response = await t.api.get('/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, code: 'route.not_found', type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    });
  });

  describe('response headers', () => {
    const requests = (): [string, () => Promise<ApiResponse>][] => [
      ['public 200', () => t.api.get('/api/v1/institutions')],
      ['authenticated 200', () => t.api.get('/api/v1/me', { token: people.student.token })],
      ['401', () => t.api.get('/api/v1/me')],
      ['400', () => t.api.post('/api/v1/institutions', undefined, { token: people.admin.token, raw: '{"a":', headers: JSON_TYPE })],
      ['403', () => t.api.post('/api/v1/institutions', {}, { token: people.student.token })],
      ['404', () => t.api.get('/api/v1/nothing-here')],
      ['413', () => t.api.post('/api/v1/institutions', undefined, { token: people.admin.token, raw: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }), headers: JSON_TYPE })],
      ['415', () => t.api.post('/api/v1/institutions', undefined, { token: people.admin.token, raw: 'hello', headers: { 'content-type': 'text/plain' } })],
      ['health', () => t.api.get('/health')],
      ['docs', () => t.api.get('/api/docs')],
    ];

    it('carries the security headers on every answer', async () => {
      for (const [name, request] of requests()) {
        const response = await request();
        const headers = {
          name,
          nosniff: response.headers.get('x-content-type-options'),
          csp: response.headers.get('content-security-policy') ?? '',
          frameOptions: response.headers.get('x-frame-options'),
        };
        expect(headers).toMatchObject({ name, nosniff: 'nosniff', csp: expect.stringContaining("default-src 'self'") });
        expect(/frame-ancestors/.test(headers.csp) || headers.frameOptions !== null).toBe(true);
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('gives every answer an X-Request-Id, echoing a valid incoming one', async () => {
      const seen = new Set<string>();
      const all = requests();
      for (const [, request] of all) {
        const id = (await request()).headers.get('x-request-id');
        expect(id).toEqual(expect.stringMatching(/^[\w-]{8,100}$/));
        seen.add(id!);
      }
      expect(seen.size).toBe(all.length);

      const mine = `client-${unique()}-request`;
      expect((await t.api.get('/institutions', { headers: { 'x-request-id': mine } })).headers.get('x-request-id')).toBe(mine);
      const failed = await t.api.post('/institutions', { name: 1 }, { token: people.admin.token, headers: { 'x-request-id': mine } });
      expect(failed.status).toBe(400);
      expect(failed.headers.get('x-request-id')).toBe(mine);

      for (const invalid of ['short', 'has spaces in it', 'x'.repeat(101), 'semi;colon-123', '<script>alert(1)</script>']) {
        const response = await t.api.get('/institutions', { headers: { 'x-request-id': invalid } });
        const id = response.headers.get('x-request-id');
        expect(id).not.toBe(invalid);
        expect(id).toEqual(expect.stringMatching(/^[\w-]{8,100}$/));
      }
    });
  });

  describe('Idempotency-Key on POST /institutions', () => {
    const body = () => ({ name: `Idempotent ${unique()}`, shortName: 'IDEM', city: 'Krasnodar', country: 'RU', kind: 'school', timezone: 'Europe/Moscow' });
    const countNamed = async (name: string) => {
      const list = await t.api.get('/institutions', { query: { country: 'RU', limit: 100 } });
      expect(list.status).toBe(200);
      return (list.body.items as { name: string }[]).filter((i) => i.name === name).length;
    };

    it('replays the first answer for the same key and body, and creates once', async () => {
      const key = `key-${unique()}`;
      const payload = body();
      const first = await t.api.post('/institutions', payload, { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotency-replayed')).toBeNull();

      for (let i = 0; i < 2; i++) {
        const again = await t.api.post('/institutions', payload, { token: people.admin.token, headers: { 'idempotency-key': key } });
        expect(again.status).toBe(first.status);
        expect(again.body).toEqual(first.body);
        expect(again.headers.get('idempotency-replayed')).toBe('true');
        expect(again.headers.get('content-type')).toMatch(/^application\/json/);
      }
      expect(await countNamed(payload.name)).toBe(1);

      // without the key, the same body is a new request (and the name is taken now)
      const fresh = await t.api.post('/institutions', payload, { token: people.admin.token });
      expect(fresh.status).toBe(409);
      expect(fresh.body.code).toBe('institution.name_taken');
    });

    it('refuses the same key with another body (422 idempotency.key_reused)', async () => {
      const key = `key-${unique()}`;
      const first = await t.api.post('/institutions', body(), { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const other = body();
      const reused = await t.api.post('/institutions', other, { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ status: 422, code: 'idempotency.key_reused' });
      expect(await countNamed(other.name)).toBe(0);
    });

    it('keeps the keys of different users apart', async () => {
      const secondAdmin = await signedIn(t.dataSource, t.api, { role: 'admin' });
      const key = `shared-${unique()}`;
      const mine = body();
      const theirs = body();
      const first = await t.api.post('/institutions', mine, { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const second = await t.api.post('/institutions', theirs, { token: secondAdmin.token, headers: { 'idempotency-key': key } });
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotency-replayed')).toBeNull();
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.body.name).toBe(theirs.name);
      // the first user's very request under the same key, by a third user: run, not replayed
      const thirdAdmin = await signedIn(t.dataSource, t.api, { role: 'admin' });
      const third = await t.api.post('/institutions', mine, { token: thirdAdmin.token, headers: { 'idempotency-key': key } });
      expect(third.status).toBe(409);
      expect(third.body.code).toBe('institution.name_taken');
      expect(third.headers.get('idempotency-replayed')).toBeNull();
      expect(await countNamed(mine.name)).toBe(1);
      expect(await countNamed(theirs.name)).toBe(1);
    });

    it('refuses an invalid key with 400 and creates nothing', async () => {
      for (const key of ['k'.repeat(300), 'has spaces', 'naïve-key']) {
        const payload = body();
        const response = await t.api.post('/institutions', payload, { token: people.admin.token, headers: { 'idempotency-key': key } });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toBe('validation.failed');
        expect(await countNamed(payload.name)).toBe(0);
      }
    });

    it('lets a failed request be retried with the same key', async () => {
      const key = `retry-${unique()}`;
      const payload = body();
      const refused = await t.api.post('/institutions', { ...payload, country: 'XX' }, { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(refused.status).toBe(400);
      const retried = await t.api.post('/institutions', payload, { token: people.admin.token, headers: { 'idempotency-key': key } });
      expect(retried.status).toBe(201);
      expect(await countNamed(payload.name)).toBe(1);
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3 document at /api/docs-json', async () => {
      const response = await t.api.get('/api/docs-json');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/json/);
      expect(response.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: expect.any(String), version: expect.any(String) }, paths: expect.any(Object) });
      expect(response.text).not.toMatch(/passwordHash|password_hash/);
    });

    it('documents at least one 4xx answer, as problem+json, for every route', () => {
      const issues: string[] = [];
      for (const route of apiRoutes()) {
        const errors = [...route.documented].filter((status) => status >= 400 && status < 500);
        if (!errors.length) issues.push(`${route.method} ${route.template}: no 4xx documented`);
        for (const status of errors) {
          if (!route.operation.responses[String(status)]?.content?.['application/problem+json']) issues.push(`${route.method} ${route.template}: ${status} is not application/problem+json`);
        }
      }
      expect(issues).toEqual([]);
    });

    it('documents the request body of every route that takes one, and every path parameter', async () => {
      const issues: string[] = [];
      for (const route of apiRoutes()) {
        const documented = route.operation.requestBody?.content as Record<string, { schema?: Schema }> | undefined;
        // a route takes a body if it names a field of ours it does not know
        let takesBody = false;
        if (BODY_METHODS.has(route.method)) {
          const response = await send(route, { body: { probeField: 1 } });
          takesBody = response.status === 400 && fieldsOf(response).includes('probeField');
        }
        if (['POST', 'PUT', 'PATCH'].includes(route.method) || takesBody) {
          if (!documented && takesBody) issues.push(`${route.method} ${route.template}: takes a body that is not documented`);
          for (const [type, media] of Object.entries(documented ?? {})) {
            const schema = type.includes('json') ? resolve(media.schema) : media.schema;
            if (!schema || (type.includes('json') && schema.type !== 'object' && !schema.properties)) issues.push(`${route.method} ${route.template}: ${type} body without an object schema`);
          }
          if (documented?.['application/json'] && route.bodySchema && !route.bodySchema.properties) issues.push(`${route.method} ${route.template}: body schema without properties`);
        }
        const pathParameters = ((route.operation.parameters ?? []) as Schema[]).filter((p) => p.in === 'path').map((p) => p.name);
        for (const name of route.pathParams) if (!pathParameters.includes(name)) issues.push(`${route.method} ${route.template}: path parameter ${name} undocumented`);
        if ((route.pathParams.length || route.queryParams.length || route.bodySchema) && !route.documented.has(400)) issues.push(`${route.method} ${route.template}: takes input but documents no 400`);
      }
      expect(issues).toEqual([]);
    });

    it('documents the 401 of every route that needs a token', async () => {
      const issues: string[] = [];
      for (const route of apiRoutes()) {
        const response = await send(route, { token: undefined, body: BODY_METHODS.has(route.method) ? {} : undefined });
        if (response.status === 401 && !route.documented.has(401)) issues.push(`${route.method} ${route.template}: answers 401 without a token but does not document it`);
      }
      expect(issues).toEqual([]);
    });

    it('serves Swagger UI at /api/docs', async () => {
      const response = await t.api.get('/api/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.text).toMatch(/swagger/i);
    });
  });
});
