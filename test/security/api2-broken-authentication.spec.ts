/**
 * OWASP API2:2023, broken authentication, from the attacker's side:
 *
 * - every forged, altered, expired, misplaced or misused bearer token is refused (401 with
 *   `WWW-Authenticate: Bearer`) on reading and writing routes alike, and changes nothing;
 * - an access token lives only as long as its session: a logout, a reused refresh token or
 *   the end of the account stops it at the next request;
 * - refresh tokens rotate, a reused one closes its whole session and no other;
 * - sign-in is throttled per e-mail across the API and the portal (429 with Retry-After);
 * - an unknown e-mail and a wrong password cannot be told apart, by the answer or by its time;
 * - passwords: 8 to 128 characters, common ones refused, stored as argon2id; tokens at rest
 *   are hashes only.
 */
import jwt from 'jsonwebtoken';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { login, newInstitution, newUser, PASSWORD, type Session } from '../harness/factories.js';
import { PortalClient } from '../harness/portal.js';

const ISSUER = 'exchange-api';
const AUDIENCE = 'exchange-api';
const PER_EMAIL = 3;
const WINDOW_SECONDS = 600;
const STRONG = 'violet-Otter-sings-at-7-dawn';

const unique = () => randomBytes(5).toString('hex');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string) => jwt.decode(token) as { sub: string; sid: string; role: string; exp: number; iat: number; jti: string };

/** 401 that tells the client how to authenticate, with no more than a code. */
function expectRefused(response: ApiResponse, what: string): void {
  expect({ what, status: response.status, code: response.body?.code }).toEqual({ what, status: 401, code: expect.stringMatching(/^auth\.(invalid_token|unauthenticated)$/) });
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expectProblem(response, 401);
}

describe('API2 broken authentication', () => {
  let t: TestApp;
  let institutionId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_EMAIL: String(PER_EMAIL), LOGIN_MAX_PER_IP: '1000', LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    institutionId = (await newInstitution(t.dataSource)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const newStudent = async (fullName = 'Anna Petrova'): Promise<Session> => {
    const user = await newUser(t.dataSource, { role: 'student', institutionId, fullName });
    return { ...(await login(t.api, user)), user };
  };
  /** A second sign-in of the same person: another session. */
  const anotherSession = async (session: Session): Promise<Session> => ({ ...(await login(t.api, session.user)), user: session.user });
  const works = async (token: string) => (await t.api.get('/me', { token })).status === 200;

  describe('access tokens', () => {
    let victim: Session;
    let other: Session;

    beforeAll(async () => {
      [victim, other] = await Promise.all([newStudent('Victim Student'), newStudent('Other Student')]);
    });

    /** A token signed with our secret and claims (by default those of the victim's own token). */
    const forge = (claims: Record<string, unknown> = {}, options: jwt.SignOptions = {}, key: jwt.Secret = TEST_JWT_SECRET) => {
      const { sub, sid } = claimsOf(victim.token);
      return jwt.sign({ role: 'student', sid, ...claims }, key, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, subject: sub, expiresIn: 900, ...options });
    };

    it('accepts what it issued, and a token forged with the secret and an open session (the control of the cases below)', async () => {
      expect(await works(victim.token)).toBe(true);
      expect(await works(forge())).toBe(true);
    });

    it('refuses every broken or forged token, on reading and writing routes, and writes nothing', async () => {
      const [header, payload, signature] = victim.token.split('.');
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, Record<string, string>][] = [
        ['expired', { authorization: `Bearer ${jwt.sign({ role: 'student', sid: claimsOf(victim.token).sid, sub: victim.user.id, iss: ISSUER, aud: AUDIENCE, iat: now - 3600, exp: now - 1 }, TEST_JWT_SECRET)}` }],
        ['payload altered (role admin) under the old signature', { authorization: `Bearer ${header}.${b64url({ ...claimsOf(victim.token), role: 'admin' })}.${signature}` }],
        ['subject swapped to another user under the old signature', { authorization: `Bearer ${header}.${b64url({ ...claimsOf(victim.token), sub: other.user.id })}.${signature}` }],
        ['signature stripped', { authorization: `Bearer ${header}.${payload}.` }],
        ['alg none', { authorization: `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.` }],
        ['alg None with a signature', { authorization: `Bearer ${b64url({ alg: 'None', typ: 'JWT' })}.${payload}.${signature}` }],
        ['another secret', { authorization: `Bearer ${forge({}, {}, 'another-secret-that-is-long-enough-for-hs256-9876543210')}` }],
        ['HS512 with our secret', { authorization: `Bearer ${forge({}, { algorithm: 'HS512' })}` }],
        ['RS256 with some key', { authorization: `Bearer ${forge({}, { algorithm: 'RS256' }, rsa.privateKey)}` }],
        ['another audience', { authorization: `Bearer ${forge({}, { audience: 'another-api' })}` }],
        ['not valid yet', { authorization: `Bearer ${forge({}, { notBefore: 3600 })}` }],
        ['no session claim', { authorization: `Bearer ${forge({ sid: undefined })}` }],
        ['a made-up session', { authorization: `Bearer ${forge({ sid: randomUUID() })}` }],
        ["another user's open session", { authorization: `Bearer ${forge({ sid: claimsOf(other.token).sid })}` }],
        ['a session id that is no uuid', { authorization: `Bearer ${forge({ sid: "x' OR '1'='1" })}` }],
        ['the refresh token as a bearer token', { authorization: `Bearer ${victim.refreshToken}` }],
        ['a bare token without its scheme', { authorization: victim.token }],
        ['another scheme', { authorization: `Basic ${Buffer.from(`${victim.user.email}:${PASSWORD}`).toString('base64')}` }],
        ['the scheme alone', { authorization: 'Bearer' }],
        ['garbage before the valid token', { authorization: `Bearer garbage ${victim.token}` }],
        ['garbage', { authorization: `Bearer ${'A'.repeat(2000)}` }],
        ['the token in a cookie', { cookie: `access_token=${victim.token}; Authorization=Bearer ${victim.token}` }],
        ['the token in another header', { 'x-access-token': victim.token, 'x-auth-token': victim.token }],
      ];
      const before = (await t.dataSource.query('SELECT full_name FROM users WHERE id = $1', [victim.user.id])) as unknown[];
      for (const [what, headers] of cases) {
        expectRefused(await t.api.get('/me', { headers }), `GET /me: ${what}`);
        expectRefused(await t.api.get('/applications', { headers }), `GET /applications: ${what}`);
        expectRefused(await t.api.patch('/me', { fullName: 'Owned' }, { headers }), `PATCH /me: ${what}`);
      }
      // A token in the query string is no token either.
      expectRefused(await t.api.get('/me', { query: { access_token: victim.token, token: victim.token } }), 'query string');
      expect(await t.dataSource.query('SELECT full_name FROM users WHERE id = $1', [victim.user.id])).toEqual(before);
      // The victim's own session is untouched by all of it.
      expect(await works(victim.token)).toBe(true);
    });

    it('issues short-lived tokens (15 minutes) with a unique id, naming the session and never the password', async () => {
      const claims = claimsOf(victim.token);
      expect(claims.exp - claims.iat).toBe(900);
      expect(claims).toMatchObject({ sub: victim.user.id, sid: expect.stringMatching(/^[0-9a-f-]{36}$/), jti: expect.any(String) });
      expect(claimsOf((await anotherSession(victim)).token).jti).not.toBe(claims.jti);
      expect(Buffer.from(victim.token.split('.')[1], 'base64url').toString()).not.toMatch(/password|argon|email|@/i);
    });
  });

  describe('sessions: refresh, rotation, reuse, logout, the end of an account', () => {
    it('rotates refresh tokens: the new pair works, and the old access token with it (one session)', async () => {
      const session = await newStudent();
      const renewed = await t.api.post('/auth/refresh', { refreshToken: session.refreshToken });
      expect(renewed.status).toBe(200);
      expect(renewed.body.refreshToken).not.toBe(session.refreshToken);
      expect(claimsOf(renewed.body.accessToken).sid).toBe(claimsOf(session.token).sid);
      expect(await works(renewed.body.accessToken)).toBe(true);
      expect(await works(session.token)).toBe(true);
    });

    it('closes the whole session when a spent refresh token comes back: its refresh and access tokens die, other sessions live', async () => {
      const victim = await newStudent();
      const elsewhere = await anotherSession(victim);
      // The victim refreshes; the attacker, who copied the first refresh token, presents it later.
      const renewed = (await t.api.post('/auth/refresh', { refreshToken: victim.refreshToken })).body;
      expectProblem(await t.api.post('/auth/refresh', { refreshToken: victim.refreshToken }), 401, 'auth.refresh_token_reused');
      expectProblem(await t.api.post('/auth/refresh', { refreshToken: renewed.refreshToken }), 401, 'auth.invalid_refresh_token');
      expectRefused(await t.api.get('/me', { token: renewed.accessToken }), 'access token of the closed session');
      expectRefused(await t.api.get('/me', { token: victim.token }), 'first access token of the closed session');
      // Another device of the same person is another session.
      expect(await works(elsewhere.token)).toBe(true);
      expect((await t.api.post('/auth/refresh', { refreshToken: elsewhere.refreshToken })).status).toBe(200);
      const [reuse] = (await t.dataSource.query(`SELECT actor_id FROM audit.audit_log WHERE action = 'auth.refresh_reused' AND target_id = $1`, [victim.user.id])) as { actor_id: string | null }[];
      expect(reuse).toEqual({ actor_id: null });
    });

    it('lets exactly one of several racing uses of a refresh token through, then closes the session', async () => {
      const session = await newStudent();
      const answers = await Promise.all(Array.from({ length: 6 }, () => t.api.post('/auth/refresh', { refreshToken: session.refreshToken })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
      const winner = answers.find((a) => a.status === 200)!.body;
      expectRefused(await t.api.get('/me', { token: winner.accessToken }), 'winner after the reuse');
    });

    it('ends a session at logout: its refresh token and its access token stop at once; the other sessions go on', async () => {
      const session = await newStudent();
      const elsewhere = await anotherSession(session);
      expect((await t.api.post('/auth/logout', { refreshToken: session.refreshToken }, { token: session.token })).status).toBe(204);
      expectRefused(await t.api.get('/me', { token: session.token }), 'access token after logout');
      expectRefused(await t.api.post('/auth/logout', {}, { token: session.token }), 'logout again with the dead token');
      expectProblem(await t.api.post('/auth/refresh', { refreshToken: session.refreshToken }), 401, 'auth.invalid_refresh_token');
      expect(await works(elsewhere.token)).toBe(true);
    });

    it('ends every session of the caller at a logout without a refresh token', async () => {
      const session = await newStudent();
      const elsewhere = await anotherSession(session);
      expect((await t.api.post('/auth/logout', {}, { token: session.token })).status).toBe(204);
      for (const s of [session, elsewhere]) {
        expectRefused(await t.api.get('/me', { token: s.token }), 'access token after logout of all');
        expectProblem(await t.api.post('/auth/refresh', { refreshToken: s.refreshToken }), 401, 'auth.invalid_refresh_token');
      }
    });

    it("cannot log another person's session out with their refresh token", async () => {
      const [victim, attacker] = await Promise.all([newStudent(), newStudent()]);
      expect((await t.api.post('/auth/logout', { refreshToken: victim.refreshToken }, { token: attacker.token })).status).toBe(204);
      expect(await works(victim.token)).toBe(true);
      expect((await t.api.post('/auth/refresh', { refreshToken: victim.refreshToken })).status).toBe(200);
    });

    it('stops the tokens of an erased account and of a deleted one', async () => {
      const erased = await newStudent();
      expect((await t.api.post('/me/erase', undefined, { token: erased.token })).status).toBe(204);
      expectRefused(await t.api.get('/me', { token: erased.token }), 'erased account');
      expectProblem(await t.api.post('/auth/refresh', { refreshToken: erased.refreshToken }), 401, 'auth.invalid_refresh_token');
      expectProblem(await t.api.post('/auth/login', { email: erased.user.email, password: PASSWORD }), 401, 'auth.invalid_credentials');

      const deleted = await newStudent();
      await t.dataSource.query('DELETE FROM users WHERE id = $1', [deleted.user.id]);
      expectRefused(await t.api.get('/me', { token: deleted.token }), 'deleted account');
      expectProblem(await t.api.post('/auth/refresh', { refreshToken: deleted.refreshToken }), 401, 'auth.invalid_refresh_token');
    });

    it('keeps only hashes of tokens and passwords at rest', async () => {
      const session = await newStudent();
      const dump = JSON.stringify(await t.dataSource.query('SELECT * FROM refresh_tokens WHERE user_id = $1', [session.user.id]));
      expect(dump).not.toContain(session.refreshToken);
      expect(dump).not.toContain(session.token);
      const [{ password_hash: hash }] = (await t.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [session.user.id])) as { password_hash: string }[];
      // argon2id with at least OWASP's minimum cost (m = 19 MiB, t = 2).
      const [, algorithm, , params] = hash.split('$');
      const cost = Object.fromEntries(params.split(',').map((pair) => pair.split('=')).map(([k, v]) => [k, Number(v)]));
      expect({ algorithm, memory: cost.m >= 19_456, time: cost.t >= 2 }).toEqual({ algorithm: 'argon2id', memory: true, time: true });
      expect(hash).not.toContain(PASSWORD);
    });
  });

  describe('sign-in', () => {
    it(`throttles an e-mail after ${PER_EMAIL} failures, through the API and the portal together, with Retry-After`, async () => {
      const user = await newUser(t.dataSource, { role: 'coordinator', institutionId });
      const portal = new PortalClient(t.baseUrl);
      expectProblem(await t.api.post('/auth/login', { email: user.email, password: 'wrong-password-1' }), 401, 'auth.invalid_credentials');
      expect((await portal.post('/sign-in', { email: user.email, password: 'wrong-password-2', next: '/' })).status).toBe(401);
      expectProblem(await t.api.post('/auth/login', { email: user.email.toUpperCase(), password: 'wrong-password-3' }), 401, 'auth.invalid_credentials');
      // The budget is spent: even the right password waits, on either side.
      const refused = await t.api.post('/auth/login', { email: user.email, password: PASSWORD });
      expectProblem(refused, 429, 'rate_limit.exceeded');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= WINDOW_SECONDS).toBe(true);
      expect(refused.text).not.toContain('accessToken');
      expect((await portal.post('/sign-in', { email: user.email, password: PASSWORD, next: '/' })).status).toBe(429);
      // Another account is not held back by this one.
      expect((await t.api.post('/auth/login', { email: (await newUser(t.dataSource, { role: 'coordinator', institutionId })).email, password: PASSWORD })).status).toBe(200);
    });

    it('answers an unknown e-mail exactly as a wrong password, and in the same time class', async () => {
      const known = await Promise.all(Array.from({ length: 7 }, () => newUser(t.dataSource, { role: 'student', institutionId })));
      const attempt = async (email: string) => {
        const started = performance.now();
        const response = await t.api.post('/auth/login', { email, password: 'not-the-password-at-all' });
        return { response, ms: performance.now() - started };
      };
      await attempt(`warm.${unique()}@test.example`);
      const unknownTimes: number[] = [];
      const wrongTimes: number[] = [];
      for (const user of known) {
        const unknown = await attempt(`nobody.${unique()}@test.example`);
        const wrong = await attempt(user.email);
        unknownTimes.push(unknown.ms);
        wrongTimes.push(wrong.ms);
        const shape = (r: ApiResponse) => ({ status: r.status, body: { ...r.body, instance: undefined }, type: r.headers.get('content-type'), auth: r.headers.get('www-authenticate') });
        expect(shape(unknown.response)).toEqual(shape(wrong.response));
        expectProblem(unknown.response, 401, 'auth.invalid_credentials');
      }
      // Both run the password hash (argon2id, tens of milliseconds): without the decoy hash, an
      // unknown e-mail would answer an order of magnitude faster. A generous bound against a loaded machine.
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const ratio = median(wrongTimes) / median(unknownTimes);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    });

    it('takes the credentials from the JSON body only, never from the query string', async () => {
      const user = await newUser(t.dataSource, { role: 'student', institutionId });
      const response = await t.api.post('/auth/login', {}, { query: { email: user.email, password: PASSWORD } });
      expectProblem(response, 400, 'validation.failed', ['email', 'password']);
    });
  });

  describe('password rules', () => {
    const register = (password: string) =>
      t.api.post('/auth/register', { email: `pw.${unique()}@test.example`, password, fullName: 'Pat Word', homeInstitutionId: institutionId });

    it('refuses passwords shorter than 8 or longer than 128 characters, and common ones whatever their case', async () => {
      for (const password of ['', 'short', 'seven77', 'x'.repeat(129)]) expectProblem(await register(password), 400, 'validation.failed', ['password']);
      for (const password of ['password', 'Password1', '12345678', 'QWERTYUIOP', 'iloveyou', 'sunshine']) {
        const response = await register(password);
        expect({ password, status: response.status }).toEqual({ password, status: 400 });
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('password');
      }
      expect((await register('x'.repeat(8) + 'Q7!')).status).toBe(201);
      expect((await register(STRONG.padEnd(128, '-'))).status).toBe(201);
    });

    it('signs in with exactly the password given: no trimming, no case folding, no truncation', async () => {
      const email = `exact.${unique()}@test.example`;
      const password = `  ${STRONG}  ${'z'.repeat(80)}`;
      expect((await t.api.post('/auth/register', { email, password, fullName: 'Exact', homeInstitutionId: institutionId })).status).toBe(201);
      for (const near of [password.trim(), password.toUpperCase(), password.slice(0, 72), `${password}!`]) {
        expectProblem(await t.api.post('/auth/login', { email, password: near }), 401, 'auth.invalid_credentials');
        await t.dataSource.query(`DELETE FROM rate_limit_buckets WHERE key = $1`, [`login:email:${email}`]);
      }
      expect((await t.api.post('/auth/login', { email, password })).status).toBe(200);
    });
  });
});
