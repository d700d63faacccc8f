/**
 * The portal's sign-in, session cookie, CSRF protection, registration and language switch,
 * over HTTP as a browser would send them.
 */
import { newInstitution, newUser, PASSWORD } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { PortalClient, textOf } from '../harness/portal.js';

describe('portal: signing in and out', () => {
  let t: TestApp;
  let institutionId: string;
  let email: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    const institution = await newInstitution(t.dataSource);
    institutionId = institution.id;
    email = (await newUser(t.dataSource, { role: 'coordinator', institutionId, fullName: 'Camille Portal', locale: 'fr' })).email;
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends a visitor to the sign-in page, and back where it was going once signed in', async () => {
    const browser = new PortalClient(t.baseUrl);
    const home = await browser.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/sign-in?next=%2F');
    const page = await browser.get(home.location!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.html).toContain('name="_csrf"');
    const signedIn = await browser.post('/sign-in', { email, password: PASSWORD, next: '/' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/');
    const welcome = await browser.get('/');
    expect(welcome.status).toBe(200);
    // The user's own language (fr), and its name.
    expect(textOf(welcome.html)).toContain('Bienvenue, Camille Portal');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, a new one at every sign-in, and ends it at sign-out', async () => {
    const browser = new PortalClient(t.baseUrl);
    // A session id planted in the browser before sign-in (session fixation) is worth nothing after.
    const planted = 'planted-session-id-0123456789';
    browser.setCookie('exchange_session', planted);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { email, password: PASSWORD, next: '/' });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('exchange_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // not in production
    const first = browser.cookie('exchange_session');
    expect(first).toBeDefined();
    expect(first).not.toBe(planted);
    await browser.get('/');
    // Signed in again from the same browser (the form of a page read in the session).
    await browser.post('/sign-in', { email, password: PASSWORD, next: '/' });
    expect(browser.cookie('exchange_session')).not.toBe(first);

    // The first session ended with the second sign-in of this browser.
    const thief = new PortalClient(t.baseUrl);
    thief.setCookie('exchange_session', first);
    expect((await thief.get('/')).status).toBe(303);

    const kept = browser.cookie('exchange_session')!;
    await browser.get('/');
    const out = await browser.post('/sign-out');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/sign-in');
    thief.setCookie('exchange_session', kept);
    expect((await thief.get('/')).status).toBe(303);
  });

  it('ends the portal session when the API revokes its sessions (logout of all sessions)', async () => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    expect((await browser.get('/')).status).toBe(200);
    const login = await t.api.post('/auth/login', { email, password: PASSWORD });
    expect((await t.api.post('/auth/logout', {}, { token: login.body.accessToken })).status).toBe(204);
    expect((await browser.get('/')).status).toBe(303);
  });

  it('refuses a form posted without its CSRF token, or with one from another session, and changes nothing', async () => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    const missing = await browser.post('/language', { locale: 'ru', next: '/' }, { csrf: null });
    expect(missing.status).toBe(403);
    expect(textOf(missing.html)).toMatch(/formulaire a expiré/);
    const other = new PortalClient(t.baseUrl);
    await other.get('/sign-in');
    const foreign = /name="_csrf" value="([^"]+)"/.exec((await other.get('/sign-in')).html)![1];
    expect((await browser.post('/language', { locale: 'ru', next: '/' }, { csrf: foreign })).status).toBe(403);
    expect(textOf((await browser.get('/')).html)).toContain('Bienvenue');
    // A sign-in form without its token is refused too (login CSRF).
    const fresh = new PortalClient(t.baseUrl);
    expect((await fresh.post('/sign-in', { email, password: PASSWORD }, { csrf: null })).status).toBe(403);
  });

  it('answers a wrong password on the form, in the same words as an unknown e-mail, and records the failure', async () => {
    const browser = new PortalClient(t.baseUrl);
    const wrong = await browser.post('/sign-in', { email, password: 'not-the-password', next: '/' }, { page: '/sign-in' });
    const unknown = await browser.post('/sign-in', { email: 'nobody@example.org', password: 'not-the-password', next: '/' }, { page: '/sign-in' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(textOf(wrong.html)).toContain('Wrong e-mail or password');
    expect(textOf(unknown.html)).toContain('Wrong e-mail or password');
    expect(browser.cookie('exchange_session')).toBeUndefined();
    const [row] = await t.dataSource.query("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'auth.login_failed'");
    expect(row.n).toBeGreaterThanOrEqual(2);
  });

  it('never leads off the site after signing in', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const browser = new PortalClient(t.baseUrl);
      const response = await browser.post('/sign-in', { email, password: PASSWORD, next }, { page: '/sign-in' });
      expect(response.location).toBe('/');
    }
  });

  it('registers a student, signed in at once; field errors name the field in the chosen language', async () => {
    const browser = new PortalClient(t.baseUrl);
    await browser.get('/register');
    await browser.post('/language', { locale: 'ru', next: '/register' });
    const bad = await browser.post('/register', { fullName: '', email: 'not-an-email', password: 'short', homeInstitutionId: institutionId });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="email-error"');
    expect(bad.html).toContain('aria-invalid="true"');
    expect(textOf(bad.html)).toContain('должно быть адресом e-mail');
    const good = await browser.post('/register', { fullName: 'Nina Register', email: 'nina.register@example.org', password: 'a-long-enough-password', homeInstitutionId: institutionId });
    expect(good.status).toBe(303);
    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(textOf(home.html)).toContain('Nina Register');
    const [user] = await t.dataSource.query("SELECT role, locale FROM users WHERE email = 'nina.register@example.org'");
    expect(user).toEqual({ role: 'student', locale: 'ru' });
    const taken = await new PortalClient(t.baseUrl).post('/register', { fullName: 'Again', email: 'nina.register@example.org', password: 'a-long-enough-password', homeInstitutionId: institutionId }, { page: '/register' });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('id="email-error"');
  });

  it('keeps the API JSON only: a form body sent to the API is 415 problem+json', async () => {
    const response = await fetch(`${t.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=${encodeURIComponent(email)}&password=${PASSWORD}` });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('portal: addresses that are no page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unknown address, or a page asked with the wrong method, with the portal’s 404 page', async () => {
    const institution = await newInstitution(t.dataSource);
    const user = await newUser(t.dataSource, { role: 'coordinator', institutionId: institution.id });
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(user.email, PASSWORD);
    for (const path of ['/portal/nope', '/portal/applications/00000000-0000-4000-8000-000000000000/submit']) {
      const page = await browser.get(path);
      expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({ path, status: 404, type: expect.stringMatching(/text\/html/) });
      expect(textOf(page.html)).toContain('This page does not exist, or it is not yours to see');
    }
  });

  it('keeps a calendar link’s secret out of the request log', async () => {
    const lines: string[] = [];
    const logged = await startTestApp({ LOG_LEVEL: 'info' }, { logDestination: { write: (line: string) => void lines.push(line) } });
    try {
      await fetch(`${logged.baseUrl}/portal/arrivals/feed/very-secret-token-123.ics`);
      expect(lines.join('\n')).not.toContain('very-secret-token-123');
      expect(lines.join('\n')).toContain('/portal/arrivals/feed/[secret]');
    } finally {
      await logged.close();
    }
  });
});
