/**
 * OWASP API4:2023, unrestricted resource consumption: what one client can make the server
 * read, keep, compute or store is bounded, and the bound answers before the work is done.
 *
 * - pages: 20 by default, at most 100 (`limit` beyond is 400, never silently cut);
 * - bodies: 1 MiB of JSON or form (413, also when the length is only announced or the body
 *   streams in chunks), nesting at most 32 deep, every string field of every JSON body of the
 *   API with a maximum length;
 * - uploads: 10 MiB a file, one file and two fields a form, at most 20 documents an
 *   application, however many uploads race (refused files leave nothing on disk);
 * - credential routes (sign-in, registration, password setting, in the API and the portal)
 *   throttled per client address, 429 with Retry-After; a forged X-Forwarded-For does not
 *   open a new window unless TRUST_PROXY says the proxies are believed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { MAX_LIMIT } from '../../src/common/pagination/pagination.js';
import { TokenService } from '../../src/auth/token.service.js';
import { MAX_DOCUMENTS_PER_APPLICATION } from '../../src/documents/documents.service.js';
import type { Institution } from '../../src/institutions/institution.entity.js';
import type { Role, User } from '../../src/users/user.entity.js';
import type { ApiResponse } from '../harness/api.js';
import { draftApplication } from '../harness/applications.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { newInstitution, newUser, PASSWORD, type Session } from '../harness/factories.js';
import { activeAgreement, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';
import { PortalClient } from '../harness/portal.js';
import { formOf, pdfWith, send } from '../harness/uploads.js';

interface People {
  home: Institution;
  admin: Session;
  coordinator: Session;
  hostFamily: Session;
  student: Session;
  otherStudent: Session;
}
type Schema = Record<string, any>;

/** Client-address budget of the credential routes in this file (each route has its own). */
const PER_IP = 4;
const WINDOW_SECONDS = 300;
const MIB = 1024 * 1024;
/** Longer than any text the API takes (its longest fields take 20 000 characters). */
const LONG = 50_000;
const unique = () => randomBytes(4).toString('hex');

/** Sends a request with node:http, for what fetch will not do (announce a length it does not send). */
function rawHttp(baseUrl: string, options: { method: string; path: string; headers: Record<string, string | number>; body?: Buffer; chunks?: Buffer[] }): Promise<{ status: number; text: string }> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: options.path, method: options.method, headers: options.headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    // The server may answer and close before the body is all sent: that is the point.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    if (options.chunks) for (const chunk of options.chunks) request.write(chunk);
    if (options.body) request.write(options.body);
    request.end();
  });
}

describe('API4 unrestricted resource consumption', () => {
  let t: TestApp;
  let people: People;
  let partner: () => Promise<Partner>;
  let doc: Schema;
  let student: PortalClient;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: String(PER_IP), LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS), LOGIN_MAX_PER_EMAIL: '100' });
    // The people of this file get their sessions without the sign-in route, whose budget per address is small here.
    const tokens = t.app.get(TokenService);
    const sessionOf = async (user: User): Promise<Session> => {
      const pair = await tokens.issue(user);
      return { user, token: pair.accessToken, refreshToken: pair.refreshToken };
    };
    const home = await newInstitution(t.dataSource);
    const as = async (role: Role, institutionId: string | null) => sessionOf(await newUser(t.dataSource, { role, institutionId }));
    people = { home, admin: await as('admin', null), coordinator: await as('coordinator', home.id), hostFamily: await as('host_family', home.id), student: await as('student', home.id), otherStudent: await as('student', home.id) };
    partner = async () => {
      const institution = await newInstitution(t.dataSource);
      return { institutionId: institution.id, coordinator: await as('coordinator', institution.id) };
    };
    student = new PortalClient(t.baseUrl);
    await student.signIn(people.student.user.email, PASSWORD);
    await t.dataSource.query('DELETE FROM rate_limit_buckets');
    doc = (await t.api.get('/api/docs-json')).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('pages', () => {
    it(`answers 20 by default and at most ${MAX_LIMIT}; a larger limit is 400, not a cut`, async () => {
      // 120 institutions (the public list), written at once.
      await t.dataSource.query(
        `INSERT INTO institutions (name, short_name, city, country, kind, timezone)
         SELECT 'Bulk ' || $1 || '-' || n, 'B' || n, 'Nancy', 'FR', 'school', 'Europe/Paris' FROM generate_series(1, 120) AS n`,
        [unique()],
      );
      const first = await t.api.get('/institutions');
      expect(first.body.items).toHaveLength(20);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect((await t.api.get('/institutions', { query: { limit: MAX_LIMIT } })).body.items).toHaveLength(MAX_LIMIT);
      for (const limit of [MAX_LIMIT + 1, 1_000_000, '1e3', '100.5', -1, 0]) {
        expectProblem(await t.api.get('/institutions', { query: { limit } }), 400, 'validation.failed', ['limit']);
      }
    });

    it(`refuses limit=${MAX_LIMIT + 1} on every list of the API, for the roles that may read it`, async () => {
      const lists = Object.entries(doc.paths as Record<string, Record<string, Schema>>).filter(([, ops]) => (ops.get?.parameters ?? []).some((p: Schema) => p.name === 'limit'));
      expect(lists.length).toBeGreaterThan(10);
      const issues: string[] = [];
      for (const [template] of lists) {
        const path = template.replace(/\{[^}]+\}/g, randomUUID());
        for (const who of [people.admin, people.coordinator, people.student, people.hostFamily]) {
          const response = await t.api.get(path, { token: who.token, query: { limit: MAX_LIMIT + 1 } });
          // A role the route is not for is refused before anything is read (403); the others must name the limit.
          if (response.status === 403) continue;
          const named = (response.body?.errors ?? []).some((e: { field: string }) => e.field === 'limit');
          if (response.status !== 400 || !named) issues.push(`${template} as ${who.user.role}: ${response.status} ${response.text.slice(0, 120)}`);
        }
      }
      expect(issues).toEqual([]);
    });
  });

  describe('bodies', () => {
    it('refuses more than 1 MiB before reading it: announced, streamed in chunks, or as a portal form', async () => {
      // Announced: the server answers on the header alone.
      const announced = await rawHttp(t.baseUrl, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': 50 * MIB }, body: Buffer.from('{"email":') });
      expect(announced.status).toBe(413);
      // Streamed without a length: cut at the limit.
      const chunk = Buffer.from(`"${'x'.repeat(64 * 1024 - 2)}",`);
      const chunked = await rawHttp(t.baseUrl, {
        method: 'POST',
        path: '/api/v1/auth/register',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        chunks: [Buffer.from('{"fullName":['), ...Array.from({ length: 40 }, () => chunk), Buffer.from('""]}')],
      });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.text).code).toBe('request.body_too_large');
      // The portal's forms have the same limit.
      const form = await student.post('/language', { locale: 'fr', next: '/', padding: 'x'.repeat(MIB + 10) });
      expect(form.status).toBe(413);
    });

    it('refuses nesting deeper than 32 with the deep field named, however deep, never with a 5xx', async () => {
      const nested = (depth: number) => '{"matchingProfile":' + '{"notes":'.repeat(depth) + '"x"' + '}'.repeat(depth) + '}';
      for (const depth of [40, 10_000, 100_000]) {
        const response = await t.api.post('/applications', undefined, { token: people.student.token, raw: nested(depth), headers: { 'content-type': 'application/json' } });
        expectProblem(response, 400, 'validation.failed');
        expect(response.body.errors[0].field).toMatch(/^matchingProfile(\.notes)+$/);
      }
      // An array nested as deep is refused the same way.
      const arrays = await t.api.post('/auth/login', undefined, { raw: `{"email":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, headers: { 'content-type': 'application/json' } });
      expectProblem(arrays, 400, 'validation.failed');
    });

    it('bounds every string field of every JSON body of the API: 50 000 characters are refused with the field named', async () => {
      const resolve = (schema: Schema | undefined): Schema | undefined => {
        if (!schema?.$ref) return schema;
        return resolve(doc.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')]);
      };
      /** Every path to a string in a body of that schema (one level into nested objects and arrays of objects). */
      const stringPaths = (schema: Schema | undefined, prefix = '', depth = 0): { path: string; body: unknown }[] => {
        const resolved = resolve(schema);
        const out: { path: string; body: unknown }[] = [];
        for (const [name, raw] of Object.entries((resolved?.properties ?? {}) as Record<string, Schema>)) {
          const property = resolve(raw.allOf?.[0] ?? raw)!;
          const path = prefix ? `${prefix}.${name}` : name;
          const wrap = (inner: unknown) => ({ [name]: inner });
          if (property.type === 'string' && !property.enum) out.push({ path, body: wrap('x'.repeat(LONG)) });
          else if (property.type === 'array' && resolve(property.items)?.type === 'string' && !resolve(property.items)?.enum) out.push({ path: `${path}[0]`, body: wrap(['x'.repeat(LONG)]) });
          else if (depth < 2 && property.type === 'array' && resolve(property.items)?.properties)
            out.push(...stringPaths(property.items, `${path}[0]`, depth + 1).map((p) => ({ path: p.path, body: wrap([p.body]) })));
          else if (depth < 2 && property.properties) out.push(...stringPaths(property, path, depth + 1).map((p) => ({ path: p.path, body: wrap(p.body) })));
        }
        return out;
      };
      const issues: string[] = [];
      let probed = 0;
      for (const [template, operations] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          const schema = operation.requestBody?.content?.['application/json']?.schema;
          if (!schema) continue;
          const path = template.replace(/\{[^}]+\}/g, randomUUID());
          for (const probe of stringPaths(schema)) {
            probed += 1;
            let response: ApiResponse = await t.api.request(method.toUpperCase(), path, probe.body, { token: people.admin.token });
            if (response.status === 403) response = await t.api.request(method.toUpperCase(), path, probe.body, { token: people.student.token });
            const fields = ((response.body?.errors ?? []) as { field: string }[]).map((e) => e.field);
            // An item of a list of strings is named by its list (`languages`), others by their path.
            const named = fields.includes(probe.path) || fields.includes(probe.path.replace(/\[0\]$/, ''));
            if (response.status !== 400 || !named) issues.push(`${method.toUpperCase()} ${template} ${probe.path}: ${response.status} ${JSON.stringify(fields)}`);
          }
        }
      }
      expect(probed).toBeGreaterThan(40);
      expect(issues).toEqual([]);
    });
  });

  describe('uploads', () => {
    let applicationId: string;
    const folder = () => join(t.settings.dataDir, 'documents');
    const filesOnDisk = () => {
      try {
        return readdirSync(folder()).length;
      } catch {
        return 0;
      }
    };

    beforeAll(async () => {
      const [sending, receiving] = [await partner(), await partner()];
      const agreement = await activeAgreement(t, { partners: [sending, receiving], quotas: quotasBothWays([sending.institutionId, receiving.institutionId], 10) });
      // A student of the sending institution (moved there from the home one).
      await t.dataSource.query('UPDATE users SET institution_id = $2 WHERE id = $1', [people.otherStudent.user.id, sending.institutionId]);
      const program = await publishedProgram(t, sending.coordinator, agreement.id, sending.institutionId, receiving.institutionId, { requiredDocuments: [], requiresLearningAgreement: false });
      applicationId = (await draftApplication(t, people.otherStudent, program)).id;
    });

    const uploadOne = (content: Uint8Array, extra: { name: string; value: string }[] = []) =>
      send(t, 'POST', `/applications/${applicationId}/documents`, formOf([{ name: 'type', value: 'other' }, ...extra, { name: 'file', content, fileName: 'page.pdf', contentType: 'application/pdf' }]), people.otherStudent.token);

    it('refuses a file over 10 MiB, a second file, a third field, with 413 and nothing kept', async () => {
      const before = filesOnDisk();
      expectProblem(await uploadOne(Buffer.concat([pdfWith('big'), Buffer.alloc(10 * MIB)])), 413);
      const twoFiles = formOf([
        { name: 'type', value: 'other' },
        { name: 'file', content: pdfWith('a'), fileName: 'a.pdf' },
        { name: 'file', content: pdfWith('b'), fileName: 'b.pdf' },
      ]);
      expect((await send(t, 'POST', `/applications/${applicationId}/documents`, twoFiles, people.otherStudent.token)).status).toBeGreaterThanOrEqual(400);
      const manyFields = formOf([...Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, value: 'x' })), { name: 'file', content: pdfWith('c'), fileName: 'c.pdf' }]);
      const fields = await send(t, 'POST', `/applications/${applicationId}/documents`, manyFields, people.otherStudent.token);
      expect(fields.status).toBeGreaterThanOrEqual(400);
      expect(fields.status).toBeLessThan(500);
      expect(filesOnDisk()).toBe(before);
      expect((await t.api.get(`/applications/${applicationId}/documents`, { token: people.otherStudent.token })).body.items).toHaveLength(0);
    });

    it(`holds an application to ${MAX_DOCUMENTS_PER_APPLICATION} documents, however many uploads race, and keeps no file of the refused ones`, async () => {
      const answers = await Promise.all(Array.from({ length: MAX_DOCUMENTS_PER_APPLICATION + 6 }, (_, i) => uploadOne(pdfWith(`page ${i}`))));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(MAX_DOCUMENTS_PER_APPLICATION);
      for (const refused of answers.filter((a) => a.status !== 201)) expectProblem(refused, 409, 'document.limit_reached');
      expect((await t.api.get(`/applications/${applicationId}/documents`, { token: people.otherStudent.token })).body.items).toHaveLength(MAX_DOCUMENTS_PER_APPLICATION);
      expect(filesOnDisk()).toBe(MAX_DOCUMENTS_PER_APPLICATION);
      // One more, alone, is refused before its file is written; deleting one (a draft) makes room again.
      expectProblem(await uploadOne(pdfWith('one more')), 409, 'document.limit_reached');
      expect(filesOnDisk()).toBe(MAX_DOCUMENTS_PER_APPLICATION);
      const [oldest] = (await t.api.get(`/applications/${applicationId}/documents`, { token: people.otherStudent.token })).body.items;
      expect((await t.api.delete(`/documents/${oldest.id}`, { token: people.otherStudent.token })).status).toBe(204);
      expect((await uploadOne(pdfWith('replacement'))).status).toBe(201);
    });
  });

  describe('credential routes, throttled per client address', () => {
    // Each route's budget counted from zero here: the probes above went through these routes too.
    beforeAll(async () => {
      await t.dataSource.query('DELETE FROM rate_limit_buckets');
    });

    const expectThrottled = (response: { status: number; headers: Headers }, what: string) => {
      expect({ what, status: response.status }).toEqual({ what, status: 429 });
      const retryAfter = Number(response.headers.get('retry-after'));
      expect({ what, retryAfter: Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= WINDOW_SECONDS }).toEqual({ what, retryAfter: true });
    };
    const registration = () => ({ email: `flood.${unique()}@test.example`, password: 'violet-Otter-sings-at-7-dawn', fullName: 'Flood', homeInstitutionId: people.home.id });

    it(`lets ${PER_IP} registrations from one address through, then 429 with Retry-After, in the API and the portal alike`, async () => {
      for (let i = 0; i < PER_IP; i++) expect((await t.api.post('/auth/register', registration())).status).toBe(201);
      const refused = await t.api.post('/auth/register', registration());
      expectProblem(refused, 429, 'rate_limit.exceeded');
      expectThrottled(refused, 'API registration');
      const visitor = new PortalClient(t.baseUrl);
      await visitor.get('/register');
      const body = registration();
      expectThrottled(await visitor.post('/register', { ...body, homeInstitutionId: body.homeInstitutionId }), 'portal registration');
      // Nobody was created by the refused ones.
      const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'flood.%'`)) as { n: number }[];
      expect(n).toBe(PER_IP);
    });

    it('does not open a new window for a forged X-Forwarded-For (proxies are not believed unless TRUST_PROXY says so)', async () => {
      expect(t.settings.trustProxy).toBe(false);
      for (const forwarded of ['203.0.113.7', '198.51.100.1, 203.0.113.9', randomUUID()]) {
        expectThrottled(await t.api.post('/auth/register', registration(), { headers: { 'x-forwarded-for': forwarded, 'x-real-ip': forwarded, forwarded: `for=${forwarded}` } }), `forwarded ${forwarded}`);
      }
    });

    it(`throttles sign-in (API and portal) and password setting by address too, each after ${PER_IP} attempts`, async () => {
      for (let i = 0; i < PER_IP; i++) expect((await t.api.post('/auth/login', { email: `nobody.${unique()}@test.example`, password: 'whatever-it-is' })).status).toBe(401);
      // Whatever the account, the right password included.
      expectThrottled(await t.api.post('/auth/login', { email: people.coordinator.user.email, password: PASSWORD }), 'API sign-in');
      const visitor = new PortalClient(t.baseUrl);
      await visitor.get('/sign-in');
      expectThrottled(await visitor.post('/sign-in', { email: people.coordinator.user.email, password: PASSWORD, next: '/' }), 'portal sign-in');

      for (let i = 0; i < PER_IP; i++) expect((await t.api.post('/auth/set-password', { token: randomUUID(), password: 'violet-Otter-sings-at-7-dawn' })).status).toBe(400);
      expectThrottled(await t.api.post('/auth/set-password', { token: randomUUID(), password: 'violet-Otter-sings-at-7-dawn' }), 'set-password');
    });

    it('opens a new window once the old one is over', async () => {
      await t.dataSource.query(`UPDATE rate_limit_buckets SET resets_at = now() - interval '1 second'`);
      expect((await t.api.post('/auth/login', { email: people.coordinator.user.email, password: PASSWORD })).status).toBe(200);
      expect((await t.api.post('/auth/register', registration())).status).toBe(201);
    });
  });
});
