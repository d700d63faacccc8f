/**
 * The admin's pages over HTTP: the home page's counts, institutions (a field error first,
 * then created and edited), staff accounts (a coordinator invited; a coordinator creating
 * its host-school staff), the audit log with its filters and the chain's verification;
 * and the other side: coordinators and students on admin pages, a coordinator giving a role
 * it may not, forms without their CSRF token.
 */
import pg from 'pg';
import { startTestApp, type TestApp } from '../harness/app.js';
import { superuserUrlOf } from '../harness/database.js';
import { newInstitution, newUser, PASSWORD } from '../harness/factories.js';
import { PortalClient, textOf } from '../harness/portal.js';

describe('portal: admin', () => {
  let t: TestApp;
  let adminEmail: string;
  let coordinatorEmail: string;
  let studentEmail: string;
  let homeId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000' });
    const home = await newInstitution(t.dataSource, { name: 'Lycée Henri-Poincaré' });
    homeId = home.id;
    adminEmail = (await newUser(t.dataSource, { role: 'admin', fullName: 'Ada Admin' })).email;
    coordinatorEmail = (await newUser(t.dataSource, { role: 'coordinator', institutionId: homeId })).email;
    studentEmail = (await newUser(t.dataSource, { role: 'student', institutionId: homeId })).email;
  });
  afterAll(async () => {
    await t.close();
  });

  const signedIn = async (email: string) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    return browser;
  };
  const count = async (sql: string, params: unknown[] = []) => ((await t.dataSource.query(sql, params)) as { n: number }[])[0].n;
  const institutionBody = (overrides: Record<string, string> = {}) => ({
    name: 'Gymnasium No. 36',
    shortName: 'G36',
    city: 'Krasnodar',
    country: 'RU',
    kind: 'school',
    timezone: 'Europe/Moscow',
    schacCode: '',
    erasmusCode: '',
    ...overrides,
  });

  it('shows the platform at a glance: institutions, accounts by role, mails given up, the audit chain never checked', async () => {
    const browser = await signedIn(adminEmail);
    const home = textOf((await browser.get('/')).html);
    expect(home).toContain('Welcome, Ada Admin');
    expect(home).toMatch(/Institutions 1\b/);
    expect(home).toMatch(/Administrator ?: 1\b/);
    expect(home).toMatch(/Coordinator ?: 1\b/);
    expect(home).toMatch(/Host school ?: 0\b/);
    expect(home).toMatch(/Student ?: 1\b/);
    expect(home).toMatch(/Mails given up 0/);
    expect(home).toContain('Never checked');
  });

  it('creates an institution after naming a bad field, refuses a name taken, and edits it', async () => {
    const browser = await signedIn(adminEmail);
    await browser.get('/portal/admin/institutions/new');
    const bad = await browser.post('/portal/admin/institutions', institutionBody({ country: 'Russia', timezone: 'Mars/Olympus' }));
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="country-error"');
    expect(bad.html).toContain('id="timezone-error"');
    expect(bad.html).toMatch(/id="country"[^>]*aria-invalid="true"/);
    const text = textOf(bad.html);
    expect(text).toContain('must be an ISO 3166-1 alpha-2 country code');
    expect(text).toContain('must be an IANA time zone such as Europe/Paris');
    // What was typed is kept.
    expect(bad.html).toMatch(/id="name"[^>]*value="Gymnasium No. 36"/);
    expect(await count("SELECT count(*)::int AS n FROM institutions WHERE name = 'Gymnasium No. 36'")).toBe(0);

    const created = await browser.post('/portal/admin/institutions', institutionBody({ erasmusCode: 'RU KRASNOD36' }));
    expect(created.status).toBe(303);
    expect(created.location).toBe('/portal/admin/institutions?done=institution.created');
    const list = textOf((await browser.get(created.location!)).html);
    expect(list).toContain('The institution is added');
    expect(list).toContain('Gymnasium No. 36 (G36)');
    expect(list).toContain('Krasnodar, RU');
    expect(list).toContain('RU KRASNOD36');

    const taken = await browser.post('/portal/admin/institutions', institutionBody({ shortName: 'G36bis' }), { page: '/portal/admin/institutions/new' });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('id="name-error"');
    expect(textOf(taken.html)).toContain('is already taken');

    const [row] = await t.dataSource.query("SELECT id FROM institutions WHERE name = 'Gymnasium No. 36'");
    const edit = await browser.get(`/portal/admin/institutions/${row.id}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toMatch(/id="timezone"[^>]*value="Europe\/Moscow"/);
    const saved = await browser.post(`/portal/admin/institutions/${row.id}`, institutionBody({ city: 'Krasnodar (Kuban)', erasmusCode: '' }));
    expect(saved.status).toBe(303);
    expect(await t.dataSource.query('SELECT city, erasmus_code FROM institutions WHERE id = $1', [row.id])).toEqual([{ city: 'Krasnodar (Kuban)', erasmus_code: null }]);
    expect(textOf((await browser.get(saved.location!)).html)).toContain('The institution is saved');
  });

  it('creates a coordinator, invited by mail to choose a password, and names an e-mail already taken', async () => {
    const browser = await signedIn(adminEmail);
    const form = await browser.get('/portal/users/new');
    expect(form.status).toBe(200);
    for (const role of ['admin', 'coordinator', 'host_school', 'host_family']) expect(form.html).toContain(`<option value="${role}"`);
    const missing = await browser.post('/portal/users', { fullName: 'Nadia Coordinator', email: 'nadia@test.example', role: 'coordinator', institutionId: '' });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('id="institutionId-error"');
    expect(textOf(missing.html)).toContain('is required');

    const created = await browser.post('/portal/users', { fullName: 'Nadia Coordinator', email: 'nadia@test.example', role: 'coordinator', institutionId: homeId, locale: 'fr' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/portal/users?done=user.invited');
    const list = textOf((await browser.get(created.location!)).html);
    expect(list).toContain('The account is created and an invitation was sent to choose a password');
    expect(list).toMatch(/Nadia Coordinator nadia@test\.example Coordinator Lycée Henri-Poincaré/);
    const [user] = await t.dataSource.query("SELECT id, role, institution_id, locale FROM users WHERE email = 'nadia@test.example'");
    expect(user).toMatchObject({ role: 'coordinator', institution_id: homeId, locale: 'fr' });
    expect(await count('SELECT count(*)::int AS n FROM password_tokens WHERE user_id = $1', [user.id])).toBe(1);

    const filtered = textOf((await browser.get('/portal/users?role=coordinator')).html);
    expect(filtered).toContain('Nadia Coordinator');
    expect(filtered).not.toMatch(/Ada Admin \S+@/);

    const again = await browser.post('/portal/users', { fullName: 'Someone Else', email: 'nadia@test.example', role: 'host_school', institutionId: homeId }, { page: '/portal/users/new' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('id="email-error"');
    expect(textOf(again.html)).toContain('An account with this e-mail already exists');
    // The admin menu's address leads to the same page.
    expect((await browser.get('/portal/admin/users?role=admin')).location).toBe('/portal/users?role=admin');
  });

  it("reads the audit log with its filters, and verifies the chain", async () => {
    const browser = await signedIn(adminEmail);
    const log = await browser.get('/portal/admin/audit');
    expect(log.status).toBe(200);
    const text = textOf(log.html);
    expect(text).toContain('institution.create');
    expect(text).toContain('user.create');
    const onlyInstitutions = textOf((await browser.get('/portal/admin/audit?action=institution')).html);
    expect(onlyInstitutions).toContain('institution.create');
    expect(onlyInstitutions).toContain('institution.edit');
    expect(onlyInstitutions).not.toContain('user.create');
    const [nadia] = await t.dataSource.query("SELECT id FROM users WHERE email = 'nadia@test.example'");
    const aboutNadia = textOf((await browser.get(`/portal/admin/audit?targetId=${nadia.id}`)).html);
    expect(aboutNadia).toContain('user.create');
    expect(aboutNadia).not.toContain('institution.create');
    const badCursor = await browser.get('/portal/admin/audit?cursor=nonsense&from=2026-13-01T00:00');
    expect(badCursor.status).toBe(400);
    expect(badCursor.html).toContain('id="from-error"');

    await browser.get('/portal/admin/audit');
    const verified = await browser.post('/portal/admin/audit/verify');
    expect(verified.status).toBe(200);
    expect(textOf(verified.html)).toMatch(/The chain is intact\. \d+ entries checked, up to entry no\. \d+\./);
    const home = textOf((await browser.get('/')).html);
    expect(home).toMatch(/Audit chain The chain is intact Last checked/);
    expect(await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'audit.verify'")).toBe(1);
  });

  it('pages through the audit log by its keyset, newest first, without repeats', async () => {
    const someone = await newUser(t.dataSource, { role: 'coordinator', institutionId: homeId });
    const token = (await t.api.post('/auth/login', { email: someone.email, password: PASSWORD })).body.accessToken;
    for (let i = 0; i < 55; i++) expect((await t.api.patch('/me', { fullName: `Renamed ${i}` }, { token })).status).toBe(200);
    const browser = await signedIn(adminEmail);
    const first = await browser.get(`/portal/admin/audit?action=user.edit&actorId=${someone.id}`);
    const seqs = (html: string) => [...html.matchAll(/<tr>\s*<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const page1 = seqs(first.html);
    expect(page1).toHaveLength(50);
    const next = /<a href="([^"]+cursor=[^"]+)">Next page<\/a>/.exec(first.html)![1].replace(/&amp;/g, '&');
    expect(next).toContain('action=user.edit');
    const second = await browser.get(next);
    const page2 = seqs(second.html);
    expect(page2).toHaveLength(5);
    expect(second.html).not.toContain('Next page');
    const all = [...page1, ...page2];
    expect(new Set(all).size).toBe(55);
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it('lets a coordinator create its host-school staff only, and keeps it and students off the admin pages', async () => {
    const coordinator = await signedIn(coordinatorEmail);
    const form = await coordinator.get('/portal/users/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('<option value="host_school"');
    expect(form.html).toContain('<option value="host_family"');
    expect(form.html).not.toContain('<option value="coordinator"');
    expect(textOf(form.html)).toContain('The account belongs to your institution: Lycée Henri-Poincaré.');
    const created = await coordinator.post('/portal/users', { fullName: 'Paul Accueil', email: 'paul.accueil@test.example', role: 'host_school', password: 'a-long-enough-password' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/portal/users?done=user.created');
    expect(await t.dataSource.query("SELECT role, institution_id FROM users WHERE email = 'paul.accueil@test.example'")).toEqual([{ role: 'host_school', institution_id: homeId }]);

    // A role the service does not let it give: refused, nothing created.
    const coordinatorMade = await coordinator.post('/portal/users', { fullName: 'Not Allowed', email: 'not.allowed@test.example', role: 'coordinator' }, { page: '/portal/users/new' });
    expect(coordinatorMade.status).toBe(403);
    expect(textOf(coordinatorMade.html)).toContain('You may not do this');
    expect(await count("SELECT count(*)::int AS n FROM users WHERE email = 'not.allowed@test.example'")).toBe(0);

    for (const path of ['/portal/admin/institutions', '/portal/admin/institutions/new', '/portal/admin/audit', '/portal/admin/users']) {
      expect({ path, status: (await coordinator.get(path)).status }).toEqual({ path, status: 403 });
    }
    expect((await coordinator.post('/portal/admin/institutions', institutionBody({ name: 'Coordinator Made' }), { page: '/' })).status).toBe(403);
    expect((await coordinator.post('/portal/admin/audit/verify', {}, { page: '/' })).status).toBe(403);
    expect(await count("SELECT count(*)::int AS n FROM institutions WHERE name = 'Coordinator Made'")).toBe(0);

    const student = await signedIn(studentEmail);
    for (const path of ['/portal/admin/institutions', '/portal/admin/audit', '/portal/users', '/portal/users/new']) {
      expect({ path, status: (await student.get(path)).status }).toEqual({ path, status: 403 });
    }
  });

  it('refuses admin forms posted without their CSRF token, and changes nothing', async () => {
    const browser = await signedIn(adminEmail);
    await browser.get('/portal/admin/institutions/new');
    const forged = await browser.post('/portal/admin/institutions', institutionBody({ name: 'Forged Institution' }), { csrf: null });
    expect(forged.status).toBe(403);
    expect(await count("SELECT count(*)::int AS n FROM institutions WHERE name = 'Forged Institution'")).toBe(0);
    const forgedUser = await browser.post('/portal/users', { fullName: 'Forged', email: 'forged@test.example', role: 'admin' }, { csrf: null });
    expect(forgedUser.status).toBe(403);
    expect(await count("SELECT count(*)::int AS n FROM users WHERE email = 'forged@test.example'")).toBe(0);
    const checks = await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'audit.verify'");
    expect((await browser.post('/portal/admin/audit/verify', {}, { csrf: null })).status).toBe(403);
    expect(await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'audit.verify'")).toBe(checks);
  });

  it('renders the institutions and the audit log in French and Russian', async () => {
    const fr = await signedIn((await newUser(t.dataSource, { role: 'admin', locale: 'fr' })).email);
    const institutions = textOf((await fr.get('/portal/admin/institutions')).html);
    expect(institutions).toContain('Établissements');
    expect(institutions).toContain('Ajouter un établissement');
    expect(institutions).toContain('Établissement scolaire');
    const ru = await signedIn((await newUser(t.dataSource, { role: 'admin', locale: 'ru' })).email);
    const audit = textOf((await ru.get('/portal/admin/audit')).html);
    expect(audit).toContain('Журнал аудита');
    expect(audit).toContain('Проверить цепочку');
    expect(textOf((await ru.get('/')).html)).toContain('Учётные записи по ролям');
  });

  // Last: it breaks the chain for good.
  it('names the first broken entry when an entry was changed behind the application', async () => {
    const su = new pg.Client({ connectionString: superuserUrlOf(t.settings.databaseUrl!) });
    await su.connect();
    try {
      const { rows } = await su.query("SELECT id, seq::text AS seq FROM audit.audit_log WHERE action = 'institution.create' ORDER BY seq LIMIT 1");
      await su.query('ALTER TABLE audit.audit_log DISABLE TRIGGER USER');
      await su.query("UPDATE audit.audit_log SET comment = 'rewritten' WHERE id = $1", [rows[0].id]);
      await su.query('ALTER TABLE audit.audit_log ENABLE TRIGGER USER');
      const browser = await signedIn(adminEmail);
      await browser.get('/portal/admin/audit');
      const verified = await browser.post('/portal/admin/audit/verify');
      expect(verified.status).toBe(200);
      const text = textOf(verified.html);
      expect(text).toContain(`The chain is broken. The first broken entry is no. ${rows[0].seq} ( ${rows[0].id} ): it was changed.`);
      expect(text).toContain(`${Number(rows[0].seq) - 1} entries before it are intact.`);
      expect(textOf((await browser.get('/')).html)).toMatch(new RegExp(`Audit chain The chain is broken Last checked .* first broken at entry no. ${rows[0].seq}`));
    } finally {
      await su.end();
    }
  });
});
