/**
 * The authentication contract (SPEC sections 2 and 5), from the attacker's side:
 * registration and mass assignment, sign-in and its throttling, refresh-token rotation and
 * reuse detection, logout, forged and tampered access tokens, GET/PATCH /me, and the
 * language of error answers.
 */
import jwt from 'jsonwebtoken';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { fieldMessages, titles } from '../../src/common/errors/catalogue.js';
import { Institution } from '../../src/institutions/institution.entity.js';
import { User } from '../../src/users/user.entity.js';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../harness/app.js';
import { login, newInstitution, newUser, PASSWORD, signedIn } from '../harness/factories.js';
import { expectProblem } from '../harness/expect.js';

const ISSUER = 'exchange-api';
const AUDIENCE = 'exchange-api';
/** Strong enough for the policy, and in no common-password list. */
const STRONG = 'violet-Otter-sings-at-7-dawn';

const unique = () => randomBytes(5).toString('hex');
const freshEmail = (prefix = 'reg') => `${prefix}.${unique()}@test.example`;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A 401 also tells the client how to authenticate. */
function expectUnauthorized(response: ApiResponse, code: string): void {
  expectProblem(response, 401, code);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

/** A 400 validation.failed naming the field. */
function expectFieldError(response: ApiResponse, field: string): void {
  expectProblem(response, 400, 'validation.failed');
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
}

function expectNoSecrets(response: ApiResponse): void {
  expect(response.text).not.toMatch(/passwordHash|password_hash|\$argon2/);
}

describe('authentication', () => {
  let t: TestApp;
  let home: Institution;

  beforeAll(async () => {
    // Far more sign-ins than the default per-address limit happen in this file; throttling
    // has its own apps below.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '1000' });
    home = await newInstitution(t.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const usersWithEmail = (email: string) => t.dataSource.manager.countBy(User, { email: email.toLowerCase() });
  const registration = (overrides: Record<string, unknown> = {}) => ({
    email: freshEmail(),
    password: STRONG,
    fullName: 'Anna Petrova',
    homeInstitutionId: home.id,
    ...overrides,
  });

  describe('POST /auth/register', () => {
    it('creates a student of the given home institution, usable to sign in', async () => {
      const body = registration({ email: `  Anna.${unique()}@Test.Example `, locale: 'ru' });
      const response = await t.api.post('/auth/register', body);

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        email: (body.email as string).trim().toLowerCase(),
        fullName: 'Anna Petrova',
        role: 'student',
        homeInstitutionId: home.id,
        institutionId: home.id,
        hostFamilyId: null,
        locale: 'ru',
      });
      expectNoSecrets(response);
      expect(response.body).not.toHaveProperty('password');

      const signIn = await t.api.post('/auth/login', { email: response.body.email, password: STRONG });
      expect(signIn.status).toBe(200);
      expect(signIn.body.user).toMatchObject({ id: response.body.id, role: 'student' });
    });

    it('defaults the locale to English', async () => {
      const response = await t.api.post('/auth/register', registration());
      expect(response.status).toBe(201);
      expect(response.body.locale).toBe('en');
    });

    it('refuses an e-mail already taken, whatever its case, and changes nothing', async () => {
      const first = registration();
      expect((await t.api.post('/auth/register', first)).status).toBe(201);

      const again = await t.api.post('/auth/register', registration({ email: first.email, fullName: 'Intruder' }));
      expectProblem(again, 409, 'auth.email_taken');
      const shouting = await t.api.post('/auth/register', registration({ email: first.email.toUpperCase(), password: 'another-Strong-pass-42' }));
      expectProblem(shouting, 409, 'auth.email_taken');

      expect(await usersWithEmail(first.email)).toBe(1);
      const owner = await t.dataSource.manager.findOneByOrFail(User, { email: first.email });
      expect(owner.fullName).toBe('Anna Petrova');
      // The original password still works, the intruder's does not.
      expect((await t.api.post('/auth/login', { email: first.email, password: STRONG })).status).toBe(200);
      expectUnauthorized(await t.api.post('/auth/login', { email: first.email, password: 'another-Strong-pass-42' }), 'auth.invalid_credentials');
    });

    it("refuses the e-mail of an existing staff account (no takeover of a coordinator's address)", async () => {
      const coordinator = await newUser(t.dataSource, { role: 'coordinator', institutionId: home.id });
      const response = await t.api.post('/auth/register', registration({ email: coordinator.email }));
      expectProblem(response, 409, 'auth.email_taken');
      const stored = await t.dataSource.manager.findOneByOrFail(User, { id: coordinator.id });
      expect(stored.role).toBe('coordinator');
      await expect(login(t.api, coordinator)).resolves.toMatchObject({ token: expect.any(String) });
    });

    it('answers two simultaneous registrations of one e-mail with one 201 and one 409, never a 500', async () => {
      const body = registration();
      const answers = await Promise.all([t.api.post('/auth/register', body), t.api.post('/auth/register', { ...body, fullName: 'Twin' })]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expectProblem(answers.find((a) => a.status === 409)!, 409, 'auth.email_taken');
      expect(await usersWithEmail(body.email)).toBe(1);
    });

    it('names every missing field', async () => {
      const response = await t.api.post('/auth/register', {});
      expectProblem(response, 400, 'validation.failed');
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'fullName', 'homeInstitutionId']));
    });

    it.each([
      ['shorter than 8 characters', 'Ab3$xyz'],
      ['longer than 128 characters', 'Zq8#vL2m'.repeat(16) + 'x'],
      ['not a string', 12345678901],
    ])('refuses a password %s', async (_case, password) => {
      const body = registration({ password });
      const response = await t.api.post('/auth/register', body);
      expectFieldError(response, 'password');
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it('accepts passwords of exactly 8 and exactly 128 characters', async () => {
      const eight = await t.api.post('/auth/register', registration({ password: 'Zq8#vL2m' }));
      expect(eight.status).toBe(201);
      const long = 'Zq8#vL2m'.repeat(16);
      expect(long).toHaveLength(128);
      const max = await t.api.post('/auth/register', registration({ password: long }));
      expect(max.status).toBe(201);
      expect((await t.api.post('/auth/login', { email: max.body.email, password: long })).status).toBe(200);
    });

    it.each(['password123', 'qwertyuiop', 'Password123', 'QWERTYUIOP'])('refuses the common password %s', async (password) => {
      const body = registration({ password });
      const response = await t.api.post('/auth/register', body);
      expectFieldError(response, 'password');
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it('refuses an unknown or malformed home institution', async () => {
      const unknown = registration({ homeInstitutionId: randomUUID() });
      expectFieldError(await t.api.post('/auth/register', unknown), 'homeInstitutionId');
      const malformed = registration({ homeInstitutionId: "1' OR '1'='1" });
      expectFieldError(await t.api.post('/auth/register', malformed), 'homeInstitutionId');
      expect(await usersWithEmail(unknown.email)).toBe(0);
      expect(await usersWithEmail(malformed.email)).toBe(0);
    });

    it('refuses a malformed e-mail, an empty name and an unknown locale', async () => {
      expectFieldError(await t.api.post('/auth/register', registration({ email: 'not-an-email' })), 'email');
      expectFieldError(await t.api.post('/auth/register', registration({ fullName: '   ' })), 'fullName');
      expectFieldError(await t.api.post('/auth/register', registration({ locale: 'de' })), 'locale');
    });

    describe('mass assignment', () => {
      it.each([
        ['role', () => 'admin'],
        ['role', () => 'coordinator'],
        ['institutionId', () => home.id],
        ['id', () => randomUUID()],
        ['hostFamilyId', () => randomUUID()],
        ['passwordHash', () => '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA'],
      ])('refuses %s in the body and creates nothing', async (field, value) => {
        const body = registration({ [field]: value() });
        const response = await t.api.post('/auth/register', body);

        expectFieldError(response, field);
        expect(await usersWithEmail(body.email)).toBe(0);
        if (field === 'id') expect(await t.dataSource.manager.countBy(User, { id: (body as Record<string, unknown>).id as string })).toBe(0);
        expectUnauthorized(await t.api.post('/auth/login', { email: body.email, password: STRONG }), 'auth.invalid_credentials');
      });

      it('refuses a __proto__ smuggled in the JSON and creates nothing', async () => {
        const body = registration();
        const raw = JSON.stringify(body).replace(/}$/, ',"__proto__":{"role":"admin"}}');
        const response = await t.api.post('/auth/register', undefined, { raw, headers: { 'content-type': 'application/json' } });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await usersWithEmail(body.email)).toBe(0);
      });
    });
  });

  describe('POST /auth/login', () => {
    it('returns an access token, a refresh token, expiresIn 900 and the user, with no password hash anywhere', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId: home.id });
      const response = await t.api.post('/auth/login', { email: user.email, password: PASSWORD });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        user: expect.objectContaining({ id: user.id, email: user.email, role: 'student', institutionId: home.id }),
      });
      expect(response.body.user).not.toHaveProperty('passwordHash');
      expectNoSecrets(response);

      const claims = jwt.decode(response.body.accessToken, { complete: true }) as jwt.Jwt;
      expect(claims.header.alg).toBe('HS256');
      expect(claims.payload).toMatchObject({ sub: user.id, iss: ISSUER, aud: AUDIENCE });
      const { exp, iat } = claims.payload as jwt.JwtPayload;
      expect(exp! - iat!).toBe(900);

      const me = await t.api.get('/me', { token: response.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(user.id);
    });

    it('accepts the e-mail in any case and with surrounding spaces', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId: home.id });
      const response = await t.api.post('/auth/login', { email: `  ${user.email.toUpperCase()} `, password: PASSWORD });
      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(user.id);
    });

    it('gives an unknown e-mail and a wrong password the very same answer', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId: home.id });
      const wrongPassword = await t.api.post('/auth/login', { email: user.email, password: 'not-the-password-1' });
      const unknownEmail = await t.api.post('/auth/login', { email: freshEmail('nobody'), password: 'not-the-password-1' });

      expectUnauthorized(wrongPassword, 'auth.invalid_credentials');
      expectUnauthorized(unknownEmail, 'auth.invalid_credentials');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(unknownEmail.text).toBe(wrongPassword.text);
      expect(unknownEmail.headers.get('www-authenticate')).toBe(wrongPassword.headers.get('www-authenticate'));
    });

    it('does not let an account without a password (invited staff) be signed into', async () => {
      const invited = await newUser(t.dataSource, { role: 'host_school', institutionId: home.id });
      await t.dataSource.manager.update(User, { id: invited.id }, { passwordHash: null });
      for (const password of [PASSWORD, '', 'x']) {
        const response = await t.api.post('/auth/login', { email: invited.email, password });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.body.accessToken).toBeUndefined();
      }
    });

    it('refuses malformed bodies with 400, not 401 or 500', async () => {
      expectFieldError(await t.api.post('/auth/login', { email: freshEmail() }), 'password');
      expectFieldError(await t.api.post('/auth/login', { password: PASSWORD }), 'email');
      expectFieldError(await t.api.post('/auth/login', { email: { $ne: null }, password: PASSWORD }), 'email');
      expectFieldError(await t.api.post('/auth/login', { email: freshEmail(), password: ['a', 'b'] }), 'password');
      expectFieldError(await t.api.post('/auth/login', { email: freshEmail(), password: PASSWORD, role: 'admin' }), 'role');
      // a huge password is refused before it reaches the (costly) hash
      expectFieldError(await t.api.post('/auth/login', { email: freshEmail(), password: 'x'.repeat(10_000) }), 'password');
      const notJson = await t.api.post('/auth/login', undefined, { raw: '{"email": ', headers: { 'content-type': 'application/json' } });
      expectProblem(notJson, 400, 'request.malformed_json');
    });
  });

  describe('POST /auth/login: the body is checked before the credentials', () => {
    it('never takes the credentials from the query string', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId: home.id });
      const response = await t.api.post('/auth/login', {}, { query: { email: user.email, password: PASSWORD } });
      expectProblem(response, 400, 'validation.failed', ['email', 'password']);
      const half = await t.api.post('/auth/login', { email: user.email }, { query: { password: PASSWORD } });
      expectFieldError(half, 'password');
      expect(half.body.accessToken).toBeUndefined();
    });

    it('signs in with the e-mail as normalized by the DTO, and answers the same session shape', async () => {
      const user = await newUser(t.dataSource, { role: 'coordinator', institutionId: home.id });
      const response = await t.api.post('/auth/login', { email: `\t${user.email.toUpperCase()}  `, password: PASSWORD });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user']);
      expect(response.body.user).toMatchObject({ id: user.id, email: user.email, role: 'coordinator' });
      expectNoSecrets(response);
    });
  });

  describe('passwords and names that look like ids', () => {
    it('keeps them as typed (only id fields are lower-cased)', async () => {
      const password = randomUUID().toUpperCase();
      const email = freshEmail('uuid');
      const fullName = randomUUID().toUpperCase();
      const registered = await t.api.post('/auth/register', { email, password, fullName, homeInstitutionId: home.id.toUpperCase() });
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ fullName, homeInstitutionId: home.id });
      expect((await t.api.post('/auth/login', { email, password })).status).toBe(200);
      expect((await t.api.post('/auth/login', { email, password: password.toLowerCase() })).status).toBe(401);
    });
  });

  describe('POST /auth/refresh', () => {
    it('works with a stale access token sent along (public routes ignore a bad bearer)', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const expired = jwt.sign({ role: 'student' }, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, subject: session.user.id, expiresIn: -60 });
      const refreshed = await t.api.post('/auth/refresh', { refreshToken: session.refreshToken }, { token: expired });
      expect(refreshed.status).toBe(200);
      expect((await t.api.get('/institutions', { token: 'x.y.z' })).status).toBe(200);
      expect((await t.api.post('/auth/login', { email: session.user.email, password: PASSWORD }, { token: expired })).status).toBe(200);
      // A protected route still refuses it.
      expectUnauthorized(await t.api.get('/me', { token: expired }), 'auth.invalid_token');
    });

    it('rotates: a new pair that works, and the spent token revokes the whole family when presented again', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });

      const rotated = await t.api.post('/auth/refresh', { refreshToken: session.refreshToken });
      expect(rotated.status).toBe(200);
      expect(rotated.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        user: expect.objectContaining({ id: session.user.id, role: 'student' }),
      });
      expectNoSecrets(rotated);
      expect(rotated.body.refreshToken).not.toBe(session.refreshToken);
      expect(rotated.body.accessToken).not.toBe(session.token);
      expect((await t.api.get('/me', { token: rotated.body.accessToken })).body.id).toBe(session.user.id);

      // The old token leaked and is replayed: refused, and the legitimate successor dies with it.
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: session.refreshToken }), 'auth.refresh_token_reused');
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken }), 'auth.invalid_refresh_token');
      // ...and stays dead.
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken }), 'auth.invalid_refresh_token');
    });

    it('lets only one of two simultaneous uses of a refresh token win, and then closes that session', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const answers = await Promise.all([
        t.api.post('/auth/refresh', { refreshToken: session.refreshToken }),
        t.api.post('/auth/refresh', { refreshToken: session.refreshToken }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
      const winner = answers.find((a) => a.status === 200)!;
      expectUnauthorized(answers.find((a) => a.status === 401)!, 'auth.refresh_token_reused');
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: winner.body.refreshToken }), 'auth.invalid_refresh_token');
    });

    it('refuses a made-up refresh token, or an access token in its place', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: 'garbage' }), 'auth.invalid_refresh_token');
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: randomBytes(32).toString('base64url') }), 'auth.invalid_refresh_token');
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: "' OR 1=1 --" }), 'auth.invalid_refresh_token');
      const accessAsRefresh = await t.api.post('/auth/refresh', { refreshToken: session.token });
      expect(accessAsRefresh.status).toBeGreaterThanOrEqual(400);
      expect(accessAsRefresh.status).toBeLessThan(500);
      expect(accessAsRefresh.body.accessToken).toBeUndefined();
    });

    it('refuses a missing or malformed refresh token field with 400', async () => {
      expectFieldError(await t.api.post('/auth/refresh', {}), 'refreshToken');
      expectFieldError(await t.api.post('/auth/refresh', { refreshToken: '' }), 'refreshToken');
      expectFieldError(await t.api.post('/auth/refresh', { refreshToken: 42 }), 'refreshToken');
      expectFieldError(await t.api.post('/auth/refresh', { refreshToken: 'x'.repeat(201) }), 'refreshToken');
    });

    it('refuses the refresh token of a deleted user', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      await t.dataSource.manager.delete(User, { id: session.user.id });
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: session.refreshToken }), 'auth.invalid_refresh_token');
    });
  });

  describe('POST /auth/logout', () => {
    it('answers 204 and the refresh token of that session no longer refreshes', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const response = await t.api.post('/auth/logout', { refreshToken: session.refreshToken }, { token: session.token });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: session.refreshToken }), 'auth.invalid_refresh_token');
    });

    it('ends the session after rotation too (the whole family)', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const rotated = await t.api.post('/auth/refresh', { refreshToken: session.refreshToken });
      expect(rotated.status).toBe(200);
      expect((await t.api.post('/auth/logout', { refreshToken: rotated.body.refreshToken }, { token: rotated.body.accessToken })).status).toBe(204);
      expectUnauthorized(await t.api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken }), 'auth.invalid_refresh_token');
    });

    it('needs a bearer token', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      expectUnauthorized(await t.api.post('/auth/logout', { refreshToken: session.refreshToken }), 'auth.unauthenticated');
      expectUnauthorized(await t.api.post('/auth/logout', { refreshToken: session.refreshToken }, { token: 'garbage' }), 'auth.invalid_token');
      // The session was not ended by those refused calls.
      expect((await t.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    });

    it("cannot end somebody else's session", async () => {
      const victim = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const attacker = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const response = await t.api.post('/auth/logout', { refreshToken: victim.refreshToken }, { token: attacker.token });
      expect(response.status).toBeLessThan(500);
      expect((await t.api.post('/auth/refresh', { refreshToken: victim.refreshToken })).status).toBe(200);
    });

    it('refuses unknown fields in its body', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      expectFieldError(await t.api.post('/auth/logout', { refreshToken: session.refreshToken, userId: randomUUID() }, { token: session.token }), 'userId');
      expect((await t.api.post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    });
  });

  describe('access tokens on GET /me', () => {
    let user: User;
    let token: string;
    const now = () => Math.floor(Date.now() / 1000);
    /** The session (`sid`) of the user's own token: a forged token needs an open one too. */
    const session = () => (jwt.decode(token) as { sid: string }).sid;
    const sign = (payload: object, secret: string, options: jwt.SignOptions = {}) =>
      jwt.sign({ role: 'student', sid: session(), ...payload }, secret, { algorithm: 'HS256', ...options });
    const valid = (overrides: jwt.SignOptions = {}) =>
      sign({}, TEST_JWT_SECRET, { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900, ...overrides });

    beforeAll(async () => {
      ({ user, token } = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id }));
    });

    const me = (authorization?: string) => t.api.get('/me', { headers: authorization === undefined ? {} : { authorization } });

    it('accepts the token it issued, and a well-formed HS256 token of the right secret (control)', async () => {
      expect((await me(`Bearer ${token}`)).status).toBe(200);
      const forged = await me(`Bearer ${valid()}`);
      expect(forged.status).toBe(200);
      expect(forged.body.id).toBe(user.id);
    });

    it('answers 401 auth.unauthenticated without an Authorization header', async () => {
      expectUnauthorized(await me(), 'auth.unauthenticated');
    });

    it.each([
      ['garbage', 'Bearer garbage'],
      ['an empty bearer', 'Bearer '],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['a bare token without scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
    ])('answers 401 auth.invalid_token for %s', async (_case, header) => {
      expectUnauthorized(await me(header), 'auth.invalid_token');
    });

    it('refuses a token with alg none', async () => {
      const [, payload] = token.split('.');
      const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      expectUnauthorized(await me(`Bearer ${none}`), 'auth.invalid_token');
      const noneUpper = `${b64url({ alg: 'NONE', typ: 'JWT' })}.${payload}.`;
      expectUnauthorized(await me(`Bearer ${noneUpper}`), 'auth.invalid_token');
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const admin = await newUser(t.dataSource, { role: 'admin' });
      const tampered = `${header}.${b64url({ ...claims, sub: admin.id, role: 'admin' })}.${signature}`;
      expectUnauthorized(await me(`Bearer ${tampered}`), 'auth.invalid_token');
      const noSignature = `${header}.${payload}.`;
      expectUnauthorized(await me(`Bearer ${noSignature}`), 'auth.invalid_token');
    });

    it('refuses a token signed with another secret', async () => {
      const other = sign({}, 'another-secret-that-is-long-enough-for-hs256-9876543210', { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900 });
      expectUnauthorized(await me(`Bearer ${other}`), 'auth.invalid_token');
    });

    it('refuses an expired token', async () => {
      const expired = jwt.sign({ role: 'student', sub: user.id, iss: ISSUER, aud: AUDIENCE, iat: now() - 3600, exp: now() - 60 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
      });
      expectUnauthorized(await me(`Bearer ${expired}`), 'auth.invalid_token');
    });

    it('refuses a token that is not valid yet', async () => {
      expectUnauthorized(await me(`Bearer ${valid({ notBefore: 3600 })}`), 'auth.invalid_token');
    });

    it('refuses a wrong audience, a wrong issuer, or none of them', async () => {
      expectUnauthorized(await me(`Bearer ${valid({ audience: 'another-api' })}`), 'auth.invalid_token');
      expectUnauthorized(await me(`Bearer ${valid({ issuer: 'evil-issuer' })}`), 'auth.invalid_token');
      const bare = sign({}, TEST_JWT_SECRET, { subject: user.id, expiresIn: 900 });
      expectUnauthorized(await me(`Bearer ${bare}`), 'auth.invalid_token');
    });

    it('refuses HS384 and HS512 tokens even with the right secret (the algorithm is pinned to HS256)', async () => {
      expectUnauthorized(await me(`Bearer ${valid({ algorithm: 'HS512' })}`), 'auth.invalid_token');
      expectUnauthorized(await me(`Bearer ${valid({ algorithm: 'HS384' })}`), 'auth.invalid_token');
    });

    it('refuses a correctly signed token without a usable subject', async () => {
      const noSubject = sign({}, TEST_JWT_SECRET, { issuer: ISSUER, audience: AUDIENCE, expiresIn: 900 });
      expectUnauthorized(await me(`Bearer ${noSubject}`), 'auth.invalid_token');
      const notUuid = sign({}, TEST_JWT_SECRET, { issuer: ISSUER, audience: AUDIENCE, subject: "x' OR '1'='1", expiresIn: 900 });
      expectUnauthorized(await me(`Bearer ${notUuid}`), 'auth.invalid_token');
      const unknownUser = sign({}, TEST_JWT_SECRET, { issuer: ISSUER, audience: AUDIENCE, subject: randomUUID(), expiresIn: 900 });
      expectUnauthorized(await me(`Bearer ${unknownUser}`), 'auth.invalid_token');
    });

    it('refuses a valid token of a user who has been deleted', async () => {
      const doomed = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: home.id });
      expect((await t.api.get('/me', { token: doomed.token })).status).toBe(200);
      await t.dataSource.manager.delete(User, { id: doomed.user.id });
      expectUnauthorized(await t.api.get('/me', { token: doomed.token }), 'auth.invalid_token');
    });

    it('refuses tokens of asymmetric algorithms (RS256, ES256, PS256), whatever key signed them', async () => {
      const claims = { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900 } as const;
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expectUnauthorized(await me(`Bearer ${jwt.sign({ role: 'student' }, rsa.privateKey, { ...claims, algorithm: 'RS256' })}`), 'auth.invalid_token');
      expectUnauthorized(await me(`Bearer ${jwt.sign({ role: 'student' }, rsa.privateKey, { ...claims, algorithm: 'PS256' })}`), 'auth.invalid_token');
      expectUnauthorized(await me(`Bearer ${jwt.sign({ role: 'student' }, ec.privateKey, { ...claims, algorithm: 'ES256' })}`), 'auth.invalid_token');
    });

    it('refuses a token signed with a key that differs from ours by one byte', async () => {
      const nearly = TEST_JWT_SECRET.slice(0, -1) + (TEST_JWT_SECRET.endsWith('x') ? 'y' : 'x');
      expectUnauthorized(await me(`Bearer ${sign({}, nearly, { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900 })}`), 'auth.invalid_token');
    });

    it('accepts the subject in upper case as the same user', async () => {
      const shouted = await me(`Bearer ${valid({ subject: user.id.toUpperCase() })}`);
      expect(shouted.status).toBe(200);
      expect(shouted.body.id).toBe(user.id);
    });

    it('applies a role changed since the token was issued on the next request, both ways', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      expectProblem(await t.api.get('/agreements', { token: session.token }), 403, 'access.forbidden');

      await t.dataSource.manager.update(User, { id: session.user.id }, { role: 'coordinator' });
      expect((await t.api.get('/agreements', { token: session.token })).status).toBe(200);
      expect((await t.api.get('/me', { token: session.token })).body.role).toBe('coordinator');

      await t.dataSource.manager.update(User, { id: session.user.id }, { role: 'student' });
      expectProblem(await t.api.get('/agreements', { token: session.token }), 403, 'access.forbidden');
      expect((await t.api.get('/me', { token: session.token })).body.role).toBe('student');
    });

    it("refuses a deleted user's token on every protected route, not only /me", async () => {
      const doomed = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: home.id });
      expect((await t.api.get('/agreements', { token: doomed.token })).status).toBe(200);
      await t.dataSource.manager.delete(User, { id: doomed.user.id });
      expectUnauthorized(await t.api.get('/agreements', { token: doomed.token }), 'auth.invalid_token');
      expectUnauthorized(await t.api.post('/auth/logout', {}, { token: doomed.token }), 'auth.invalid_token');
    });

    it('lets public routes through with a garbage, foreign, unsigned or orphaned bearer', async () => {
      const orphan = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      await t.dataSource.manager.delete(User, { id: orphan.user.id });
      const [, payload] = token.split('.');
      const headers = [
        'Bearer garbage',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        `Bearer ${sign({}, 'another-secret-that-is-long-enough-for-hs256-9876543210', { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900 })}`,
        `Bearer ${valid({ algorithm: 'HS512' })}`,
        `Bearer ${orphan.token}`,
      ];
      const signIn = await newUser(t.dataSource, { role: 'student', institutionId: home.id });
      for (const authorization of headers) {
        const institutions = await t.api.get('/institutions', { headers: { authorization } });
        expect({ authorization, status: institutions.status }).toEqual({ authorization, status: 200 });
        const login = await t.api.post('/auth/login', { email: signIn.email, password: PASSWORD }, { headers: { authorization } });
        expect({ authorization, status: login.status }).toEqual({ authorization, status: 200 });
        expect(login.body.user.id).toBe(signIn.id);
      }
    });

    it('still knows the caller on a public route when the bearer is valid (errors in their language)', async () => {
      const russian = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id, locale: 'ru' });
      const response = await t.api.post('/auth/login', { email: 'x@test.example' }, { token: russian.token });
      expectFieldError(response, 'password');
      expect(response.body.title).toBe(titles['validation.failed'].ru);
    });

    it('takes the role from the database, not from the token', async () => {
      const promoted = sign({ role: 'admin' }, TEST_JWT_SECRET, { issuer: ISSUER, audience: AUDIENCE, subject: user.id, expiresIn: 900 });
      const response = await me(`Bearer ${promoted}`);
      expect(response.status).toBe(200);
      expect(response.body.role).toBe('student');
    });
  });

  describe('GET /me and PATCH /me', () => {
    it('GET /me returns the caller, without secrets', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: home.id, fullName: 'Claire Dubois', locale: 'fr' });
      const response = await t.api.get('/me', { token: session.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: session.user.id,
        email: session.user.email,
        fullName: 'Claire Dubois',
        role: 'coordinator',
        institutionId: home.id,
        locale: 'fr',
      });
      expectNoSecrets(response);
    });

    it('PATCH /me changes the full name and the locale', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const response = await t.api.patch('/me', { fullName: '  Ivan Sokolov  ', locale: 'ru' }, { token: session.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: session.user.id, fullName: 'Ivan Sokolov', locale: 'ru', role: 'student', institutionId: home.id });

      const again = await t.api.get('/me', { token: session.token });
      expect(again.body).toMatchObject({ fullName: 'Ivan Sokolov', locale: 'ru', email: session.user.email });

      const onlyLocale = await t.api.patch('/me', { locale: 'fr' }, { token: session.token });
      expect(onlyLocale.status).toBe(200);
      expect(onlyLocale.body).toMatchObject({ fullName: 'Ivan Sokolov', locale: 'fr' });
    });

    it('PATCH /me needs a bearer token', async () => {
      expectUnauthorized(await t.api.patch('/me', { fullName: 'Nobody' }), 'auth.unauthenticated');
    });

    describe('refuses fields other than fullName and locale, and changes nothing', () => {
      let session: Awaited<ReturnType<typeof signedIn>>;
      let other: Institution;
      let before: Record<string, unknown>;

      beforeAll(async () => {
        other = await newInstitution(t.dataSource);
        session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id, fullName: 'Original Name' });
        before = (await t.api.get('/me', { token: session.token })).body;
      });

      it.each([
        ['role', () => 'admin'],
        ['institutionId', () => other.id],
        ['email', () => freshEmail('takeover')],
        ['hostFamilyId', () => randomUUID()],
        ['id', () => randomUUID()],
        ['passwordHash', () => 'x'],
      ])('%s', async (field, value) => {
        const response = await t.api.patch('/me', { fullName: 'Hacked Name', [field]: value() }, { token: session.token });
        expectFieldError(response, field);
        const after = await t.api.get('/me', { token: session.token });
        expect(after.status).toBe(200);
        expect(after.body).toEqual(before);
        const stored = await t.dataSource.manager.findOneByOrFail(User, { id: session.user.id });
        expect(stored).toMatchObject({ role: 'student', institutionId: home.id, email: session.user.email, hostFamilyId: null, fullName: 'Original Name' });
      });

      it('fullName null, empty or too long; locale de or null', async () => {
        expectFieldError(await t.api.patch('/me', { fullName: null }, { token: session.token }), 'fullName');
        expectFieldError(await t.api.patch('/me', { fullName: '   ' }, { token: session.token }), 'fullName');
        expectFieldError(await t.api.patch('/me', { fullName: 'x'.repeat(201) }, { token: session.token }), 'fullName');
        expectFieldError(await t.api.patch('/me', { fullName: 42 }, { token: session.token }), 'fullName');
        expectFieldError(await t.api.patch('/me', { locale: 'de' }, { token: session.token }), 'locale');
        expectFieldError(await t.api.patch('/me', { locale: null }, { token: session.token }), 'locale');
        expect((await t.api.get('/me', { token: session.token })).body).toEqual(before);
      });

      it('a body that is not a JSON object', async () => {
        const array = await t.api.patch('/me', [{ fullName: 'Hacked Name' }], { token: session.token });
        expectProblem(array, 400, 'validation.failed');
        expect((await t.api.get('/me', { token: session.token })).body).toEqual(before);
      });
    });
  });

  describe('language of error answers', () => {
    const invalidRegistration = () => registration({ password: 'short' });

    it('answers in French with Accept-Language: fr', async () => {
      const response = await t.api.post('/auth/register', invalidRegistration(), { headers: { 'accept-language': 'fr' } });
      expectFieldError(response, 'password');
      expect(response.body.title).toBe(titles['validation.failed'].fr);
      expect(response.body.title).toBe('La requête contient des champs invalides');
      expect(response.body.errors[0].message).toBe(fieldMessages.isLength.fr.replace('{min}', '8').replace('{max}', '128'));
    });

    it('fills in the values that field messages name, in every language', async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id });
      const english = await t.api.patch('/me', { locale: 'de' }, { token: session.token });
      expectFieldError(english, 'locale');
      expect(english.body.errors[0].message).toBe('must be one of: en, fr, ru');
      const russian = await t.api.post('/auth/register', invalidRegistration(), { headers: { 'accept-language': 'ru' } });
      expect(russian.body.errors[0].message).toBe('должно содержать от 8 до 128 символов');
      for (const response of [english, russian]) expect(response.text).not.toMatch(/\{\w+\}/);
    });

    it('answers in Russian with Accept-Language: ru, also when ranked by q-value behind an unsupported language', async () => {
      const plain = await t.api.post('/auth/register', invalidRegistration(), { headers: { 'accept-language': 'ru' } });
      expectFieldError(plain, 'password');
      expect(plain.body.title).toBe(titles['validation.failed'].ru);
      expect(plain.body.title).toMatch(/[а-яё]/i);

      const ranked = await t.api.post('/auth/register', invalidRegistration(), { headers: { 'accept-language': 'de-DE,de;q=0.9,ru-RU;q=0.8,en;q=0.5' } });
      expect(ranked.body.title).toBe(titles['validation.failed'].ru);
    });

    it('answers in English by default and for an unsupported language', async () => {
      const none = await t.api.post('/auth/register', invalidRegistration());
      expect(none.body.title).toBe(titles['validation.failed'].en);
      const german = await t.api.post('/auth/register', invalidRegistration(), { headers: { 'accept-language': 'de' } });
      expect(german.body.title).toBe(titles['validation.failed'].en);
    });

    it('localizes authentication errors too', async () => {
      const response = await t.api.get('/me', { headers: { 'accept-language': 'fr-FR' } });
      expectUnauthorized(response, 'auth.unauthenticated');
      expect(response.body.title).toBe(titles['auth.unauthenticated'].fr);
    });

    it("uses the user's saved locale when there is no Accept-Language, and Accept-Language over it", async () => {
      const session = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: home.id, locale: 'ru' });

      const russian = await t.api.patch('/me', { nickname: 'x' }, { token: session.token });
      expectFieldError(russian, 'nickname');
      expect(russian.body.title).toBe(titles['validation.failed'].ru);
      expect(russian.body.errors[0].message).toBe(fieldMessages.whitelistValidation.ru);

      const unsupported = await t.api.patch('/me', { nickname: 'x' }, { token: session.token, headers: { 'accept-language': 'de' } });
      expect(unsupported.body.title).toBe(titles['validation.failed'].ru);

      const french = await t.api.patch('/me', { nickname: 'x' }, { token: session.token, headers: { 'accept-language': 'fr' } });
      expect(french.body.title).toBe(titles['validation.failed'].fr);
    });
  });
});

describe('login throttling per e-mail', () => {
  let t: TestApp;
  let institution: Institution;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_EMAIL: '3', LOGIN_MAX_PER_IP: '1000' });
    institution = await newInstitution(t.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = (email: string, password: string) => t.api.post('/auth/login', { email, password });

  function expectThrottled(response: ApiResponse): void {
    expectProblem(response, 429, 'rate_limit.exceeded');
    const retryAfter = response.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(900);
    expect(response.body.accessToken).toBeUndefined();
  }

  it('after 3 failures the next attempt is 429 with Retry-After, even with the right password, in any case of the e-mail', async () => {
    const victim = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    for (let i = 0; i < 3; i++) expectUnauthorized(await attempt(victim.email, `wrong-password-${i}`), 'auth.invalid_credentials');

    expectThrottled(await attempt(victim.email, PASSWORD));
    expectThrottled(await attempt(victim.email.toUpperCase(), PASSWORD));
    expectThrottled(await attempt(` ${victim.email} `, 'wrong-again'));

    // Another account from the same address is not affected.
    const bystander = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    const response = await attempt(bystander.email, PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(bystander.id);
  });

  it('throttles an unknown e-mail the same way (no account enumeration through the limiter)', async () => {
    const nobody = freshEmail('nobody');
    for (let i = 0; i < 3; i++) expectUnauthorized(await attempt(nobody, `guess-${i}`), 'auth.invalid_credentials');
    expectThrottled(await attempt(nobody, 'guess-4'));
  });

  it('lets at most 3 of 20 parallel attempts on one e-mail reach the password check', async () => {
    const target = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(target.email, `parallel-guess-${i}`)));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(17);
  });

  it('does not count successful sign-ins as failures', async () => {
    const user = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 2; i++) expectUnauthorized(await attempt(user.email, 'typo-typo'), 'auth.invalid_credentials');
    expect((await attempt(user.email, PASSWORD)).status).toBe(200);
  });
});

describe('login throttling and malformed bodies', () => {
  let t: TestApp;
  let institution: Institution;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '2', LOGIN_MAX_PER_EMAIL: '2' });
    institution = await newInstitution(t.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts no attempt for a body refused by validation, neither per address nor per e-mail', async () => {
    const user = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    const malformed = [
      { email: user.email },
      { email: user.email, password: PASSWORD, role: 'admin' },
      { email: user.email, password: ['a'] },
      { email: user.email, password: 'x'.repeat(10_000) },
      { email: { $ne: null }, password: PASSWORD },
    ];
    for (const body of [...malformed, ...malformed]) expectProblem(await t.api.post('/auth/login', body), 400, 'validation.failed');

    expectUnauthorized(await t.api.post('/auth/login', { email: user.email, password: 'wrong-password-1' }), 'auth.invalid_credentials');
    expect((await t.api.post('/auth/login', { email: user.email, password: PASSWORD })).status).toBe(200);
    // Both counted attempts were real ones: the third from this address is refused.
    expectProblem(await t.api.post('/auth/login', { email: user.email, password: PASSWORD }), 429, 'rate_limit.exceeded');
  });
});

describe('login throttling per client address', () => {
  let t: TestApp;
  let institution: Institution;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '4' });
    institution = await newInstitution(t.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses the 5th attempt from one address with 429, whatever the account', async () => {
    const user = await newUser(t.dataSource, { role: 'student', institutionId: institution.id });
    expect((await t.api.post('/auth/login', { email: user.email, password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expectUnauthorized(await t.api.post('/auth/login', { email: freshEmail(`spray${i}`), password: 'Spring2024!' }), 'auth.invalid_credentials');
    }

    const fifth = await t.api.post('/auth/login', { email: user.email, password: PASSWORD });
    expectProblem(fifth, 429, 'rate_limit.exceeded');
    expect(fifth.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(fifth.body.accessToken).toBeUndefined();

    // A forged forwarding header does not give the client a new address.
    const spoofed = await t.api.post('/auth/login', { email: user.email, password: PASSWORD }, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expectProblem(spoofed, 429, 'rate_limit.exceeded');
  });
});
