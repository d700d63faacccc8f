/**
 * The coordinator's pages over HTTP as a browser sends them: the dashboard, the outgoing
 * and incoming queues, the application's page (documents, history, actions, the 409s in
 * words), host families (register, vet, suspend) and matching with a placement proposed;
 * then the same pages from the attacker's side.
 */
import { submittedApplication, TINY_PDF, transition } from '../harness/applications.js';
import { newUser, PASSWORD, type Session } from '../harness/factories.js';
import { acceptedApplications, homestayExchange, profile, STAY, today, vettedFamily } from '../harness/host-families.js';
import { activeAgreement, newPartner, publishedProgram, type Partner } from '../harness/partnerships.js';
import { PortalClient, textOf } from '../harness/portal.js';
import { startTestApp, type TestApp } from '../harness/app.js';

/** A browser signed in as that user. */
async function browserOf(t: TestApp, user: { email: string }): Promise<PortalClient> {
  const browser = new PortalClient(t.baseUrl);
  await browser.signIn(user.email, PASSWORD);
  return browser;
}

/** The hrefs of a page that match `pattern`. */
const links = (html: string, pattern: RegExp) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')).filter((href) => pattern.test(href));

/** The application's status as stored. */
async function statusOf(t: TestApp, applicationId: string): Promise<string> {
  const [row] = await t.dataSource.query('SELECT status FROM applications WHERE id = $1', [applicationId]);
  return row.status as string;
}

describe('portal: the coordinator', () => {
  let t: TestApp;
  let sending: Partner;
  let receiving: Partner;
  let outsider: Partner;
  let program: { id: string; title: string };
  let students: Session[];
  let first: { id: string };
  let second: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    [sending, receiving, outsider] = await Promise.all([
      newPartner(t, { city: 'Nancy', country: 'FR', timezone: 'Europe/Paris' }),
      newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' }),
      newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' }),
    ]);
    const agreement = await activeAgreement(t, { partners: [sending, receiving] });
    program = await publishedProgram(t, sending.coordinator, agreement.id, sending.institutionId, receiving.institutionId, {
      seats: 1,
      requiredDocuments: ['transcript'],
      requiresLearningAgreement: false,
      languageRequirement: { language: 'fr', minLevel: 'B1' },
    });
    students = await Promise.all(
      ['Léa Martin', 'Ivan Petrov'].map(async (fullName) => {
        const user = await newUser(t.dataSource, { role: 'student', institutionId: sending.institutionId, fullName });
        const login = await t.api.post('/auth/login', { email: user.email, password: PASSWORD });
        return { user, token: login.body.accessToken, refreshToken: login.body.refreshToken };
      }),
    );
    first = await submittedApplication(t, students[0], { id: program.id, requiredDocuments: ['transcript'] }, { motivation: 'I want to study in Krasnodar.', languageLevels: [{ language: 'fr', level: 'C1' }] });
    second = await submittedApplication(t, students[1], { id: program.id, requiredDocuments: ['transcript'] }, { languageLevels: [{ language: 'fr', level: 'A2' }] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('leads the sending coordinator from the dashboard to the submitted application, its document, and its nomination', async () => {
    const browser = await browserOf(t, sending.coordinator.user);
    const home = textOf((await browser.get('/')).html);
    expect(home).toContain('Waiting for you');
    expect(home).toMatch(/Outgoing applications to nominate 2 /);

    const queue = await browser.get('/portal/applications?direction=outgoing&status=submitted');
    expect(queue.status).toBe(200);
    expect(textOf(queue.html)).toContain('Léa Martin');
    expect(textOf(queue.html)).toContain('Ivan Petrov');
    expect(textOf(queue.html)).toContain(program.title);
    expect(links(queue.html, /^\/portal\/applications\/[0-9a-f-]{36}$/)).toEqual(expect.arrayContaining([`/portal/applications/${first.id}`, `/portal/applications/${second.id}`]));

    // One row a page: the next page's link carries the cursor and the filters.
    const one = await browser.get('/portal/applications?direction=outgoing&status=submitted&limit=1');
    const [next] = links(one.html, /cursor=/);
    expect(next).toMatch(/^\/portal\/applications\?direction=outgoing&status=submitted&limit=1&cursor=[\w-]+$/);
    const rest = await browser.get(next);
    const shown = [one, rest].map((p) => links(p.html, /^\/portal\/applications\/[0-9a-f-]{36}$/));
    expect(shown.flat().sort()).toEqual([`/portal/applications/${first.id}`, `/portal/applications/${second.id}`].sort());
    expect(links(rest.html, /cursor=/)).toEqual([]);

    const page = await browser.get(`/portal/applications/${first.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Application of Léa Martin');
    expect(text).toContain(program.title);
    expect(text).toContain('I want to study in Krasnodar.');
    expect(text).toContain('Requirement met');
    expect(text).toContain('Transcript');
    expect(page.html).toMatch(/<h1>[^<]*Léa Martin/);

    // The document, as an attachment, with the download recorded.
    const [download] = links(page.html, /^\/portal\/documents\/[0-9a-f-]{36}\/content$/);
    const file = await browser.get(download);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="transcript.pdf"/);
    expect(Buffer.from(file.html, 'latin1').length).toBe(TINY_PDF.length);
    const [recorded] = await t.dataSource.query("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'document.download' AND actor_id = $1", [sending.coordinator.user.id]);
    expect(recorded.n).toBe(1);

    const nominated = await browser.post(`/portal/applications/${first.id}/transitions/nominate`);
    expect(nominated.status).toBe(303);
    expect(nominated.location).toBe(`/portal/applications/${first.id}?done=coordinator.nominated`);
    const after = textOf((await browser.get(nominated.location!)).html);
    expect(after).toContain('The application is nominated');
    expect(after).toContain('Nominated');
    expect(await statusOf(t, first.id)).toBe('nominated');
  });

  it('lets the receiving coordinator accept from the incoming queue, and explains in words that no seat is left', async () => {
    await transition(t, sending.coordinator, second.id, 'nominate');
    const browser = await browserOf(t, receiving.coordinator.user);
    expect(textOf((await browser.get('/')).html)).toMatch(/Incoming applications to accept 2 /);
    const queue = await browser.get('/portal/applications?direction=incoming&status=nominated');
    expect(links(queue.html, /^\/portal\/applications\/[0-9a-f-]{36}$/).sort()).toEqual([`/portal/applications/${first.id}`, `/portal/applications/${second.id}`].sort());
    // The language check of the level declared: C1 meets B1, A2 does not.
    expect(textOf(queue.html)).toMatch(/Léa Martin .* Requirement met/);
    expect(textOf(queue.html)).toMatch(/Ivan Petrov .* Requirement not met/);

    await browser.get(`/portal/applications/${first.id}`);
    const accepted = await browser.post(`/portal/applications/${first.id}/transitions/accept`);
    expect(accepted.location).toBe(`/portal/applications/${first.id}?done=coordinator.accepted`);
    expect(textOf((await browser.get(accepted.location!)).html)).toContain('The application is accepted');

    await browser.get(`/portal/applications/${second.id}`);
    const refused = await browser.post(`/portal/applications/${second.id}/transitions/accept`);
    expect(refused.status).toBe(303);
    expect(refused.location).toBe(`/portal/applications/${second.id}?error=program.seats_exhausted`);
    const page = await browser.get(refused.location!);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('No seat is left in this programme');
    expect(await statusOf(t, second.id)).toBe('nominated');

    // A transition this side takes, from a status it does not leave: the status named in the sentence.
    const invalid = await browser.post(`/portal/applications/${first.id}/transitions/waitlist`);
    expect(invalid.location).toBe(`/portal/applications/${first.id}?error=application.invalid_transition&e.status=accepted&e.transition=waitlist`);
    expect(textOf((await browser.get(invalid.location!)).html)).toContain('An application in status accepted cannot be put on the waiting list');

    // Rejecting needs a reason, given in the dialog's form.
    const rejected = await browser.post(`/portal/applications/${second.id}/transitions/reject`, { reason: 'No seat left this year.' });
    expect(rejected.location).toBe(`/portal/applications/${second.id}?done=coordinator.rejected`);
    const history = textOf((await browser.get(`/portal/applications/${second.id}`)).html);
    expect(history).toContain('Reason: No seat left this year.');
    expect(history).toMatch(/Rejected .* Nominated → Rejected/);
  });

  it("shows the student its own application on the same page, without the coordinators' actions", async () => {
    const browser = await browserOf(t, students[0].user);
    const page = await browser.get(`/portal/applications/${first.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Application of Léa Martin');
    expect(text).toContain('Accepted');
    expect(page.html).not.toContain('/transitions/');
    expect(text).not.toContain('Requirement met');
    expect(links(page.html, /\/travel$/)).toEqual([`/portal/applications/${first.id}/travel`]);
  });

  it("answers another institution's coordinator, another student and a host school 404 on the application, its actions and documents, and changes nothing", async () => {
    const sendingBrowser = await browserOf(t, sending.coordinator.user);
    const documentOf = async (applicationId: string) => links((await sendingBrowser.get(`/portal/applications/${applicationId}`)).html, /^\/portal\/documents\/[0-9a-f-]{36}\/content$/)[0];
    const [download, firstDownload] = [await documentOf(second.id), await documentOf(first.id)];
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM document_downloads');

    const outsiderBrowser = await browserOf(t, outsider.coordinator.user);
    expect((await outsiderBrowser.get(`/portal/applications/${second.id}`)).status).toBe(404);
    const refused = await outsiderBrowser.post(`/portal/applications/${second.id}/transitions/cancel`, { reason: 'mine now' });
    expect(refused.status).toBe(404);
    expect(textOf(refused.html)).toContain('This page does not exist, or it is not yours to see');
    expect((await outsiderBrowser.get(download)).status).toBe(404);
    expect(textOf((await outsiderBrowser.get('/portal/applications')).html)).not.toContain('Ivan Petrov');

    const otherStudent = await browserOf(t, students[1].user);
    expect((await otherStudent.get(`/portal/applications/${first.id}`)).status).toBe(404);
    expect((await otherStudent.get(firstDownload)).status).toBe(404);

    // The receiving institution's host school sees the application, not its documents other than passport and insurance.
    const hostSchool = await newUser(t.dataSource, { role: 'host_school', institutionId: receiving.institutionId });
    const school = await browserOf(t, hostSchool);
    expect((await school.get(download)).status).toBe(404);
    expect((await school.get(firstDownload)).status).toBe(404);
    const schoolPage = await school.get(`/portal/applications/${first.id}`);
    expect(schoolPage.status).toBe(200);
    expect(textOf(schoolPage.html)).not.toContain('I want to study in Krasnodar.');
    expect((await school.get(`/portal/applications/${second.id}`)).status).toBe(404);

    expect(await statusOf(t, second.id)).toBe('rejected');
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM document_downloads')).toEqual(before);
  });

  it('refuses the queues and the host families to students and host schools (403), and a form posted without its CSRF token', async () => {
    const student = await browserOf(t, students[0].user);
    for (const path of ['/portal/applications', '/portal/host-families', `/portal/applications/${first.id}/matches`, '/portal/host-families/new']) {
      expect({ path, status: (await student.get(path)).status }).toEqual({ path, status: 403 });
    }
    expect((await student.post(`/portal/applications/${first.id}/transitions/cancel`, { reason: 'x' })).status).toBe(403);

    const hostSchool = await newUser(t.dataSource, { role: 'host_school', institutionId: sending.institutionId });
    const school = await browserOf(t, hostSchool);
    for (const path of ['/portal/applications', '/portal/host-families/new', `/portal/applications/${first.id}/matches`]) {
      expect({ path, status: (await school.get(path)).status }).toEqual({ path, status: 403 });
    }
    expect((await school.post('/portal/host-families', { displayName: 'Famille X' })).status).toBe(403);

    const coordinator = await browserOf(t, receiving.coordinator.user);
    await coordinator.get(`/portal/applications/${first.id}`);
    const forged = await coordinator.post(`/portal/applications/${first.id}/transitions/cancel`, { reason: 'forged' }, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await statusOf(t, first.id)).toBe('accepted');
  });

  it('renders the application page and the dashboard in French and in Russian', async () => {
    const fr = await newUser(t.dataSource, { role: 'coordinator', institutionId: receiving.institutionId, locale: 'fr', fullName: 'Camille Roux' });
    const french = await browserOf(t, fr);
    expect(textOf((await french.get('/')).html)).toContain('Candidatures entrantes à accepter');
    const page = await french.get(`/portal/applications/${second.id}`);
    expect(page.html).toContain('<html lang="fr">');
    expect(textOf(page.html)).toContain('Candidature de Ivan Petrov');
    expect(textOf(page.html)).toContain('Historique');
    expect(textOf(page.html)).toContain('Refusée');

    const ru = await newUser(t.dataSource, { role: 'coordinator', institutionId: receiving.institutionId, locale: 'ru', fullName: 'Анна Смирнова' });
    const russian = await browserOf(t, ru);
    const ruPage = await russian.get(`/portal/applications/${first.id}`);
    expect(ruPage.html).toContain('<html lang="ru">');
    expect(textOf(ruPage.html)).toContain('Заявка: Léa Martin');
    expect(textOf(ruPage.html)).toContain('Принята');
    expect(textOf((await russian.get('/portal/host-families')).html)).toContain('Принимающие семьи');
    // The refusal's sentence in the reader's language.
    await russian.get(`/portal/applications/${first.id}`);
    const invalid = await russian.post(`/portal/applications/${first.id}/transitions/accept`);
    expect(textOf((await russian.get(invalid.location!)).html)).toContain('Заявка в статусе принята не допускает принятие');
  });
});

describe('portal: host families and matching', () => {
  let t: TestApp;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let outsider: Partner;
  let familyId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    exchange = await homestayExchange(t);
    outsider = await newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const validFamily = (overrides: Record<string, string> = {}) => ({
    displayName: 'Famille Ivanova',
    contactEmail: 'ivanova@example.org',
    contactPhone: '+7 861 000 00 00',
    'address.line1': 'ul. Krasnaya 1',
    'address.postalCode': '350000',
    'address.city': 'Krasnodar',
    'address.country': 'ru',
    capacity: '1',
    languages: 'ru, fr',
    petTypes: '',
    dietsSupported: 'vegetarian',
    acceptsMinors: 'true',
    genderPreference: 'any',
    availableFrom: STAY.startsOn,
    availableTo: STAY.endsOn,
    commuteMinutes: '25',
    ...overrides,
  });

  it('registers a family through its form, with each refusal next to its field', async () => {
    const browser = await browserOf(t, exchange.receiving.coordinator.user);
    const form = await browser.get('/portal/host-families/new');
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<label for="address.city">City<\/label>/);

    const wrong = await browser.post('/portal/host-families', validFamily({ displayName: '', contactEmail: 'not-an-email', capacity: 'two', availableTo: `${STAY.startsOn.slice(0, 4)}-02-30` }));
    expect(wrong.status).toBe(400);
    const text = textOf(wrong.html);
    expect(text).toContain('The request has invalid fields');
    for (const name of ['displayName', 'contactEmail', 'capacity', 'availableTo']) {
      expect(wrong.html).toMatch(new RegExp(`id="${name}"[^>]*aria-describedby="${name}-error"[^>]*aria-invalid="true"`));
      expect(wrong.html).toContain(`<p class="field-error" id="${name}-error">`);
    }
    // What was typed is kept.
    expect(wrong.html).toContain('value="not-an-email"');
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM host_families')).toEqual([{ n: 0 }]);

    // The service's own rule (availability ends before it starts), next to its field too.
    const backwards = await browser.post('/portal/host-families', validFamily({ availableFrom: STAY.endsOn, availableTo: STAY.startsOn }));
    expect(backwards.status).toBe(400);
    expect(backwards.html).toContain('id="availableTo-error"');

    const created = await browser.post('/portal/host-families', validFamily());
    expect(created.status).toBe(303);
    familyId = /^\/portal\/host-families\/([0-9a-f-]{36})\?done=coordinator.familyRegistered$/.exec(created.location!)![1];
    const record = textOf((await browser.get(created.location!)).html);
    expect(record).toContain('The family is registered');
    expect(record).toContain('Famille Ivanova');
    expect(record).toContain('Awaiting vetting');
    expect(record).toContain('ul. Krasnaya 1, 350000 Krasnodar, RU');

    const list = await browser.get('/portal/host-families?status=pending_vetting&q=ivanova');
    expect(links(list.html, /^\/portal\/host-families\/[0-9a-f-]{36}$/)).toEqual([`/portal/host-families/${familyId}`]);
    expect(links((await browser.get('/portal/host-families?status=approved')).html, /^\/portal\/host-families\/[0-9a-f-]{36}$/)).toEqual([]);
  });

  it('vets the family (a date in the future refused on its field), matches it with an accepted student and proposes it', async () => {
    const browser = await browserOf(t, exchange.receiving.coordinator.user);
    await browser.get(`/portal/host-families/${familyId}`);
    const future = await browser.post(`/portal/host-families/${familyId}/vet`, { backgroundCheckOn: `${Number(today().slice(0, 4)) + 1}-01-01`, homeVisitOn: today(), outcome: 'approved', notes: 'Met the family.' });
    expect(future.status).toBe(400);
    expect(future.html).toContain('id="backgroundCheckOn-error"');
    expect(future.html).toContain('Met the family.');

    const vetted = await browser.post(`/portal/host-families/${familyId}/vet`, { backgroundCheckOn: today(), homeVisitOn: today(), outcome: 'approved', notes: 'Met the family.' });
    expect(vetted.location).toBe(`/portal/host-families/${familyId}?done=coordinator.familyVetted`);
    const record = textOf((await browser.get(vetted.location!)).html);
    expect(record).toContain('The vetting is recorded');
    expect(record).toContain('Approved');
    expect(record).toContain('Met the family.');

    const [{ application }, { application: other }] = await acceptedApplications(t, exchange, 2, { matchingProfile: profile({ languages: ['fr'], diet: ['vegetarian'] }) });
    const page = await browser.get(`/portal/applications/${application.id}`);
    expect(links(page.html, /\/matches$/)).toEqual([`/portal/applications/${application.id}/matches`]);

    const matches = await browser.get(`/portal/applications/${application.id}/matches`);
    expect(matches.status).toBe(200);
    const text = textOf(matches.html);
    expect(text).toContain('Famille Ivanova');
    expect(text).toMatch(/Score: \d+ \/100/);
    expect(text).toContain('caters for vegetarian');

    const proposed = await browser.post(`/portal/applications/${application.id}/matches`, { hostFamilyId: familyId });
    expect(proposed.location).toBe(`/portal/applications/${application.id}?done=coordinator.placementProposed`);
    const placed = await browser.get(proposed.location!);
    expect(textOf(placed.html)).toContain('The family is proposed');
    expect(textOf(placed.html)).toMatch(/Proposed Famille Ivanova/);
    expect(links(placed.html, /^\/portal\/placements\//)).toHaveLength(1);
    expect(links(placed.html, /\/matches$/)).toEqual([]);

    // Again for the same student: already placed, in words.
    const again = await browser.post(`/portal/applications/${application.id}/matches`, { hostFamilyId: familyId });
    expect(textOf((await browser.get(again.location!)).html)).toContain('This application already has a live placement');
    // Another student in its only bed: the day and the beds named.
    const full = await browser.post(`/portal/applications/${other.id}/matches`, { hostFamilyId: familyId });
    expect(full.location).toMatch(/error=placement.capacity_exceeded&e.day=\d{4}-\d{2}-\d{2}&e.capacity=1$/);
    expect(textOf((await browser.get(full.location!)).html)).toMatch(/The family has no free bed on \d{4}-\d{2}-\d{2}: its 1 beds are taken/);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM placements')).toEqual([{ n: 1 }]);
  });

  it("shows the family's declined placement on the dashboard until the student is placed again", async () => {
    const browser = await browserOf(t, exchange.receiving.coordinator.user);
    const [placement] = await t.dataSource.query('SELECT id, application_id FROM placements');
    const declined = await t.api.post(`/placements/${placement.id}/decline`, { reason: 'Family illness' }, { token: exchange.receiving.coordinator.token });
    expect(declined.status).toBe(200);
    const home = await browser.get('/');
    expect(textOf(home.html)).toMatch(/Placements declined 1 /);
    expect(links(home.html, /^\/portal\/applications\//)).toContain(`/portal/applications/${placement.application_id}`);
  });

  it('suspends a family with a reason', async () => {
    const browser = await browserOf(t, exchange.receiving.coordinator.user);
    await browser.get(`/portal/host-families/${familyId}`);
    const suspended = await browser.post(`/portal/host-families/${familyId}/suspend`, { reason: 'Moving house' });
    expect(suspended.location).toBe(`/portal/host-families/${familyId}?done=coordinator.familySuspended`);
    const record = textOf((await browser.get(suspended.location!)).html);
    expect(record).toContain('The family is suspended');
    expect(record).toContain('Suspended: Moving house');
  });

  it("answers another institution's coordinator 404 on the family's pages and the matches, and changes nothing", async () => {
    const family = await vettedFamily(t, exchange.receiving.coordinator);
    const [{ application }] = await acceptedApplications(t, exchange, 1);
    const browser = await browserOf(t, outsider.coordinator.user);
    for (const path of [`/portal/host-families/${family.id}`, `/portal/host-families/${family.id}/edit`, `/portal/applications/${application.id}/matches`]) {
      expect({ path, status: (await browser.get(path)).status }).toEqual({ path, status: 404 });
    }
    await browser.get('/portal/host-families');
    expect((await browser.post(`/portal/host-families/${family.id}/vet`, { backgroundCheckOn: today(), homeVisitOn: today(), outcome: 'rejected' })).status).toBe(404);
    expect((await browser.post(`/portal/host-families/${family.id}/suspend`, { reason: 'x' })).status).toBe(404);
    expect((await browser.post(`/portal/host-families/${family.id}/edit`, validFamily({ displayName: 'Taken over' }))).status).toBe(404);
    expect((await browser.post(`/portal/applications/${application.id}/matches`, { hostFamilyId: family.id })).status).toBe(404);
    expect(textOf((await browser.get('/portal/host-families')).html)).not.toContain(family.displayName);

    // The sending side sees the application, but matching is the receiving side's: 403.
    const sendingBrowser = await browserOf(t, exchange.sending.coordinator.user);
    expect((await sendingBrowser.get(`/portal/applications/${application.id}/matches`)).status).toBe(403);

    const [row] = await t.dataSource.query('SELECT status, display_name FROM host_families WHERE id = $1', [family.id]);
    expect(row).toEqual({ status: 'approved', display_name: family.displayName });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM placements WHERE application_id = $1', [application.id])).toEqual([{ n: 0 }]);
  });

  it("edits the family's record through the same form", async () => {
    const browser = await browserOf(t, exchange.receiving.coordinator.user);
    const form = await browser.get(`/portal/host-families/${familyId}/edit`);
    expect(form.html).toContain('value="Famille Ivanova"');
    const edited = await browser.post(`/portal/host-families/${familyId}/edit`, validFamily({ displayName: 'Famille Ivanova-Petrova', capacity: '3' }));
    expect(edited.location).toBe(`/portal/host-families/${familyId}?done=saved`);
    const record = textOf((await browser.get(edited.location!)).html);
    expect(record).toContain('Famille Ivanova-Petrova');
    expect(record).toMatch(/Beds for students 3/);
  });
});
