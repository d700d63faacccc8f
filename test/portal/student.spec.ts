/**
 * The student's pages over HTTP, as a browser sends them: from the programmes open to the
 * student to applying, the draft's field errors, documents (a real PDF, a refused type),
 * submitting, the offer, the learning agreement, travel details and the host family,
 * notifications, the data export and the erasure refused during a mobility; and the
 * attacker's side: another student's application, a coordinator on a student's page, forms
 * without their CSRF token.
 */
import { newUser, login, PASSWORD, type Session } from '../harness/factories.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { familyUser, proposedPlacement, placementTransition, vettedFamily } from '../harness/host-families.js';
import { YEAR } from '../harness/partnerships.js';
import { PortalClient, textOf, type PageResponse } from '../harness/portal.js';
import { apply, exchangeProgram, formOf, newExchange, PDF, transition, upload, type Exchange } from '../harness/uploads.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function expectRedirect(response: PageResponse, location: RegExp | string): string {
  expect({ status: response.status, location: response.location }).toEqual({ status: 303, location: typeof location === 'string' ? location : expect.stringMatching(location) });
  return response.location!;
}

/** A signed-in student of the sending institution: its API session (for the other parties' helpers) and its browser. */
async function student(t: TestApp, x: Exchange, fullName: string): Promise<{ session: Session; browser: PortalClient }> {
  const user = await newUser(t.dataSource, { role: 'student', institutionId: x.sending.institutionId, fullName });
  const session = { ...(await login(t.api, user)), user };
  const browser = new PortalClient(t.baseUrl);
  await browser.signIn(user.email, PASSWORD);
  return { session, browser };
}

async function browserOf(t: TestApp, email: string): Promise<PortalClient> {
  const browser = new PortalClient(t.baseUrl);
  await browser.signIn(email, PASSWORD);
  return browser;
}

const applicationOf = async (t: TestApp, session: Session, id: string) => (await t.api.get(`/applications/${id}`, { token: session.token })).body;

describe('portal: the student', () => {
  let t: TestApp;
  let x: Exchange;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    x = await newExchange(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies to an open programme, fills the draft, uploads a PDF, submits; later signs the learning agreement, confirms, gives its travel, reads its notifications and exports its data', async () => {
    const program = await exchangeProgram(t, x, {
      title: 'Semester in Krasnodar',
      seats: 3,
      requiredDocuments: ['transcript'],
      requiresLearningAgreement: true,
      accommodation: 'host_family',
      languageRequirement: { language: 'ru', minLevel: 'B1' },
    });
    const { session, browser } = await student(t, x, 'Lucie Martin');

    // The dashboard: the programme open to me, and when its window closes.
    const home = textOf((await browser.get('/')).html);
    expect(home).toContain('Welcome, Lucie Martin');
    expect(home).toContain('You have not applied yet.');
    expect(home).toMatch(/Semester in Krasnodar — Window closing in \d+ days/);
    expect(home).toContain('Unread: 0');

    // The programmes open to me: institutions, dates, seats, requirement, documents.
    const programs = await browser.get('/portal/my/programs');
    expect(programs.status).toBe(200);
    const list = textOf(programs.html);
    expect(list).toContain('Semester in Krasnodar');
    expect(list).toMatch(/Window closing in \d+ days/);
    expect(list).toContain('3 left of 3');
    expect(list).toContain('Russian, level B1 or above');
    expect(list).toContain('Required documents Transcript');
    expect(list).toContain('Accommodation Host family');
    const [sending] = await t.dataSource.query('SELECT name FROM institutions WHERE id = $1', [x.sending.institutionId]);
    const [receiving] = await t.dataSource.query('SELECT name FROM institutions WHERE id = $1', [x.receiving.institutionId]);
    expect(list).toContain(`${sending.name} → ${receiving.name}`);

    // Apply: the draft is created and its form opens.
    const applied = await browser.post(`/portal/programs/${program.id}/apply`);
    const edit = expectRedirect(applied, new RegExp(`^/portal/applications/(${UUID})/edit\\?done=student\\.applied$`));
    const id = edit.split('/')[3];
    const form = await browser.get(edit);
    expect(textOf(form.html)).toContain('Your application is started');
    expect(form.html).toContain('name="matchingProfile.languages"');
    expect((await applicationOf(t, session, id)).status).toBe('draft');
    // Applying twice is explained in words.
    const again = await browser.post(`/portal/programs/${program.id}/apply`, {}, { page: '/portal/my/programs' });
    expectRedirect(again, '/portal/my/programs?error=application.already_exists');
    expect(textOf((await browser.get(again.location!)).html)).toContain('You already applied to this programme');

    // The draft with mistakes: each error next to its field, what was typed kept.
    const draft = {
      motivation: 'I study Russian literature and want to read it where it was written.',
      'languageLevels[0].language': 'ru',
      'languageLevels[0].level': '',
      'languageLevels[1].language': '',
      'languageLevels[1].level': '',
      dateOfBirth: '2004-02-30',
      gender: 'female',
      'matchingProfile.languages': 'fr, en, ru',
      'matchingProfile.diet': 'vegetarian',
      'matchingProfile.allergies': 'cats',
      'matchingProfile.notes': 'I play the cello.',
    };
    const bad = await browser.post(`/portal/applications/${id}/edit`, draft);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="languageLevels[0].level-error"');
    expect(bad.html).toContain('id="dateOfBirth-error"');
    expect(bad.html).toMatch(/id="dateOfBirth"[^>]*aria-invalid="true"/);
    const badText = textOf(bad.html);
    expect(badText).toContain('Please correct the fields marked below');
    expect(badText).toContain('must be a date YYYY-MM-DD');
    expect(badText).toContain('must be one of: A1, A2, B1, B2, C1, C2, native');
    expect(bad.html).toContain('I study Russian literature');
    expect((await applicationOf(t, session, id)).motivation).toBe('');

    const saved = await browser.post(`/portal/applications/${id}/edit`, { ...draft, 'languageLevels[0].level': 'B2', dateOfBirth: '2004-02-28' });
    expectRedirect(saved, `/portal/applications/${id}/edit?done=saved`);
    expect(textOf((await browser.get(saved.location!)).html)).toContain('Saved');
    const afterSave = await applicationOf(t, session, id);
    expect(afterSave).toMatchObject({
      motivation: draft.motivation,
      languageLevels: [{ language: 'ru', level: 'B2' }],
      dateOfBirth: '2004-02-28',
      gender: 'female',
      matchingProfile: { languages: ['fr', 'en', 'ru'], diet: ['vegetarian'], allergies: ['cats'], smoker: false, notes: 'I play the cello.' },
    });

    // Submitting without the required transcript: refused, in words.
    const early = await browser.post(`/portal/applications/${id}/submit`, { back: `/portal/applications/${id}/documents` });
    expectRedirect(early, `/portal/applications/${id}/documents?error=application.documents_missing&e.missing=transcript`);
    const documentsPage = textOf((await browser.get(early.location!)).html);
    expect(documentsPage).toContain('Required documents are missing: transcript');
    expect(documentsPage).toContain('Transcript: missing');

    // A file that is not a PDF, JPEG or PNG: refused, in words, nothing stored.
    const refused = await browser.postMultipart(
      `/portal/applications/${id}/documents`,
      formOf([
        { name: 'type', value: 'transcript' },
        { name: 'file', content: Buffer.from('my grades: all A'), fileName: 'grades.txt', contentType: 'text/plain' },
      ]),
    );
    expectRedirect(refused, `/portal/applications/${id}/documents?error=document.unsupported_type`);
    expect(textOf((await browser.get(refused.location!)).html)).toContain('Only PDF, JPEG and PNG files are accepted, with a matching name');
    // A PDF over 10 MiB: refused, in words.
    const large = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 - PDF.length + 1, 0x20)]);
    const tooLarge = await browser.postMultipart(
      `/portal/applications/${id}/documents`,
      formOf([
        { name: 'type', value: 'transcript' },
        { name: 'file', content: large, fileName: 'transcript.pdf', contentType: 'application/pdf' },
      ]),
    );
    expectRedirect(tooLarge, `/portal/applications/${id}/documents?error=document.too_large`);
    expect(textOf((await browser.get(tooLarge.location!)).html)).toContain('The file is larger than 10 MiB');
    const [{ n: none }] = await t.dataSource.query('SELECT count(*)::int AS n FROM documents WHERE application_id = $1', [id]);
    expect(none).toBe(0);

    // A real PDF.
    const uploaded = await browser.postMultipart(
      `/portal/applications/${id}/documents`,
      formOf([
        { name: 'type', value: 'transcript' },
        { name: 'file', content: PDF, fileName: 'transcript.pdf', contentType: 'application/pdf' },
      ]),
    );
    expectRedirect(uploaded, `/portal/applications/${id}/documents?done=student.uploaded`);
    const withDocument = await browser.get(uploaded.location!);
    const withDocumentText = textOf(withDocument.html);
    expect(withDocumentText).toContain('The document is uploaded.');
    expect(withDocumentText).toContain('Transcript: uploaded');
    expect(withDocumentText).toContain('transcript.pdf');
    const documentId = new RegExp(`/portal/documents/(${UUID})/content`).exec(withDocument.html)![1];
    const download = await browser.get(`/portal/documents/${documentId}/content`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="transcript.pdf"/);
    expect(download.html).toBe(PDF.toString('latin1'));

    // A document uploaded by mistake, deleted while the application is a draft.
    const extra = await browser.postMultipart(
      `/portal/applications/${id}/documents`,
      formOf([
        { name: 'type', value: 'other' },
        { name: 'file', content: PDF, fileName: 'mistake.pdf', contentType: 'application/pdf' },
      ]),
    );
    const withExtra = await browser.get(extra.location!);
    const extraId = new RegExp(`/portal/applications/${id}/documents/(${UUID})/delete`).exec(withExtra.html.slice(withExtra.html.indexOf('mistake.pdf')))![1];
    const deleted = await browser.post(`/portal/applications/${id}/documents/${extraId}/delete`);
    expectRedirect(deleted, `/portal/applications/${id}/documents?done=student.documentDeleted`);
    const afterDelete = textOf((await browser.get(deleted.location!)).html);
    expect(afterDelete).toContain('The document is deleted.');
    expect(afterDelete).not.toContain('mistake.pdf');
    expect(afterDelete).toContain('transcript.pdf');

    // Submit, from the documents page's buttons.
    expect(withDocument.html).toContain(`action="/portal/applications/${id}/submit"`);
    const submitted = await browser.post(`/portal/applications/${id}/submit`, { back: `/portal/applications/${id}/documents` });
    expectRedirect(submitted, `/portal/applications/${id}/documents?done=student.submit`);
    const afterSubmit = textOf((await browser.get(submitted.location!)).html);
    expect(afterSubmit).toContain('Your application is submitted.');
    expect(afterSubmit).toContain('Status Submitted');
    expect(afterSubmit).not.toContain('Submit my application');
    expect(textOf((await browser.get(`/portal/applications/${id}/edit`)).html)).toContain('no longer a draft: it can no longer be edited');
    expect((await applicationOf(t, session, id)).status).toBe('submitted');

    // The two coordinators nominate and accept (their own pages are another area's).
    await transition(t, x, session, id, 'nominate', 'sending');
    await transition(t, x, session, id, 'accept', 'receiving');

    // The offer: confirming before the learning agreement is approved is explained in words.
    const offer = await browser.get(`/portal/applications/${id}/learning-agreement`);
    expect(textOf(offer.html)).toContain('Confirm my place');
    const tooEarly = await browser.post(`/portal/applications/${id}/confirm`, { back: `/portal/applications/${id}/learning-agreement` });
    expectRedirect(tooEarly, `/portal/applications/${id}/learning-agreement?error=learning_agreement.not_approved`);
    expect(textOf((await browser.get(tooEarly.location!)).html)).toContain('The learning agreement is not signed by all three parties yet');

    // The learning agreement: a course row half filled, then the courses, then signed.
    expect(textOf(offer.html)).toContain('Not written yet');
    const course = { 'components[0].code': 'LIT-301', 'components[0].title': '', 'components[0].credits': '6', 'components[0].term': 'autumn' };
    const halfFilled = await browser.post(`/portal/applications/${id}/learning-agreement`, course);
    expect(halfFilled.status).toBe(400);
    expect(halfFilled.html).toContain('id="components[0].title-error"');
    expect(textOf(halfFilled.html)).toContain('is required');
    const written = await browser.post(`/portal/applications/${id}/learning-agreement`, {
      ...course,
      'components[0].title': 'Russian poetry of the Silver Age',
      'recognizedComponents[0].code': 'LET-3',
      'recognizedComponents[0].title': 'Comparative literature',
      'recognizedComponents[0].credits': '6',
      'recognizedComponents[0].term': 'autumn',
    });
    expectRedirect(written, `/portal/applications/${id}/learning-agreement?done=saved`);
    const toSign = textOf((await browser.get(written.location!)).html);
    expect(toSign).toContain('Version 1');
    expect(toSign).toContain('Still to sign: You (the student), Your home institution, The receiving institution');
    const signed = await browser.post(`/portal/applications/${id}/learning-agreement/sign`);
    expectRedirect(signed, `/portal/applications/${id}/learning-agreement?done=student.signed`);
    const afterSigning = textOf((await browser.get(signed.location!)).html);
    expect(afterSigning).toContain('You signed the learning agreement.');
    expect(afterSigning).toContain('Still to sign: Your home institution, The receiving institution');
    expect(afterSigning).not.toContain('Sign version 1');
    // A change after a signature: a new version, its signatures cleared, the first kept.
    const changed = await browser.post(`/portal/applications/${id}/learning-agreement`, {
      ...course,
      'components[0].title': 'Russian poetry of the Silver Age',
      'components[0].credits': '5',
      'recognizedComponents[0].code': 'LET-3',
      'recognizedComponents[0].title': 'Comparative literature',
      'recognizedComponents[0].credits': '5',
      'recognizedComponents[0].term': 'autumn',
    });
    expectRedirect(changed, `/portal/applications/${id}/learning-agreement?done=saved`);
    const version2 = textOf((await browser.get(changed.location!)).html);
    expect(version2).toContain('Version 2');
    expect(version2).toContain('Still to sign: You (the student), Your home institution, The receiving institution');
    expect(version2).toMatch(/Earlier versions Version 1 · replaced on .+ 1 course\(s\) abroad, 1 recognised, 1 signature\(s\)/);
    expectRedirect(await browser.post(`/portal/applications/${id}/learning-agreement/sign`), `/portal/applications/${id}/learning-agreement?done=student.signed`);
    for (const coordinator of [x.sending.coordinator, x.receiving.coordinator]) {
      expect((await t.api.post(`/applications/${id}/learning-agreement/sign`, {}, { token: coordinator.token })).status).toBe(200);
    }
    expect(textOf((await browser.get(`/portal/applications/${id}/learning-agreement`)).html)).toContain('Approved: signed by all three');

    // A family accepts the student (the receiving side's and the family's pages are other areas').
    const family = await vettedFamily(t, x.receiving.coordinator, { displayName: 'Famille Kuznetsov', contactEmail: 'kuznetsov@test.example', address: { line1: '12 Krasnaya St', city: 'Krasnodar', postalCode: '350000', country: 'RU' } });
    const placement = await proposedPlacement(t, x.receiving.coordinator, { applicationId: id, hostFamilyId: family.id });
    const travelBefore = textOf((await browser.get(`/portal/applications/${id}/travel`)).html);
    expect(travelBefore).toContain('You will see your host family here once it has accepted you.');
    expect(travelBefore).not.toContain('Famille Kuznetsov');
    await placementTransition(t, await familyUser(t, x.receiving.institutionId, family.id), placement.id, 'accept');

    // Confirm.
    const confirmed = await browser.post(`/portal/applications/${id}/confirm`, { back: `/portal/applications/${id}/travel` });
    expectRedirect(confirmed, `/portal/applications/${id}/travel?done=student.confirm`);
    const travelPage = textOf((await browser.get(confirmed.location!)).html);
    expect(travelPage).toContain('Your place is confirmed.');
    expect(travelPage).toContain('Famille Kuznetsov');
    expect(travelPage).toContain('12 Krasnaya St, 350000 Krasnodar (RU)');
    expect(travelPage).toContain('kuznetsov@test.example');
    expect(travelPage).toContain('Arrival, local time (Europe/Moscow)');

    // Travel details: a missing arrival time named; then given in Krasnodar's local time.
    const travel = { arrivalAt: '', transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: 'true' };
    const noTime = await browser.post(`/portal/applications/${id}/travel`, travel);
    expect(noTime.status).toBe(400);
    expect(noTime.html).toContain('id="arrivalAt-error"');
    expect(textOf(noTime.html)).toContain('is required');
    const given = await browser.post(`/portal/applications/${id}/travel`, { ...travel, arrivalAt: `${YEAR}-09-01T14:35` });
    expectRedirect(given, `/portal/applications/${id}/travel?done=student.travelSaved`);
    const withTravel = textOf((await browser.get(given.location!)).html);
    expect(withTravel).toContain('Your travel details are saved.');
    expect(withTravel).toContain(`${YEAR}-09-01 14:35 (local time, Europe/Moscow)`);
    expect((await applicationOf(t, session, id)).travel).toEqual({ arrivalAt: `${YEAR}-09-01T14:35:00+03:00`, transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'Krasnodar airport (KRR)', needsPickup: true });

    // Notifications: nominated, accepted, placed; one read, then all.
    const notifications = await browser.get('/portal/notifications');
    const before = textOf(notifications.html);
    expect(before).toContain('Unread: 3');
    expect(before).toContain('Semester in Krasnodar');
    expect(notifications.html).toContain(`href="/portal/applications/${id}"`);
    const firstId = new RegExp(`/portal/notifications/(${UUID})/read`).exec(notifications.html)![1];
    expectRedirect(await browser.post(`/portal/notifications/${firstId}/read`), '/portal/notifications?done=student.read');
    expect(textOf((await browser.get('/portal/notifications')).html)).toContain('Unread: 2');
    expectRedirect(await browser.post('/portal/notifications/read-all'), '/portal/notifications?done=student.allRead');
    const after = textOf((await browser.get('/portal/notifications?done=student.allRead')).html);
    expect(after).toContain('All marked as read.');
    expect(after).toContain('Unread: 0');

    // My data: the same attachment as GET /me/export.
    const exported = await browser.get('/portal/me/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/json/);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="exchange-personal-data-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = JSON.parse(exported.html);
    expect(data.format).toBe('exchange-platform/personal-data-export');
    expect(data.applications.map((a: { id: string }) => a.id)).toEqual([id]);

    // Erasure during a mobility: refused, in words; nothing erased, still signed in.
    const privacy = await browser.get('/portal/me/privacy');
    expect(privacy.html).toContain('href="/portal/me/export"');
    const unticked = await browser.post('/portal/me/erase', {});
    expect(unticked.status).toBe(400);
    expect(unticked.html).toContain('id="confirm-error"');
    const during = await browser.post('/portal/me/erase', { confirm: 'yes' });
    expect(during.status).toBe(409);
    expect(textOf(during.html)).toContain('A mobility is under way (an application is confirmed): the data cannot be erased before it ends');
    const [me] = await t.dataSource.query('SELECT full_name, erased_at FROM users WHERE id = $1', [session.user.id]);
    expect(me).toEqual({ full_name: 'Lucie Martin', erased_at: null });
    expect((await browser.get('/')).status).toBe(200);
  });

  it('declines an offer and withdraws a draft from its buttons, each leading back where it was pressed', async () => {
    const program = await exchangeProgram(t, x, { title: 'Summer school', requiredDocuments: [] });
    const other = await exchangeProgram(t, x, { title: 'Winter school', requiredDocuments: [] });
    const { session, browser } = await student(t, x, 'Hugo Bernard');
    const offer = await apply(t, session, program.id);
    for (const [name, by] of [['submit', 'student'], ['nominate', 'sending'], ['accept', 'receiving']] as const) await transition(t, x, session, offer.id, name, by);

    // The offer's buttons on the application's page: confirm, and decline in a dialog that asks why.
    const page = await browser.get(`/portal/applications/${offer.id}`);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('What I can do now Confirm my place');
    expect(page.html).toMatch(/<details class="dialog">\s*<summary>Decline the offer…<\/summary>/);
    expect(page.html).toMatch(new RegExp(`<textarea id="decline-reason-${offer.id}" name="reason" required`));
    const declined = await browser.post(`/portal/applications/${offer.id}/decline`, { reason: 'I got a scholarship elsewhere' });
    expectRedirect(declined, `/portal/applications/${offer.id}?done=student.decline`);
    const afterDecline = await browser.get(declined.location!);
    expect(textOf(afterDecline.html)).toContain('You declined the offer.');
    expect(textOf(afterDecline.html)).not.toContain('What I can do now');
    const documentsPage = textOf((await browser.get(`/portal/applications/${offer.id}/documents`)).html);
    expect(documentsPage).toContain('Status Offer declined');
    expect(documentsPage).not.toContain('Confirm my place');
    const [history] = await t.dataSource.query("SELECT reason FROM application_history WHERE application_id = $1 AND action = 'decline'", [offer.id]);
    expect(history.reason).toBe('I got a scholarship elsewhere');
    // Declined again: the transition the application no longer allows is explained in words.
    const twice = await browser.post(`/portal/applications/${offer.id}/decline`, { reason: 'again' });
    expectRedirect(twice, `/portal/applications/${offer.id}?error=application.invalid_transition&e.status=declined&e.transition=decline`);

    // A draft withdrawn from its form's page; a "back" off the application is not followed.
    const draft = await apply(t, session, other.id);
    const withdrawn = await browser.post(`/portal/applications/${draft.id}/withdraw`, { back: 'https://evil.example/' }, { page: `/portal/applications/${draft.id}/edit` });
    expectRedirect(withdrawn, `/portal/applications/${draft.id}?done=student.withdraw`);
    expect((await applicationOf(t, session, draft.id)).status).toBe('withdrawn');
    const mine = textOf((await browser.get('/portal/my/applications')).html);
    expect(mine).toContain('Summer school');
    expect(mine).toContain('Offer declined');
    expect(mine).toContain('Winter school');
    expect(mine).toContain('Withdrawn');
  });

  it('erases the account of a student with no mobility: signed out, on the sign-in page, in its own language', async () => {
    const { session, browser } = await student(t, x, 'Inès Garnier');
    await browser.post('/language', { locale: 'fr', next: '/portal/me/privacy' }, { page: '/portal/me/privacy' });
    const privacy = await browser.get('/portal/me/privacy');
    expect(textOf(privacy.html)).toContain('Effacer mon compte');
    const erased = await browser.post('/portal/me/erase', { confirm: 'yes' });
    expectRedirect(erased, '/sign-in?done=student.erased');
    expect(browser.cookie('exchange_session')).toBeUndefined();
    expect(textOf((await browser.get(erased.location!)).html)).toContain('Votre compte et vos données ont été effacés.');
    const [me] = await t.dataSource.query('SELECT erased_at FROM users WHERE id = $1', [session.user.id]);
    expect(me.erased_at).not.toBeNull();
    expect((await browser.get('/')).status).toBe(303);
  });

  it('shows its pages in French and Russian', async () => {
    await exchangeProgram(t, x, { title: 'Programme de langue', requiredDocuments: ['passport'] });
    const { browser } = await student(t, x, 'Sofia Morozova');
    await browser.post('/language', { locale: 'fr', next: '/portal/my/programs' }, { page: '/portal/my/programs' });
    const fr = textOf((await browser.get('/portal/my/programs')).html);
    expect(fr).toContain('Programmes qui me sont ouverts');
    expect(fr).toMatch(/Candidatures closes dans \d+ jours/);
    expect(fr).toContain('Passeport');
    expect(fr).toContain('Candidater');
    await browser.post('/language', { locale: 'ru', next: '/portal/my/programs' });
    const ru = textOf((await browser.get('/portal/my/programs')).html);
    expect(ru).toContain('Доступные мне программы');
    expect(ru).toMatch(/Приём заявок закроется через \d+ (день|дня|дней)/);
    expect(ru).toContain('Паспорт');
    expect(ru).toContain('Подать заявку');
    expect(textOf((await browser.get('/portal/notifications')).html)).toContain('Мои уведомления');
  });

  describe("from the attacker's side", () => {
    let victim: { session: Session; browser: PortalClient };
    let applicationId: string;
    let documentId: string;

    beforeAll(async () => {
      const program = await exchangeProgram(t, x, { title: 'Private matters', requiredDocuments: ['transcript'], requiresLearningAgreement: true });
      victim = await student(t, x, 'Victim Student');
      applicationId = (await apply(t, victim.session, program.id)).id;
      await t.api.patch(`/applications/${applicationId}`, { motivation: 'mine' }, { token: victim.session.token });
      const uploaded = await upload(t, victim.session.token, applicationId, 'transcript', 'transcript.pdf', PDF, 'application/pdf');
      expect(uploaded.status).toBe(201);
      documentId = uploaded.body.id;
    });

    async function unchanged(): Promise<void> {
      const application = await applicationOf(t, victim.session, applicationId);
      expect({ status: application.status, motivation: application.motivation }).toEqual({ status: 'draft', motivation: 'mine' });
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM documents WHERE application_id = $1', [applicationId]);
      expect(n).toBe(1);
    }

    it("answers another student's application pages and actions 404, and changes nothing", async () => {
      const thief = await browserOf(t, x.otherStudent.user.email);
      for (const page of ['edit', 'documents', 'learning-agreement', 'travel']) {
        const response = await thief.get(`/portal/applications/${applicationId}/${page}`);
        expect({ page, status: response.status }).toEqual({ page, status: 404 });
        expect(textOf(response.html)).toContain('This page does not exist, or it is not yours to see');
        expect(response.html).not.toContain('Private matters');
      }
      expect((await thief.get(`/portal/documents/${documentId}/content`)).status).toBe(404);
      await thief.get('/portal/my/programs');
      for (const action of ['submit', 'withdraw', 'confirm', 'decline']) {
        expect({ action, status: (await thief.post(`/portal/applications/${applicationId}/${action}`, { reason: 'x' })).status }).toEqual({ action, status: 404 });
      }
      expect((await thief.post(`/portal/applications/${applicationId}/edit`, { motivation: 'stolen' })).status).toBe(404);
      expect((await thief.post(`/portal/applications/${applicationId}/learning-agreement`, { 'components[0].code': 'X', 'components[0].title': 'X', 'components[0].credits': '1', 'components[0].term': 'X' })).status).toBe(404);
      expect((await thief.post(`/portal/applications/${applicationId}/learning-agreement/sign`)).status).toBe(404);
      expect((await thief.post(`/portal/applications/${applicationId}/documents/${documentId}/delete`)).status).toBe(404);
      const stolenUpload = await thief.postMultipart(
        `/portal/applications/${applicationId}/documents`,
        formOf([
          { name: 'type', value: 'other' },
          { name: 'file', content: PDF, fileName: 'other.pdf', contentType: 'application/pdf' },
        ]),
      );
      expect(stolenUpload.status).toBe(404);
      await unchanged();
      const [{ n }] = await t.dataSource.query("SELECT count(*)::int AS n FROM learning_agreements WHERE application_id = $1", [applicationId]);
      expect(n).toBe(0);
    });

    it("answers a coordinator 403 on a student's pages and actions", async () => {
      const coordinator = await browserOf(t, x.sending.coordinator.user.email);
      for (const path of ['/portal/my/programs', '/portal/my/applications', `/portal/applications/${applicationId}/edit`, `/portal/applications/${applicationId}/documents`]) {
        expect({ path, status: (await coordinator.get(path)).status }).toEqual({ path, status: 403 });
      }
      await coordinator.get('/');
      expect((await coordinator.post(`/portal/applications/${applicationId}/withdraw`)).status).toBe(403);
      await unchanged();
    });

    it('refuses forms posted without their CSRF token (an upload too, or with its token after the file) and changes nothing', async () => {
      const { browser } = victim;
      await browser.get(`/portal/applications/${applicationId}/edit`);
      const edit = await browser.post(`/portal/applications/${applicationId}/edit`, { motivation: 'forged' }, { csrf: null });
      expect(edit.status).toBe(403);
      expect(textOf(edit.html)).toContain('This form has expired or did not come from this site');
      expect((await browser.post(`/portal/applications/${applicationId}/withdraw`, {}, { csrf: null })).status).toBe(403);
      expect((await browser.post(`/portal/applications/${applicationId}/documents/${documentId}/delete`, {}, { csrf: null })).status).toBe(403);
      expect((await browser.post('/portal/me/erase', { confirm: 'yes' }, { csrf: null })).status).toBe(403);
      const parts = () => [
        { name: 'type', value: 'other' },
        { name: 'file', content: PDF, fileName: 'forged.pdf', contentType: 'application/pdf' },
      ];
      const noToken = await browser.postMultipart(`/portal/applications/${applicationId}/documents`, formOf(parts()), { csrf: null });
      expect(noToken.status).toBe(403);
      const page = await browser.get(`/portal/applications/${applicationId}/documents`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.html)![1];
      const tokenLast = await browser.postMultipart(`/portal/applications/${applicationId}/documents`, formOf([...parts(), { name: '_csrf', value: token }]), { csrf: null });
      expect(tokenLast.status).toBe(403);
      await unchanged();
      const [me] = await t.dataSource.query('SELECT erased_at FROM users WHERE id = $1', [victim.session.user.id]);
      expect(me.erased_at).toBeNull();
    });
  });
});
