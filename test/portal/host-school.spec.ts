/**
 * The host school's pages over HTTP, as a browser sends them: the arrivals board (today,
 * week, overdue), check-in with its refusals in words, the checklist and its completion,
 * the calendar subscription link, the home page's counts; and the other side: another
 * institution's staff, a student, a form without its CSRF token, a wrong or revoked link.
 */
import { confirmedApplication, newStudents, stayBegun } from '../harness/applications.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { newUser, PASSWORD, type Session } from '../harness/factories.js';
import { homestayExchange, profile } from '../harness/host-families.js';
import { PortalClient, textOf } from '../harness/portal.js';

describe('portal: host school', () => {
  let t: TestApp;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let other: Awaited<ReturnType<typeof homestayExchange>>;
  let hostSchoolEmail: string;
  let otherHostSchoolEmail: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t);
    other = await homestayExchange(t);
    hostSchoolEmail = (await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId, fullName: 'Irina Host School' })).email;
    otherHostSchoolEmail = (await newUser(t.dataSource, { role: 'host_school', institutionId: other.receiving.institutionId })).email;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A student of the exchange, confirmed, the stay begun, arriving now by plane with a pickup (or as told). */
  async function arriving(fullName: string, travel: Record<string, unknown> = {}): Promise<{ id: string; student: Session }> {
    const [student] = await newStudents(t, exchange.sending.institutionId, 1);
    await t.dataSource.query('UPDATE users SET full_name = $2 WHERE id = $1', [student.user.id, fullName]);
    const confirmed = await confirmedApplication(t, student, exchange.program, exchange.sides, { dateOfBirth: '2000-05-01', matchingProfile: profile() });
    await stayBegun(t, exchange.program.id);
    const response = await t.api.put(
      `/applications/${confirmed.id}/travel`,
      { arrivalAt: new Date().toISOString(), transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: true, ...travel },
      { token: student.token },
    );
    expect(response.status).toBe(200);
    return { id: confirmed.id as string, student };
  }

  const statusOf = async (id: string) => ((await t.dataSource.query('SELECT status FROM applications WHERE id = $1', [id])) as { status: string }[])[0].status;
  const signedIn = async (email: string) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    return browser;
  };

  it('shows an expected arrival on the board, checks the student in, then completes an item of the checklist', async () => {
    const { id } = await arriving('Manon Chevalier');
    const browser = await signedIn(hostSchoolEmail);

    const home = textOf((await browser.get('/')).html);
    expect(home).toMatch(/Arriving today 1\b/);
    expect(home).toContain('Overdue arrivals 0');

    const board = await browser.get('/portal/arrivals?view=today');
    expect(board.status).toBe(200);
    const text = textOf(board.html);
    expect(text).toContain('Times are shown in the time zone Europe/Moscow');
    expect(text).toContain('Manon Chevalier');
    expect(text).toContain(exchange.program.title);
    expect(text).toContain('Plane SU 1140 Krasnodar airport (KRR) Pickup needed');
    expect(text).toContain('No host family');
    expect(text).toContain('Expected');
    expect(board.html).toContain(`action="/portal/arrivals/${id}/check-in"`);

    const checkIn = await browser.post(`/portal/arrivals/${id}/check-in`, { back: '/portal/arrivals?view=today' });
    expect(checkIn.status).toBe(303);
    expect(checkIn.location).toBe('/portal/arrivals?view=today&done=arrival.checkedIn');
    expect(await statusOf(id)).toBe('arrived');
    const after = textOf((await browser.get(checkIn.location!)).html);
    expect(after).toContain('The arrival is checked in');
    expect(after).toMatch(/Manon Chevalier .*Arrived/);
    expect(after).toMatch(/0 of \d+ done/);

    // Checked in twice: the conflict in words, on the board, nothing changed.
    const again = await browser.post(`/portal/arrivals/${id}/check-in`, { back: '/portal/arrivals?view=today' });
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('An application in status arrived cannot be checked in');

    const checklist = await browser.get(`/portal/applications/${id}/checklist`);
    expect(checklist.status).toBe(200);
    const list = textOf(checklist.html);
    expect(list).toContain('Arrival checklist of Manon Chevalier');
    expect(list).toContain('Migration registration');
    expect(list).toContain('Orientation');
    expect(list).toContain('Host school');
    expect(list).toContain('Open');
    expect(list).not.toContain('Done');
    const itemId = /action="\/portal\/checklist-items\/([0-9a-f-]{36})\/complete"/.exec(checklist.html)![1];
    const completed = await browser.post(`/portal/checklist-items/${itemId}/complete`, { note: 'Seen at the front desk', back: `/portal/applications/${id}/checklist` });
    expect(completed.status).toBe(303);
    expect(completed.location).toBe(`/portal/applications/${id}/checklist?done=checklist.completed`);
    const done = textOf((await browser.get(completed.location!)).html);
    expect(done).toContain('The item is marked as done');
    expect(done).toContain('Note: Seen at the front desk');
    expect(done.match(/\bDone\b/g)).toHaveLength(1);
    const [row] = await t.dataSource.query('SELECT completed_at, note FROM checklist_items WHERE id = $1', [itemId]);
    expect(row.completed_at).not.toBeNull();
    expect(row.note).toBe('Seen at the front desk');

    // Completed twice: said in words, with the time it was done.
    const twice = await browser.post(`/portal/checklist-items/${itemId}/complete`, { back: `/portal/applications/${id}/checklist` });
    expect(twice.status).toBe(409);
    expect(textOf(twice.html)).toMatch(/This item was already completed on \d{4}-/);
  });

  it('names a check-in time in the future next to its field, and a bad date filter next to its own', async () => {
    const { id } = await arriving('Théo Fontaine');
    const browser = await signedIn(hostSchoolEmail);
    await browser.get('/portal/arrivals?view=week');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
    const future = await browser.post(`/portal/arrivals/${id}/check-in`, { arrivedAt: tomorrow, back: '/portal/arrivals?view=week' });
    expect(future.status).toBe(400);
    expect(future.html).toContain(`id="arrivedAt-${id}-error"`);
    expect(future.html).toContain('aria-invalid="true"');
    expect(textOf(future.html)).toContain('must not be in the future');
    expect(await statusOf(id)).toBe('confirmed');

    const badDate = await browser.get('/portal/arrivals?from=2027-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.html).toContain('id="from-error"');
    expect(textOf(badDate.html)).toContain('must be a date YYYY-MM-DD');
  });

  it('lists the next seven days and what is overdue', async () => {
    await arriving('Théo Fontaine');
    const late = await arriving('Artem Belov', { arrivalAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    const browser = await signedIn(hostSchoolEmail);
    const overdue = textOf((await browser.get('/portal/arrivals?view=overdue')).html);
    expect(overdue).toMatch(/Artem Belov .*Overdue/);
    expect(overdue).not.toContain('Théo Fontaine');
    const week = textOf((await browser.get('/portal/arrivals?view=week')).html);
    expect(week).toContain('Théo Fontaine');
    expect(week).not.toContain('Artem Belov');
    expect(textOf((await browser.get('/')).html)).toMatch(/Overdue arrivals [1-9]/);
    expect(await statusOf(late.id)).toBe('confirmed');
  });

  it('gives a calendar link that works without a session, until a new one replaces it', async () => {
    const browser = await signedIn(hostSchoolEmail);
    const before = await browser.get('/portal/arrivals');
    expect(textOf(before.html)).toContain('Make my calendar address');
    expect(before.html).not.toContain('/portal/arrivals/feed/');

    const made = await browser.post('/portal/arrivals/feed');
    expect(made.status).toBe(303);
    const page = await browser.get('/portal/arrivals');
    const url = /value="(https?:\/\/[^"]+\/portal\/arrivals\/feed\/[A-Za-z0-9_-]{43}\.ics)"/.exec(page.html)![1];
    expect(textOf(page.html)).toContain('Make a new address (the old one stops working)');
    const path = new URL(url).pathname;

    // A calendar application: no cookie, no token.
    const feed = await fetch(`${t.baseUrl}${path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = await feed.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    expect(calendar).toContain('Manon Chevalier arrives');
    // The same as the API's feed for that user.
    const apiLogin = await t.api.post('/auth/login', { email: hostSchoolEmail, password: PASSWORD });
    const api = await t.api.get('/arrivals.ics', { token: apiLogin.body.accessToken });
    const uids = (ics: string) => [...ics.matchAll(/^UID:(.+)$/gm)].map((m) => m[1].trim()).sort();
    expect(uids(calendar)).toEqual(uids(api.text));
    // The link is stored only as a hash.
    const rows = await t.dataSource.query('SELECT token_hash FROM calendar_feed_tokens');
    expect(JSON.stringify(rows)).not.toContain(path.split('/').pop()!.replace('.ics', ''));

    // Another browser's page shows the same link (it is the user's, not the session's).
    const second = await signedIn(hostSchoolEmail);
    expect((await second.get('/portal/arrivals')).html).toContain(url);

    await browser.get('/portal/arrivals');
    await browser.post('/portal/arrivals/feed');
    const renewed = /value="(https?:\/\/[^"]+\/portal\/arrivals\/feed\/[A-Za-z0-9_-]{43}\.ics)"/.exec((await browser.get('/portal/arrivals')).html)![1];
    expect(renewed).not.toBe(url);
    expect((await fetch(`${t.baseUrl}${path}`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}${new URL(renewed).pathname}`)).status).toBe(200);
    for (const wrong of ['/portal/arrivals/feed/not-a-token.ics', `/portal/arrivals/feed/${'A'.repeat(43)}.ics`, `${new URL(renewed).pathname.replace('.ics', '')}`]) {
      const response = await fetch(`${t.baseUrl}${wrong}`);
      expect({ wrong, status: response.status }).toEqual({ wrong, status: 404 });
      expect(await response.text()).not.toContain('BEGIN:VCALENDAR');
    }
  });

  it("exports the link's date (never the link) with the person's data, and ends the link with the account's erasure", async () => {
    const user = await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId });
    const browser = await signedIn(user.email);
    await browser.post('/portal/arrivals/feed', {}, { page: '/portal/arrivals' });
    const url = /value="(https?:\/\/[^"]+\/portal\/arrivals\/feed\/([A-Za-z0-9_-]{43})\.ics)"/.exec((await browser.get('/portal/arrivals')).html)!;
    const path = new URL(url[1]).pathname;
    expect((await fetch(`${t.baseUrl}${path}`)).status).toBe(200);
    const token = (await t.api.post('/auth/login', { email: user.email, password: PASSWORD })).body.accessToken;
    const exported = await t.api.get('/me/export', { token });
    expect(exported.status).toBe(200);
    expect(exported.body.calendarFeeds).toEqual([{ id: expect.any(String), createdAt: expect.any(String) }]);
    expect(exported.text).not.toContain(url[2]);
    expect((await t.api.post('/me/erase', undefined, { token })).status).toBe(204);
    expect((await fetch(`${t.baseUrl}${path}`)).status).toBe(404);
    expect(await t.dataSource.query('SELECT id FROM calendar_feed_tokens WHERE user_id = $1', [user.id])).toEqual([]);
  });

  it('never shows a link that would not work (a secret its row no longer matches, as after a change of the server key)', async () => {
    const user = await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId });
    const browser = await signedIn(user.email);
    await browser.post('/portal/arrivals/feed', {}, { page: '/portal/arrivals' });
    expect((await browser.get('/portal/arrivals')).html).toContain('/portal/arrivals/feed/');
    await t.dataSource.query("UPDATE calendar_feed_tokens SET token_hash = encode(sha256('made with another key'), 'hex') WHERE user_id = $1", [user.id]);
    const page = await browser.get('/portal/arrivals');
    expect(page.html).not.toContain('/portal/arrivals/feed/');
    expect(textOf(page.html)).toContain('Make my calendar address');
  });

  it("shows another institution's host school nothing of these students: not on its board, 404 on the checklist, check-in and completion, nothing changed", async () => {
    const { id } = await arriving('Sofia Morozova');
    const owner = await signedIn(hostSchoolEmail);
    await owner.post(`/portal/arrivals/${id}/check-in`, { back: '/portal/arrivals' }, { page: '/portal/arrivals' });
    expect(await statusOf(id)).toBe('arrived');
    const itemId = /action="\/portal\/checklist-items\/([0-9a-f-]{36})\/complete"/.exec((await owner.get(`/portal/applications/${id}/checklist`)).html)![1];
    const { id: waiting } = await arriving('Inès Garnier');

    const stranger = await signedIn(otherHostSchoolEmail);
    const board = textOf((await stranger.get('/portal/arrivals?view=week')).html);
    expect(board).not.toContain('Sofia Morozova');
    expect(board).not.toContain('Inès Garnier');
    const checklist = await stranger.get(`/portal/applications/${id}/checklist`);
    expect(checklist.status).toBe(404);
    expect(textOf(checklist.html)).toContain('This page does not exist, or it is not yours to see');
    expect(checklist.html).not.toContain('Sofia Morozova');
    await stranger.get('/portal/arrivals');
    expect((await stranger.post(`/portal/arrivals/${waiting}/check-in`, { back: '/portal/arrivals' })).status).toBe(404);
    expect((await stranger.post(`/portal/checklist-items/${itemId}/complete`, { note: 'x', back: `/portal/applications/${id}/checklist` })).status).toBe(404);
    expect(await statusOf(waiting)).toBe('confirmed');
    const [item] = await t.dataSource.query('SELECT completed_at FROM checklist_items WHERE id = $1', [itemId]);
    expect(item.completed_at).toBeNull();
  });

  it('refuses a check-in posted without its CSRF token, and the board to a student', async () => {
    const { id, student } = await arriving('Hugo Petit');
    const browser = await signedIn(hostSchoolEmail);
    await browser.get('/portal/arrivals');
    const forged = await browser.post(`/portal/arrivals/${id}/check-in`, { back: '/portal/arrivals' }, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await statusOf(id)).toBe('confirmed');
    expect((await browser.post('/portal/arrivals/feed', {}, { csrf: null })).status).toBe(403);

    const pupil = await signedIn(student.user.email);
    expect((await pupil.get('/portal/arrivals')).status).toBe(403);
    expect((await pupil.post(`/portal/arrivals/${id}/check-in`, { back: '/portal/arrivals' }, { page: '/' })).status).toBe(403);
    expect(await statusOf(id)).toBe('confirmed');
  });

  it('renders the board and the checklist in French and Russian', async () => {
    const fr = await signedIn((await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId, locale: 'fr' })).email);
    const board = textOf((await fr.get('/portal/arrivals?view=week')).html);
    expect(board).toContain('Tableau des arrivées');
    expect(board).toContain('Les 7 prochains jours');
    expect(board).toContain('Attendu');
    const ru = await signedIn((await newUser(t.dataSource, { role: 'host_school', institutionId: exchange.receiving.institutionId, locale: 'ru' })).email);
    const [arrived] = await t.dataSource.query("SELECT id FROM applications WHERE status = 'arrived' AND receiving_institution_id = $1 LIMIT 1", [exchange.receiving.institutionId]);
    const checklist = textOf((await ru.get(`/portal/applications/${arrived.id}/checklist`)).html);
    expect(checklist).toContain('Формальности по прибытии');
    expect(checklist).toContain('Миграционный учёт');
    expect(checklist).toContain('Принимающая школа');
    expect(textOf((await ru.get('/')).html)).toContain('Прибывают сегодня');
  });
});
