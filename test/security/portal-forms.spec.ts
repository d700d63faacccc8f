/**
 * The portal's forms and session cookie, against cross-site request forgery and session
 * theft, on an application started as in production:
 *
 * - every POST route of the portal (found in the application's own routing, so a new form
 *   is covered the day it is added) refuses a request without its CSRF token, with a forged
 *   one or with the token of another session, urlencoded or multipart: 403 and not a row
 *   changed; the same forms with their token go through (the refusal is the token's, not
 *   the request's);
 * - cookies: the session's and the CSRF secret's are HttpOnly, SameSite=Lax, Secure, Path=/,
 *   host-only; the session's lasts at most 12 hours; none holds anything but an opaque value;
 * - session fixation: an id planted before sign-in is not kept, and a token read before
 *   signing in is worth nothing after;
 * - sign-out is a form too (CSRF), and ends the session on the server: the old cookie
 *   replayed reaches nothing, and the API never takes the cookie for a caller.
 */
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { titles } from '../../src/common/errors/catalogue.js';
import { PORTAL_ROOTS } from '../../src/portal/portal-setup.js';
import { acceptedApplication, draftApplication, newStudents, type Sides } from '../harness/applications.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { changedTables, openChecksums, type ChecksumOptions, type TableChecksums } from '../harness/checksums.js';
import { PASSWORD, signedIn, type Session } from '../harness/factories.js';
import { familyUser, homestayExchange, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { PortalClient, textOf, type PageResponse } from '../harness/portal.js';

/** The page's words for a refused token, in each language. */
const CSRF_REFUSED = titles['portal.csrf_invalid'];

/**
 * What the checksums compare: the tables the portal's forms write (all but the rate limiter's
 * counters, the mail queue's progress, and the refusals the audit log records on purpose, with
 * its chain head).
 */
const COMPARED: ChecksumOptions = {
  exclude: ['public.rate_limit_buckets', 'audit.audit_chain'],
  partial: { 'public.mail_jobs': { columns: ['id'] }, 'audit.audit_log': { where: "action NOT LIKE 'access.%'" } },
};

/** Every POST route of the portal, as Nest routes it (`/portal/applications/:id/edit`). */
function portalPostRoutes(t: TestApp): string[] {
  const routes = new Set<string>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type?.prototype) continue;
      const base = String(Reflect.getMetadata('path', type) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata('method', handler) !== RequestMethod.POST) continue;
        for (const path of [Reflect.getMetadata('path', handler) as string | string[]].flat()) {
          routes.add(`/${[base, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/'));
        }
      }
    }
  }
  return [...routes].filter((route) => PORTAL_ROOTS.includes(route.split('/')[1])).sort();
}

/** The attributes of each Set-Cookie line of an answer, by cookie name. */
function cookiesSet(response: { headers: Headers }): Map<string, { value: string; attributes: Map<string, string> }> {
  const out = new Map<string, { value: string; attributes: Map<string, string> }>();
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    out.set(pair.slice(0, eq), {
      value: pair.slice(eq + 1),
      attributes: new Map(attributes.map((a) => [a.split('=')[0].toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : ''])),
    });
  }
  return out;
}

const tokenOf = (page: PageResponse) => /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];

describe('portal forms: CSRF, cookies, sessions (production)', () => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof homestayExchange>>;
  let sides: Sides;
  let admin: Session;
  let student: Session;
  let familySession: Session;
  let ids: Record<string, string>;
  let checksums: TableChecksums;

  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', LOGIN_MAX_PER_IP: '1000', LOGIN_MAX_PER_EMAIL: '1000' });
    checksums = await openChecksums(t.settings.databaseUrl!, COMPARED);
    x = await homestayExchange(t);
    sides = x.sides;
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    [student] = await newStudents(t, x.sending.institutionId, 1);
    const family = await vettedFamily(t, sides.receiving, { capacity: 2 });
    familySession = await familyUser(t, x.receiving.institutionId, family.id);
    const [placed] = await newStudents(t, x.sending.institutionId, 1);
    const accepted = await acceptedApplication(t, placed, x.program, sides, { dateOfBirth: '2000-01-01', matchingProfile: profile() });
    const placement = await proposedPlacement(t, sides.receiving, { applicationId: accepted.id, hostFamilyId: family.id });
    const draft = await draftApplication(t, student, x.program, { motivation: 'First words' });
    ids = { draft: draft.id, accepted: accepted.id, placement: placement.id, family: family.id, program: x.program.id, agreement: x.agreement.id, institution: x.receiving.institutionId };
  });
  afterAll(async () => {
    await checksums?.close();
    await t?.close();
  });

  const browserOf = async (who: Session) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(who.user.email, PASSWORD);
    return browser;
  };

  /** A route's path with real ids where this file has one, random ones elsewhere (the token is checked before anything is looked up). */
  const fill = (route: string) =>
    route
      .replace(/^\/portal\/placements\/:id\/:transition$/, `/portal/placements/${ids.placement}/accept`)
      .replace(/^\/portal\/applications\/:id\/transitions\/:name$/, `/portal/applications/${ids.accepted}/transitions/cancel`)
      .replace(/^\/portal\/applications\/:id\//, `/portal/applications/${ids.draft}/`)
      .replace(/^\/portal\/host-families\/:id\//, `/portal/host-families/${ids.family}/`)
      .replace(/^\/portal\/programs\/:id\//, `/portal/programs/${ids.program}/`)
      .replace(/^\/portal\/agreements\/:id\//, `/portal/agreements/${ids.agreement}/`)
      .replace(/^\/portal\/admin\/institutions\/:id$/, `/portal/admin/institutions/${ids.institution}`)
      .replace(/:[a-zA-Z]+/g, () => randomUUID());

  it('finds the forms of today among the routes', () => {
    const routes = portalPostRoutes(t);
    expect(routes.length).toBeGreaterThan(35);
    expect(routes).toEqual(expect.arrayContaining(['/sign-in', '/sign-out', '/register', '/language', '/portal/applications/:id/documents', '/portal/me/erase', '/portal/placements/:id/:transition']));
  });

  it('refuses every POST form without its token, with a forged one or with another session’s, urlencoded or multipart: 403, nothing written', async () => {
    const browser = await browserOf(admin);
    const other = await browserOf(student);
    const foreign = tokenOf(await other.get('/'))!;
    const own = tokenOf(await browser.get('/'))!;
    expect(foreign).toBeDefined();
    const before = await checksums.take();
    const issues: string[] = [];
    const expectRefused = (label: string, page: PageResponse) => {
      if (page.status !== 403 || !Object.values(CSRF_REFUSED).some((title) => textOf(page.html).includes(title))) issues.push(`${label}: ${page.status} ${textOf(page.html).slice(0, 120)}`);
    };
    for (const route of portalPostRoutes(t)) {
      const path = fill(route);
      const fields = { next: '/', locale: 'fr', reason: 'Because', comment: 'Now', motivation: 'Forged', email: 'someone@test.example', password: PASSWORD };
      expectRefused(`${route} without a token`, await browser.post(path, fields, { csrf: null }));
      expectRefused(`${route} with a forged token`, await browser.post(path, fields, { csrf: `${own.slice(0, -4)}AAAA` }));
      expectRefused(`${route} with another session's token`, await browser.post(path, fields, { csrf: foreign }));
      if (route.endsWith('/documents')) {
        const form = new FormData();
        form.append('type', 'passport');
        form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'passport.pdf');
        expectRefused(`${route} multipart without a token`, await other.postMultipart(path, form, { csrf: null }));
        expectRefused(`${route} multipart with another session's token`, await other.postMultipart(path, form, { csrf: own }));
      }
    }
    expect(issues).toEqual([]);
    expect(changedTables(before, await checksums.take())).toEqual([]);
    // Both sessions are still there: a refused form signs no one out.
    expect((await browser.get('/')).status).toBe(200);
    expect((await other.get('/')).status).toBe(200);
  });

  it('takes the same forms with their token: the refusals above are the token’s', async () => {
    const asStudent = await browserOf(student);
    await asStudent.get(`/portal/applications/${ids.draft}/edit`);
    const edited = await asStudent.post(`/portal/applications/${ids.draft}/edit`, { motivation: 'Second words', dateOfBirth: '2000-02-02' });
    expect(edited.status).toBe(303);
    expect((await t.api.get(`/applications/${ids.draft}`, { token: student.token })).body.motivation).toBe('Second words');

    const asFamily = await browserOf(familySession);
    await asFamily.get('/portal/placements');
    const accepted = await asFamily.post(`/portal/placements/${ids.placement}/accept`, { comment: 'Welcome' });
    expect(accepted.status).toBe(303);
    expect((await t.api.get(`/placements/${ids.placement}`, { token: familySession.token })).body.status).toBe('accepted');

    const language = await asStudent.post('/language', { locale: 'ru', next: '/' }, { page: '/' });
    expect(language.status).toBe(303);
    expect((await t.api.get('/me', { token: student.token })).body.locale).toBe('ru');
  });

  it('sets its cookies HttpOnly (but the language’s), SameSite=Lax, Secure, Path=/, host-only; the session’s for 12 hours at most', async () => {
    const browser = new PortalClient(t.baseUrl);
    const page = await browser.get('/sign-in');
    const signIn = await browser.post('/sign-in', { email: admin.user.email, password: PASSWORD, next: '/' });
    const language = await browser.post('/language', { locale: 'fr', next: '/' }, { page: '/' });
    const set = new Map([...cookiesSet(page), ...cookiesSet(signIn), ...cookiesSet(language)]);
    expect([...set.keys()].sort()).toEqual(['exchange_csrf', 'exchange_lang', 'exchange_session']);
    for (const [name, cookie] of set) {
      const a = cookie.attributes;
      expect({ name, secure: a.has('secure'), sameSite: a.get('samesite')?.toLowerCase(), path: a.get('path'), domain: a.get('domain') }).toEqual({ name, secure: true, sameSite: 'lax', path: '/', domain: undefined });
      expect({ name, httpOnly: a.has('httponly') }).toEqual({ name, httpOnly: name !== 'exchange_lang' });
    }
    expect(Number(set.get('exchange_session')!.attributes.get('max-age'))).toBeLessThanOrEqual(12 * 3600);
    expect(set.get('exchange_lang')!.value).toBe('fr');
    // Opaque values: no user id, e-mail, role or JSON inside, and the database keeps only a hash of the session's.
    const session = set.get('exchange_session')!.value;
    expect(session).toMatch(/^[\w-]{40,}$/);
    // (Random bytes may hold an "@" or a "{" by chance: what must not be there is the person or a readable structure.)
    const decoded = Buffer.from(session, 'base64url').toString('latin1');
    for (const clue of [admin.user.email, admin.user.id, admin.user.id.replace(/-/g, ''), '"role"', 'admin', '{"']) expect(decoded).not.toContain(clue);
    const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM web_sessions WHERE user_id = $1', [admin.user.id]));
    expect(stored).not.toContain(session);
  });

  it('keeps no session id planted before sign-in, and no token read before it', async () => {
    const victim = new PortalClient(t.baseUrl);
    // The attacker plants an id it knows, and reads a CSRF token with it.
    victim.setCookie('exchange_session', 'attacker-chosen-session-id-0123456789abcdef');
    const before = tokenOf(await victim.get('/sign-in'))!;
    await victim.post('/sign-in', { email: student.user.email, password: PASSWORD, next: '/' });
    const given = victim.cookie('exchange_session');
    expect(given).toBeDefined();
    expect(given).not.toBe('attacker-chosen-session-id-0123456789abcdef');
    const attacker = new PortalClient(t.baseUrl);
    attacker.setCookie('exchange_session', 'attacker-chosen-session-id-0123456789abcdef');
    expect((await attacker.get('/')).status).toBe(303);
    // The token of the signed-out page is no longer good once signed in (bound to the session).
    const refused = await victim.post('/language', { locale: 'fr', next: '/' }, { csrf: before });
    expect(refused.status).toBe(403);
  });

  it('signs out only through the form (CSRF), and then the session is over on the server, not just in the browser', async () => {
    const browser = await browserOf(student);
    await browser.get('/');
    const cookie = browser.cookie('exchange_session')!;
    // A forged sign-out (a link or a cross-site form without the token) does nothing.
    expect((await browser.post('/sign-out', {}, { csrf: null })).status).toBe(403);
    expect((await browser.request('GET', '/sign-out')).status).not.toBe(303);
    expect((await browser.get('/')).status).toBe(200);

    const [{ family_id: familyId }] = (await t.dataSource.query('SELECT family_id FROM web_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [student.user.id])) as { family_id: string }[];
    const out = await browser.post('/sign-out', {}, { page: '/' });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/sign-in');
    // The cookie kept by a thief (or the browser's back button) reaches nothing.
    const thief = new PortalClient(t.baseUrl);
    thief.setCookie('exchange_session', cookie);
    const home = await thief.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toMatch(/^\/sign-in/);
    expect((await thief.get(`/portal/applications/${ids.draft}/edit`)).status).toBe(303);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL', [familyId])).toEqual([{ n: 0 }]);
  });

  it('never takes the portal’s cookie as a caller of the API (no CSRF through the API)', async () => {
    const browser = await browserOf(student);
    const cookie = `exchange_session=${browser.cookie('exchange_session')}; exchange_csrf=${browser.cookie('exchange_csrf')}`;
    expect((await t.api.get('/me', { headers: { cookie } })).status).toBe(401);
    const patched = await t.api.patch('/me', { fullName: 'Forged' }, { headers: { cookie } });
    expect(patched.status).toBe(401);
    expect((await t.api.get('/me', { token: student.token })).body.fullName).not.toBe('Forged');
  });
});
