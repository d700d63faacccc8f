/**
 * Authorization from the attacker's side, for every route that exists today: users,
 * institutions and me. Each role tries what it may and what it may not; the answers are
 * checked as the client sees them (status, problem code, field names).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { familyRow } from '../harness/host-families.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast, login, newInstitution, newUser, signedIn, type Session } from '../harness/factories.js';
import { expectProblem } from '../harness/expect.js';

type Cast = Awaited<ReturnType<typeof cast>>;

const unique = () => randomBytes(4).toString('hex');
const email = (prefix = 'user') => `${prefix}.${unique()}@access.example`;
const STRONG_PASSWORD = 'lilac-tractor-umbrella-93';

function expectNoSecrets(response: ApiResponse): void {
  expect(response.text).not.toMatch(/passwordHash|password_hash|\$argon2/);
}

const ids = (response: ApiResponse) => (response.body.items as { id: string }[]).map((item) => item.id);

/** Follows nextCursor to the end; returns every page. */
async function walk(t: TestApp, path: string, query: Record<string, string | number>, token?: string, from?: string): Promise<ApiResponse[]> {
  const pages: ApiResponse[] = [];
  let cursor = from;
  for (let i = 0; i < 50; i++) {
    const page = await t.api.get(path, { token, query: { ...query, cursor } });
    expect(page.status).toBe(200);
    pages.push(page);
    if (page.body.nextCursor === null) return pages;
    expect(typeof page.body.nextCursor).toBe('string');
    cursor = page.body.nextCursor;
  }
  throw new Error(`${path} did not end after 50 pages`);
}

const institutionBody = (overrides: Record<string, unknown> = {}) => ({
  name: `Institution ${unique()}`,
  shortName: 'INST',
  city: 'Karlsruhe',
  country: 'DE',
  kind: 'university',
  timezone: 'Europe/Berlin',
  ...overrides,
});

describe('access control', () => {
  let t: TestApp;
  let people: Cast;

  beforeAll(async () => {
    // Many sign-ins from one address: the per-address login limit is not what is tested here.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    people = await cast(t.dataSource, t.api);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /users', () => {
    const staff = (overrides: Record<string, unknown> = {}) => ({ email: email('staff'), fullName: 'New Staff', ...overrides });

    it.each(['admin', 'coordinator', 'host_school', 'host_family'])('lets an admin create a %s at any institution', async (role) => {
      for (const institution of [people.home, people.other]) {
        // A host_family account acts for one family of the institution.
        const body = staff({ role, institutionId: institution.id, ...(role === 'host_family' ? { hostFamilyId: await familyRow(t.dataSource, institution.id) } : {}) });
        const response = await t.api.post('/users', body, { token: people.admin.token });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ id: expect.any(String), email: body.email, role, institutionId: institution.id });
        expectNoSecrets(response);
      }
    });

    it('lets an admin create another admin without an institution', async () => {
      const response = await t.api.post('/users', staff({ role: 'admin' }), { token: people.admin.token });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ role: 'admin', institutionId: null });
    });

    it('requires an institution for every role but admin', async () => {
      for (const role of ['coordinator', 'host_school', 'host_family']) {
        const response = await t.api.post('/users', staff({ role }), { token: people.admin.token });
        expectProblem(response, 400, 'validation.failed', ['institutionId']);
      }
    });

    it('refuses an institution that does not exist', async () => {
      const response = await t.api.post('/users', staff({ role: 'coordinator', institutionId: randomUUID() }), { token: people.admin.token });
      expectProblem(response, 400, 'validation.failed', ['institutionId']);
    });

    it('never creates a student (students register themselves)', async () => {
      for (const session of [people.admin, people.coordinator]) {
        const response = await t.api.post('/users', staff({ role: 'student', institutionId: people.home.id }), { token: session.token });
        expectProblem(response, 400, 'validation.failed', ['role']);
      }
    });

    it('refuses an unknown role', async () => {
      const response = await t.api.post('/users', staff({ role: 'superuser', institutionId: people.home.id }), { token: people.admin.token });
      expectProblem(response, 400, 'validation.failed', ['role']);
    });

    it.each(['host_school', 'host_family'])('lets a coordinator create a %s of its own institution, by default', async (role) => {
      const family = role === 'host_family' ? { hostFamilyId: await familyRow(t.dataSource, people.home.id) } : {};
      const implicit = await t.api.post('/users', staff({ role, ...family }), { token: people.coordinator.token });
      expect(implicit.status).toBe(201);
      expect(implicit.body).toMatchObject({ role, institutionId: people.home.id });

      const explicit = await t.api.post('/users', staff({ role, institutionId: people.home.id, ...family }), { token: people.coordinator.token });
      expect(explicit.status).toBe(201);
      expect(explicit.body).toMatchObject({ role, institutionId: people.home.id });
    });

    it("forbids a coordinator to create users of another institution", async () => {
      for (const role of ['host_school', 'host_family']) {
        const body = staff({ role, institutionId: people.other.id });
        const response = await t.api.post('/users', body, { token: people.coordinator.token });
        expectProblem(response, 403, 'access.forbidden');
        const lookup = await t.api.get('/users', { token: people.admin.token, query: { institutionId: people.other.id, limit: 100 } });
        expect(lookup.body.items.map((u: { email: string }) => u.email)).not.toContain(body.email);
      }
    });

    it('forbids a coordinator the coordinator and admin roles (403: an action not of its role)', async () => {
      for (const role of ['coordinator', 'admin']) {
        for (const institutionId of [undefined, people.home.id]) {
          const body = staff({ role, institutionId });
          expectProblem(await t.api.post('/users', body, { token: people.coordinator.token }), 403, 'access.forbidden');
          expect((await t.dataSource.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [body.email]))[0].n).toBe(0);
        }
      }
    });

    it('forbids host school staff, host families and students to create users', async () => {
      for (const session of [people.hostSchool, people.hostFamily, people.student, people.otherStudent]) {
        for (const role of ['host_school', 'host_family', 'coordinator', 'admin']) {
          const response = await t.api.post('/users', staff({ role, institutionId: people.home.id }), { token: session.token });
          expectProblem(response, 403, 'access.forbidden');
        }
      }
    });

    it('answers 401 without a token and with a forged one', async () => {
      const body = staff({ role: 'admin' });
      expectProblem(await t.api.post('/users', body), 401, 'auth.unauthenticated');
      expectProblem(await t.api.post('/users', body, { token: 'not.a.jwt' }), 401, 'auth.invalid_token');
      const [header, payload] = people.admin.token.split('.');
      expectProblem(await t.api.post('/users', body, { token: `${header}.${payload}.AAAA` }), 401, 'auth.invalid_token');
    });

    it('refuses a taken e-mail, whatever its case (409)', async () => {
      const body = staff({ role: 'host_school', institutionId: people.home.id });
      expect((await t.api.post('/users', body, { token: people.admin.token })).status).toBe(201);
      expectProblem(await t.api.post('/users', { ...body, fullName: 'Someone else' }, { token: people.admin.token }), 409, 'auth.email_taken');
      expectProblem(await t.api.post('/users', { ...body, email: body.email.toUpperCase() }, { token: people.coordinator.token }), 409, 'auth.email_taken');
      expectProblem(await t.api.post('/users', { ...staff({ role: 'admin' }), email: people.student.user.email }, { token: people.admin.token }), 409, 'auth.email_taken');
    });

    it('gives a created user with a password a working sign-in, and one without none', async () => {
      const withPassword = staff({ role: 'host_family', hostFamilyId: await familyRow(t.dataSource, people.home.id), password: STRONG_PASSWORD });
      const created = await t.api.post('/users', withPassword, { token: people.coordinator.token });
      expect(created.status).toBe(201);
      expectNoSecrets(created);
      expect(created.body).not.toHaveProperty('password');

      const session = await t.api.post('/auth/login', { email: withPassword.email, password: STRONG_PASSWORD });
      expect(session.status).toBe(200);
      expect(session.body.user).toMatchObject({ id: created.body.id, role: 'host_family', institutionId: people.home.id });
      expectNoSecrets(session);
      const me = await t.api.get('/me', { token: session.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(created.body.id);

      const withoutPassword = staff({ role: 'host_school' });
      expect((await t.api.post('/users', withoutPassword, { token: people.coordinator.token })).status).toBe(201);
      expectProblem(await t.api.post('/auth/login', { email: withoutPassword.email, password: STRONG_PASSWORD }), 401, 'auth.invalid_credentials');
    });

    it('refuses a too short or too common password', async () => {
      expectProblem(await t.api.post('/users', staff({ role: 'admin', password: 'short' }), { token: people.admin.token }), 400, 'validation.failed', ['password']);
      expectProblem(await t.api.post('/users', staff({ role: 'admin', password: 'password123' }), { token: people.admin.token }), 400, 'validation.failed', ['password']);
    });

    it('refuses mass assignment of fields it does not take, and writes nothing', async () => {
      const attempts: Record<string, unknown>[] = [
        { id: randomUUID() },
        { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB' },
        { createdAt: '2000-01-01T00:00:00Z' },
        { homeInstitutionId: people.other.id },
        { isAdmin: true },
      ];
      for (const extra of attempts) {
        const body = { ...staff({ role: 'host_school', institutionId: people.home.id }), ...extra };
        const response = await t.api.post('/users', body, { token: people.admin.token });
        expectProblem(response, 400, 'validation.failed', Object.keys(extra));
        const signIn = await t.api.post('/auth/login', { email: body.email, password: 'whatever-password' });
        expect(signIn.status).toBe(401);
        const list = await t.api.get('/users', { token: people.admin.token, query: { limit: 100, role: 'host_school' } });
        expect(list.body.items.map((u: { email: string }) => u.email)).not.toContain(body.email);
      }
    });

    it('refuses wrong types in the body with the fields named', async () => {
      const response = await t.api.post('/users', { email: 42, fullName: ['x'], role: 7, institutionId: 'not-a-uuid', locale: 'de' }, { token: people.admin.token });
      expectProblem(response, 400, 'validation.failed', ['email', 'fullName', 'role', 'institutionId', 'locale']);
    });
  });

  describe('GET /users', () => {
    it('shows an admin every user, and filters by role and institution', async () => {
      const all = await walk(t, '/users', { limit: 100 }, people.admin.token);
      const every = all.flatMap(ids);
      for (const session of Object.values(people).filter((p): p is Session => 'token' in p)) expect(every).toContain(session.user.id);

      const students = await t.api.get('/users', { token: people.admin.token, query: { role: 'student', limit: 100 } });
      expect(students.status).toBe(200);
      expect(students.body.items.length).toBeGreaterThanOrEqual(2);
      expect(students.body.items.every((u: { role: string }) => u.role === 'student')).toBe(true);
      expect(ids(students)).toEqual(expect.arrayContaining([people.student.user.id, people.otherStudent.user.id]));

      const atOther = await t.api.get('/users', { token: people.admin.token, query: { institutionId: people.other.id, limit: 100 } });
      expect(atOther.status).toBe(200);
      expect(atOther.body.items.every((u: { institutionId: string }) => u.institutionId === people.other.id)).toBe(true);
      expect(ids(atOther)).toEqual(expect.arrayContaining([people.otherCoordinator.user.id, people.otherStudent.user.id]));
      expect(ids(atOther)).not.toContain(people.coordinator.user.id);

      const both = await t.api.get('/users', { token: people.admin.token, query: { institutionId: people.home.id, role: 'coordinator', limit: 100 } });
      expect(ids(both)).toContain(people.coordinator.user.id);
      expect(both.body.items.every((u: { institutionId: string; role: string }) => u.institutionId === people.home.id && u.role === 'coordinator')).toBe(true);
      expectNoSecrets(both);
    });

    it('shows a coordinator only the users of its institution, whatever the filter', async () => {
      const own = await walk(t, '/users', { limit: 100 }, people.coordinator.token);
      const items = own.flatMap((page) => page.body.items as { id: string; institutionId: string }[]);
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((u) => u.institutionId === people.home.id)).toBe(true);
      expect(items.map((u) => u.id)).toEqual(expect.arrayContaining([people.student.user.id, people.hostSchool.user.id, people.hostFamily.user.id]));

      const sneaky = await t.api.get('/users', { token: people.coordinator.token, query: { institutionId: people.other.id, limit: 100 } });
      expect(sneaky.status).toBe(200);
      expect((sneaky.body.items as { institutionId: string }[]).filter((u) => u.institutionId !== people.home.id)).toEqual([]);
      expect(ids(sneaky)).not.toContain(people.otherStudent.user.id);
      expect(ids(sneaky)).not.toContain(people.otherCoordinator.user.id);

      const admins = await t.api.get('/users', { token: people.coordinator.token, query: { role: 'admin', limit: 100 } });
      expect(admins.status).toBe(200);
      expect(ids(admins)).not.toContain(people.admin.user.id);
    });

    it('forbids host school staff, host families and students', async () => {
      for (const session of [people.hostSchool, people.hostFamily, people.student]) {
        expectProblem(await t.api.get('/users', { token: session.token }), 403, 'access.forbidden');
        expectProblem(await t.api.get('/users', { token: session.token, query: { institutionId: people.home.id } }), 403, 'access.forbidden');
      }
      expectProblem(await t.api.get('/users'), 401, 'auth.unauthenticated');
    });

    it('walks 25 users in pages of 10 with no duplicate and no gap', async () => {
      const school = await newInstitution(t.dataSource, { name: `Paged ${unique()}` });
      const created: string[] = [];
      for (let i = 0; i < 25; i++) created.push((await newUser(t.dataSource, { role: i % 2 ? 'host_school' : 'student', institutionId: school.id })).id);

      const pages = await walk(t, '/users', { institutionId: school.id, limit: 10 }, people.admin.token);
      expect(pages.map((page) => page.body.items.length)).toEqual([10, 10, 5]);
      expect(pages[pages.length - 1].body.nextCursor).toBeNull();
      const seen = pages.flatMap(ids);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...created].sort());

      const emails = pages.flatMap((page) => page.body.items.map((u: { email: string }) => u.email));
      expect(emails).toEqual([...emails].sort());
    });

    it('ends with nextCursor null when the last page is exactly full, and lets a coordinator walk too', async () => {
      const school = await newInstitution(t.dataSource, { name: `Exact ${unique()}` });
      const coordinator = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: school.id });
      const created = [coordinator.user.id];
      for (let i = 0; i < 19; i++) created.push((await newUser(t.dataSource, { role: 'student', institutionId: school.id })).id);

      const pages = await walk(t, '/users', { limit: 10 }, coordinator.token);
      expect(pages.map((page) => page.body.items.length)).toEqual([10, 10]);
      expect([...pages.flatMap(ids)].sort()).toEqual([...created].sort());
    });

    it('keeps its place when rows are added before the cursor', async () => {
      const school = await newInstitution(t.dataSource, { name: `Moving ${unique()}` });
      const created: string[] = [];
      for (let i = 0; i < 12; i++) {
        created.push((await newUser(t.dataSource, { role: 'student', institutionId: school.id, email: `m${String(i).padStart(2, '0')}.${unique()}@access.example` })).id);
      }
      const first = await t.api.get('/users', { token: people.admin.token, query: { institutionId: school.id, limit: 5 } });
      expect(first.status).toBe(200);
      // sorts before everything already listed
      await newUser(t.dataSource, { role: 'student', institutionId: school.id, email: `a.${unique()}@access.example` });
      const rest = await walk(t, '/users', { institutionId: school.id, limit: 5 }, people.admin.token, first.body.nextCursor);
      const seen = [...ids(first), ...rest.flatMap(ids)];
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...created].sort());
    });

    it('refuses a limit out of 1..100 or not an integer (400 on limit)', async () => {
      for (const limit of ['101', '0', '-1', 'abc', '1.5', '1e2', '10abc']) {
        const response = await t.api.get(`/users?limit=${encodeURIComponent(limit)}`, { token: people.admin.token });
        expectProblem(response, 400, 'validation.failed', ['limit']);
        expect(JSON.stringify(response.body.errors)).not.toMatch(/\{\w+\}/);
      }
      const max = await t.api.get('/users', { token: people.admin.token, query: { limit: 100 } });
      expect(max.status).toBe(200);
    });

    it('refuses a forged cursor (400 on cursor, never 500)', async () => {
      const b64 = (value: string) => Buffer.from(value).toString('base64url');
      const forged = [
        'abc',
        '!!!',
        b64('not json'),
        b64('{"email":"a@b.c"}'),
        b64('[]'),
        b64('["a","b"]'),
        b64('[null]'),
        b64('[{"$gt":""}]'),
        b64('["\\u0000"]'),
        'x'.repeat(501),
      ];
      for (const cursor of forged) {
        const response = await t.api.get('/users', { token: people.admin.token, query: { cursor } });
        expectProblem(response, 400, 'validation.failed', ['cursor']);
      }
    });

    it('refuses bad filters (400 on the filter)', async () => {
      expectProblem(await t.api.get('/users', { token: people.admin.token, query: { role: 'root' } }), 400, 'validation.failed', ['role']);
      expectProblem(await t.api.get('/users', { token: people.admin.token, query: { institutionId: 'home' } }), 400, 'validation.failed', ['institutionId']);
      expectProblem(await t.api.get('/users', { token: people.admin.token, query: { password: 'x' } }), 400, 'validation.failed', ['password']);
    });
  });

  describe('GET /users/{id}', () => {
    it('shows every user their own record', async () => {
      for (const session of [people.admin, people.coordinator, people.hostSchool, people.hostFamily, people.student]) {
        const response = await t.api.get(`/users/${session.user.id}`, { token: session.token });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ id: session.user.id, email: session.user.email, role: session.user.role });
        expectNoSecrets(response);
      }
    });

    it("shows a coordinator its institution's users and hides the other institution's (404)", async () => {
      for (const target of [people.student, people.hostSchool, people.hostFamily]) {
        const response = await t.api.get(`/users/${target.user.id}`, { token: people.coordinator.token });
        expect(response.status).toBe(200);
        expect(response.body.id).toBe(target.user.id);
      }
      for (const target of [people.otherStudent, people.otherCoordinator, people.admin]) {
        expectProblem(await t.api.get(`/users/${target.user.id}`, { token: people.coordinator.token }), 404, 'user.not_found');
      }
    });

    it('hides other users from students and host roles (404, like a missing one)', async () => {
      const classmate = await newUser(t.dataSource, { role: 'student', institutionId: people.home.id });
      const cases: [Session, string[]][] = [
        [people.student, [classmate.id, people.otherStudent.user.id, people.coordinator.user.id, people.admin.user.id]],
        [people.hostSchool, [people.student.user.id, people.coordinator.user.id, people.hostFamily.user.id]],
        [people.hostFamily, [people.student.user.id, people.hostSchool.user.id]],
      ];
      for (const [session, targets] of cases) {
        for (const id of [...targets, randomUUID()]) {
          const response = await t.api.get(`/users/${id}`, { token: session.token });
          expectProblem(response, 404, 'user.not_found');
        }
      }
    });

    it('shows an admin every user', async () => {
      for (const target of [people.otherStudent, people.coordinator, people.hostFamily]) {
        const response = await t.api.get(`/users/${target.user.id}`, { token: people.admin.token });
        expect(response.status).toBe(200);
        expect(response.body.id).toBe(target.user.id);
      }
    });

    it('answers 400 for an id that is not a UUID and 404 for an unknown one, never 500', async () => {
      for (const id of ['abc', '123', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g', '%00', 'null']) {
        expectProblem(await t.api.get(`/users/${encodeURIComponent(id)}`, { token: people.admin.token }), 400, 'validation.failed', ['id']);
      }
      expectProblem(await t.api.get(`/users/${randomUUID()}`, { token: people.admin.token }), 404, 'user.not_found');
      expectProblem(await t.api.get(`/users/${randomUUID()}`), 401, 'auth.unauthenticated');
    });
  });

  describe('/me', () => {
    it('shows each role itself, never a password hash', async () => {
      for (const session of [people.admin, people.coordinator, people.hostSchool, people.hostFamily, people.student]) {
        const response = await t.api.get('/me', { token: session.token });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ id: session.user.id, role: session.user.role, institutionId: session.user.institutionId });
        expectNoSecrets(response);
      }
      expectProblem(await t.api.get('/me'), 401, 'auth.unauthenticated');
      expectProblem(await t.api.get('/me', { token: 'garbage' }), 401, 'auth.invalid_token');
    });

    it('changes fullName and locale only; role, institution and e-mail cannot be written', async () => {
      const self = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: people.home.id });
      const attempts: Record<string, unknown>[] = [
        { role: 'admin' },
        { institutionId: people.other.id },
        { homeInstitutionId: people.other.id },
        { email: email('stolen') },
        { id: randomUUID() },
        { passwordHash: 'x' },
        { hostFamilyId: randomUUID() },
        { fullName: 'Legit', role: 'coordinator' },
      ];
      for (const body of attempts) {
        const fields = Object.keys(body).filter((field) => field !== 'fullName');
        expectProblem(await t.api.patch('/me', body, { token: self.token }), 400, 'validation.failed', fields);
      }
      const unchanged = await t.api.get('/me', { token: self.token });
      expect(unchanged.body).toMatchObject({ id: self.user.id, role: 'student', institutionId: people.home.id, email: self.user.email, fullName: self.user.fullName });

      const changed = await t.api.patch('/me', { fullName: 'Renamed Student', locale: 'ru' }, { token: self.token });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ fullName: 'Renamed Student', locale: 'ru', role: 'student' });

      expectProblem(await t.api.patch('/me', { fullName: null }, { token: self.token }), 400, 'validation.failed', ['fullName']);
      expectProblem(await t.api.patch('/me', { locale: 'de' }, { token: self.token }), 400, 'validation.failed', ['locale']);
      expectProblem(await t.api.patch('/me', { fullName: 'x' }), 401, 'auth.unauthenticated');
    });
  });

  describe('institutions', () => {
    it('lists and shows institutions without a token', async () => {
      const list = await t.api.get('/institutions');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: expect.any(Array), nextCursor: null });
      expect(ids(list)).toEqual(expect.arrayContaining([people.home.id, people.other.id]));

      const one = await t.api.get(`/institutions/${people.other.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: people.other.id, name: people.other.name, country: 'RU', timezone: 'Europe/Moscow' });

      // a token changes nothing (and a student sees them too: registration needs them)
      const asStudent = await t.api.get(`/institutions/${people.other.id}`, { token: people.student.token });
      expect(asStudent.body).toEqual(one.body);
    });

    it('pages institutions by name with no duplicate and no gap', async () => {
      const created: string[] = [];
      for (let i = 0; i < 12; i++) {
        created.push((await newInstitution(t.dataSource, { name: `${'ZYXWVUTSRQPO'[i]} Japan ${unique()}`, country: 'JP', timezone: 'Asia/Tokyo' })).id);
      }
      const pages = await walk(t, '/institutions', { country: 'JP', limit: 5 });
      expect(pages.map((page) => page.body.items.length)).toEqual([5, 5, 2]);
      const seen = pages.flatMap(ids);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...created].sort());
      const names = pages.flatMap((page) => page.body.items.map((i: { name: string }) => i.name));
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

      const lower = await t.api.get('/institutions', { query: { country: 'jp', limit: 100 } });
      expect(lower.status).toBe(200);
      expect(ids(lower).sort()).toEqual([...created].sort());
    });

    it('refuses bad list parameters (400, never 500)', async () => {
      expectProblem(await t.api.get('/institutions', { query: { limit: 101 } }), 400, 'validation.failed', ['limit']);
      expectProblem(await t.api.get('/institutions', { query: { limit: 0 } }), 400, 'validation.failed', ['limit']);
      expectProblem(await t.api.get('/institutions', { query: { kind: 'college' } }), 400, 'validation.failed', ['kind']);
      expectProblem(await t.api.get('/institutions', { query: { country: 'FRA' } }), 400, 'validation.failed', ['country']);
      const b64 = (value: string) => Buffer.from(value).toString('base64url');
      for (const cursor of ['abc', b64('["a"]'), b64('["a","not-a-uuid"]'), b64('[1,2]'), b64('["\\u0000","x"]'), b64('{"name":"a"}')]) {
        expectProblem(await t.api.get('/institutions', { query: { cursor } }), 400, 'validation.failed', ['cursor']);
      }
    });

    it('answers 404 for an unknown institution and 400 for a malformed id', async () => {
      expectProblem(await t.api.get(`/institutions/${randomUUID()}`), 404, 'institution.not_found');
      expectProblem(await t.api.get('/institutions/nancy'), 400, 'validation.failed', ['id']);
    });

    it('lets only an admin create one', async () => {
      const created = await t.api.post('/institutions', institutionBody({ schacCode: 'kit.edu', erasmusCode: 'D KARLSRU01' }), { token: people.admin.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), country: 'DE', kind: 'university', schacCode: 'kit.edu', erasmusCode: 'D KARLSRU01' });
      expect((await t.api.get(`/institutions/${created.body.id}`)).body).toEqual(created.body);

      for (const session of [people.coordinator, people.hostSchool, people.hostFamily, people.student]) {
        const body = institutionBody();
        expectProblem(await t.api.post('/institutions', body, { token: session.token }), 403, 'access.forbidden');
        const search = await t.api.get('/institutions', { query: { country: 'DE', limit: 100 } });
        expect(search.body.items.map((i: { name: string }) => i.name)).not.toContain(body.name);
      }
      expectProblem(await t.api.post('/institutions', institutionBody()), 401, 'auth.unauthenticated');
      expectProblem(await t.api.post('/institutions', institutionBody(), { token: 'x.y.z' }), 401, 'auth.invalid_token');
    });

    it('stores a time zone the way IANA spells it', async () => {
      const created = await t.api.post('/institutions', institutionBody({ timezone: 'europe/berlin' }), { token: people.admin.token });
      expect(created.status).toBe(201);
      expect(created.body.timezone).toBe('Europe/Berlin');
    });

    it('lets only an admin change one', async () => {
      for (const session of [people.coordinator, people.otherCoordinator, people.hostSchool, people.hostFamily, people.student]) {
        expectProblem(await t.api.patch(`/institutions/${people.home.id}`, { city: 'Hacked' }, { token: session.token }), 403, 'access.forbidden');
      }
      expectProblem(await t.api.patch(`/institutions/${people.home.id}`, { city: 'Hacked' }), 401, 'auth.unauthenticated');
      expect((await t.api.get(`/institutions/${people.home.id}`)).body.city).toBe(people.home.city);

      const target = await newInstitution(t.dataSource);
      const changed = await t.api.patch(`/institutions/${target.id}`, { city: 'Metz', erasmusCode: 'F METZ01' }, { token: people.admin.token });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ id: target.id, name: target.name, city: 'Metz', erasmusCode: 'F METZ01' });
      expect((await t.api.get(`/institutions/${target.id}`)).body).toEqual(changed.body);
    });

    it('validates country, timezone and kind (400 on the field)', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ country: 'FRA' }, 'country'],
        [{ country: 'XX' }, 'country'],
        [{ country: 12 }, 'country'],
        [{ timezone: 'Mars/Base' }, 'timezone'],
        [{ timezone: 'Paris' }, 'timezone'],
        [{ kind: 'college' }, 'kind'],
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ schacCode: 'not a domain' }, 'schacCode'],
      ];
      const target = await newInstitution(t.dataSource);
      for (const [override, field] of cases) {
        const body = institutionBody(override);
        expectProblem(await t.api.post('/institutions', body, { token: people.admin.token }), 400, 'validation.failed', [field]);
        expectProblem(await t.api.patch(`/institutions/${target.id}`, override, { token: people.admin.token }), 400, 'validation.failed', [field]);
      }
      const required = await t.api.post('/institutions', {}, { token: people.admin.token });
      expectProblem(required, 400, 'validation.failed', ['name', 'shortName', 'city', 'country', 'kind', 'timezone']);
      expect((await t.api.get(`/institutions/${target.id}`)).body).toMatchObject({ name: target.name, country: target.country, timezone: target.timezone, kind: target.kind });
    });

    it('refuses a taken name (409 institution.name_taken) on create and on change', async () => {
      expectProblem(await t.api.post('/institutions', institutionBody({ name: people.home.name }), { token: people.admin.token }), 409, 'institution.name_taken');
      expectProblem(await t.api.post('/institutions', institutionBody({ name: `  ${people.home.name} ` }), { token: people.admin.token }), 409, 'institution.name_taken');
      const target = await newInstitution(t.dataSource);
      expectProblem(await t.api.patch(`/institutions/${target.id}`, { name: people.other.name }, { token: people.admin.token }), 409, 'institution.name_taken');
      expect((await t.api.get(`/institutions/${target.id}`)).body.name).toBe(target.name);
      // renaming to its own name is no conflict
      expect((await t.api.patch(`/institutions/${target.id}`, { name: target.name }, { token: people.admin.token })).status).toBe(200);
    });

    it('refuses null for a required field and changes nothing', async () => {
      const target = await newInstitution(t.dataSource);
      for (const field of ['name', 'shortName', 'city', 'country', 'kind', 'timezone']) {
        expectProblem(await t.api.patch(`/institutions/${target.id}`, { erasmusCode: 'F CHANGED', [field]: null }, { token: people.admin.token }), 400, 'validation.failed', [field]);
      }
      const after = await t.api.get(`/institutions/${target.id}`);
      expect(after.body).toMatchObject({ name: target.name, shortName: target.shortName, city: target.city, country: target.country, kind: target.kind, timezone: target.timezone, erasmusCode: null });
      // the optional codes may be cleared
      const cleared = await t.api.patch(`/institutions/${target.id}`, { schacCode: null, erasmusCode: null }, { token: people.admin.token });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ schacCode: null, erasmusCode: null });
    });

    it('answers 404 for a change of an unknown institution', async () => {
      expectProblem(await t.api.patch(`/institutions/${randomUUID()}`, { city: 'Nowhere' }, { token: people.admin.token }), 404, 'institution.not_found');
      expectProblem(await t.api.patch('/institutions/not-a-uuid', { city: 'Nowhere' }, { token: people.admin.token }), 400, 'validation.failed', ['id']);
    });

    it('refuses unknown fields on create and change, and writes nothing', async () => {
      const target = await newInstitution(t.dataSource);
      for (const extra of [{ id: randomUUID() }, { createdAt: '2000-01-01T00:00:00Z' }, { website: 'https://example.org' }]) {
        const body = institutionBody(extra);
        expectProblem(await t.api.post('/institutions', body, { token: people.admin.token }), 400, 'validation.failed', Object.keys(extra));
        const search = await t.api.get('/institutions', { query: { country: 'DE', limit: 100 } });
        expect(search.body.items.map((i: { name: string }) => i.name)).not.toContain(body.name);
        expectProblem(await t.api.patch(`/institutions/${target.id}`, { city: 'Changed', ...extra }, { token: people.admin.token }), 400, 'validation.failed', Object.keys(extra));
      }
      const after = await t.api.get(`/institutions/${target.id}`);
      expect(after.body).toMatchObject({ id: target.id, city: target.city });
    });
  });

  it('keeps signed-in sessions of the cast valid throughout (sanity)', async () => {
    const again = await login(t.api, people.student.user);
    expect((await t.api.get('/me', { token: again.token })).status).toBe(200);
  });
});
