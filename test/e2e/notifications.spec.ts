/**
 * Notifications over HTTP: each event tells the right people (read through GET
 * /notifications as each of them) and no one else, with one queued mail each in mail_jobs
 * (delivery is not looked at here); the texts in the three languages, user-typed text
 * escaped in HTML; e-mail turned off per kind; the in-app list's isolation, unread filter,
 * pages and read-all; reminders given once, by one run at a time.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app.js';
import { acceptedApplication, draftApplication, submittedApplication, transition } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import { dayFromToday, familyUser, homestayExchange, placementTransition, profile, proposedPlacement, setVettingExpiry, vettedFamily } from '../harness/host-families.js';
import { draftAgreement, newPartner } from '../harness/partnerships.js';
import { RemindersService } from '../../src/notifications/reminders.service.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;

describe('notifications', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The mail worker left idle: the queued mails are read as they were written (delivery has its own tests).
    t = await startTestApp({ PUBLIC_URL: 'https://exchange.example', LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000' });
  });
  afterAll(async () => {
    await t.close();
  });

  const inbox = async (who: Session, query: Record<string, string | number> = {}, headers: Record<string, string> = {}) => {
    const response = await t.api.get('/notifications', { token: who.token, query, headers });
    expect(response.status).toBe(200);
    return response.body.items as { id: string; kind: string; objectType: string; objectId: string; title: string; text: string; link: string; readAt: string | null }[];
  };
  /** The kinds told to that person about that object. */
  const told = async (who: Session, objectId: string) => (await inbox(who, { limit: 100 })).filter((n) => n.objectId === objectId).map((n) => n.kind).sort();
  const mails = async (who: Session, kind?: string) =>
    (await t.dataSource.query('SELECT kind, subject, text, html, notification_id, status FROM mail_jobs WHERE to_address = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at', [who.user.email, kind ?? null])) as {
      kind: string;
      subject: string;
      text: string;
      html: string;
      notification_id: string | null;
      status: string;
    }[];

  const withStudent = async (exchange: Exchange, extra: Record<string, unknown> = {}) => signedIn(t.dataSource, t.api, { role: 'student', institutionId: exchange.sending.institutionId, ...extra });
  const fields = { dateOfBirth: '2000-05-01', matchingProfile: profile() };

  describe('application events', () => {
    let ex: Exchange;
    let bystanders: Session[];
    beforeAll(async () => {
      ex = await homestayExchange(t);
      const outsider = await newPartner(t);
      bystanders = [outsider.coordinator, await withStudent(ex), await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.sending.institutionId })];
    });

    it('submitted → the sending coordinators; nominated → the receiving ones and the student; accepted → the student; confirmed → both sides; no one else, never the actor', async () => {
      const student = await withStudent(ex);
      const secondSending = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: ex.sending.institutionId });
      const draft = await draftApplication(t, student, ex.program, fields);
      await transition(t, student, draft.id, 'submit');
      expect(await told(ex.sides.sending, draft.id)).toEqual(['application.submitted']);
      expect(await told(secondSending, draft.id)).toEqual(['application.submitted']);
      expect(await told(ex.sides.receiving, draft.id)).toEqual([]);
      expect(await told(student, draft.id)).toEqual([]);

      await transition(t, ex.sides.sending, draft.id, 'nominate', { comment: 'Strong candidate' });
      expect(await told(ex.sides.receiving, draft.id)).toEqual(['application.nominated']);
      expect(await told(student, draft.id)).toEqual(['application.nominated']);
      expect(await told(ex.sides.sending, draft.id)).toEqual(['application.submitted']);
      expect(await told(secondSending, draft.id)).toEqual(['application.submitted']);

      await transition(t, ex.sides.receiving, draft.id, 'accept');
      expect(await told(student, draft.id)).toEqual(['application.accepted', 'application.nominated']);
      expect(await told(ex.sides.receiving, draft.id)).toEqual(['application.nominated']);

      await transition(t, student, draft.id, 'confirm');
      expect(await told(ex.sides.receiving, draft.id)).toEqual(['application.confirmed', 'application.nominated']);
      expect(await told(ex.sides.sending, draft.id)).toEqual(['application.confirmed', 'application.submitted']);
      expect(await told(student, draft.id)).toEqual(['application.accepted', 'application.nominated']);
      for (const bystander of bystanders) expect(await told(bystander, draft.id)).toEqual([]);

      // One mail per notification, queued in the transaction, linked to its in-app copy.
      const sendingMails = await mails(ex.sides.sending);
      expect(sendingMails.filter((m) => m.kind.startsWith('application.')).map((m) => m.kind)).toEqual(expect.arrayContaining(['application.submitted', 'application.confirmed']));
      const [submittedMail] = await mails(ex.sides.sending, 'application.submitted');
      const [submittedNote] = (await inbox(ex.sides.sending)).filter((n) => n.objectId === draft.id && n.kind === 'application.submitted');
      expect(submittedMail).toMatchObject({ status: 'queued', notification_id: submittedNote.id });
      expect(submittedMail.text).toContain(`https://exchange.example/portal/applications/${draft.id}`);
      expect(submittedNote.link).toBe(`https://exchange.example/portal/applications/${draft.id}`);
    });

    it('rejected with its reason → the student only; cancelled → the student; withdrawn before nomination → the sending side only; declined → both sides', async () => {
      const [a, b, c, d] = await Promise.all([withStudent(ex), withStudent(ex), withStudent(ex), withStudent(ex)]);
      const rejected = await submittedApplication(t, a, ex.program, fields);
      await transition(t, ex.sides.sending, rejected.id, 'reject', { reason: 'Language level too low' });
      expect(await told(a, rejected.id)).toEqual(['application.rejected']);
      const [note] = (await inbox(a)).filter((n) => n.objectId === rejected.id);
      expect(note.text).toContain('Language level too low');
      expect(await told(ex.sides.receiving, rejected.id)).toEqual([]);

      const cancelled = await acceptedApplication(t, b, ex.program, ex.sides, fields);
      await transition(t, ex.sides.receiving, cancelled.id, 'cancel', { reason: 'Programme full' });
      expect(await told(b, cancelled.id)).toEqual(['application.accepted', 'application.cancelled', 'application.nominated']);

      const withdrawn = await submittedApplication(t, c, ex.program, fields);
      await transition(t, c, withdrawn.id, 'withdraw');
      expect(await told(ex.sides.sending, withdrawn.id)).toEqual(['application.submitted', 'application.withdrawn']);
      expect(await told(ex.sides.receiving, withdrawn.id)).toEqual([]);
      expect(await told(c, withdrawn.id)).toEqual([]);

      const declined = await acceptedApplication(t, d, ex.program, ex.sides, fields);
      await transition(t, d, declined.id, 'decline');
      expect(await told(ex.sides.sending, declined.id)).toEqual(['application.declined', 'application.submitted']);
      expect(await told(ex.sides.receiving, declined.id)).toEqual(['application.declined', 'application.nominated']);
      for (const bystander of bystanders) for (const id of [rejected.id, cancelled.id, withdrawn.id, declined.id]) expect(await told(bystander, id)).toEqual([]);
    });
  });

  it("agreements: waiting for approval on the proposal and for the partners still to approve; approved by all; terminated; the partners' coordinators only", async () => {
    const [a, b, c, outsider] = await Promise.all([newPartner(t), newPartner(t), newPartner(t), newPartner(t)]);
    const draft = await draftAgreement(t, { partners: [a, b, c] });
    expect(await told(a.coordinator, draft.id)).toEqual([]);
    expect(await told(b.coordinator, draft.id)).toEqual(['agreement.awaiting_approval']);
    expect(await told(c.coordinator, draft.id)).toEqual(['agreement.awaiting_approval']);

    expect((await t.api.post(`/agreements/${draft.id}/approve`, {}, { token: b.coordinator.token })).status).toBe(200);
    expect(await told(a.coordinator, draft.id)).toEqual(['agreement.awaiting_approval']);
    expect(await told(b.coordinator, draft.id)).toEqual(['agreement.awaiting_approval']);
    expect(await told(c.coordinator, draft.id)).toEqual(['agreement.awaiting_approval', 'agreement.awaiting_approval']);

    // An edit that clears the approvals asks every partner again.
    expect((await t.api.patch(`/agreements/${draft.id}`, { title: 'Renewed terms' }, { token: a.coordinator.token })).status).toBe(200);
    expect(await told(b.coordinator, draft.id)).toEqual(['agreement.awaiting_approval', 'agreement.awaiting_approval']);
    expect(await told(c.coordinator, draft.id)).toHaveLength(3);

    for (const partner of [a, b, c]) expect((await t.api.post(`/agreements/${draft.id}/approve`, {}, { token: partner.coordinator.token })).status).toBe(200);
    expect((await told(a.coordinator, draft.id)).filter((k) => k === 'agreement.approved')).toHaveLength(1);
    expect((await told(b.coordinator, draft.id)).filter((k) => k === 'agreement.approved')).toHaveLength(1);
    expect((await told(c.coordinator, draft.id)).filter((k) => k === 'agreement.approved')).toHaveLength(0); // c approved last: its own act

    expect((await t.api.post(`/agreements/${draft.id}/terminate`, { reason: 'Partnership ended' }, { token: a.coordinator.token })).status).toBe(200);
    for (const partner of [b, c]) expect(await told(partner.coordinator, draft.id)).toContain('agreement.terminated');
    expect(await told(a.coordinator, draft.id)).not.toContain('agreement.terminated');
    expect(await told(outsider.coordinator, draft.id)).toEqual([]);
    const [terminated] = (await inbox(b.coordinator)).filter((n) => n.kind === 'agreement.terminated');
    expect(terminated.text).toContain('Partnership ended');
  });

  it('placements: proposed → the family; accepted → the receiving coordinators, the student and the host school; declined → the receiving coordinators', async () => {
    const ex = await homestayExchange(t);
    const family = await vettedFamily(t, ex.sides.receiving, { displayName: 'Famille Martin' });
    const otherFamily = await vettedFamily(t, ex.sides.receiving);
    const [familyMember, otherFamilyMember] = await Promise.all([familyUser(t, ex.receiving.institutionId, family.id), familyUser(t, ex.receiving.institutionId, otherFamily.id)]);
    const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
    const outsider = await newPartner(t);
    const [s1, s2] = await Promise.all([withStudent(ex), withStudent(ex)]);
    const first = await acceptedApplication(t, s1, ex.program, ex.sides, fields);
    const second = await acceptedApplication(t, s2, ex.program, ex.sides, fields);

    const accepted = await proposedPlacement(t, ex.sides.receiving, { applicationId: first.id, hostFamilyId: family.id });
    expect(await told(familyMember, accepted.id)).toEqual(['placement.proposed']);
    expect(await told(otherFamilyMember, accepted.id)).toEqual([]);
    expect(await told(s1, accepted.id)).toEqual([]);
    await placementTransition(t, familyMember, accepted.id, 'accept');
    for (const who of [ex.sides.receiving, s1, school]) expect(await told(who, accepted.id)).toEqual(['placement.accepted']);
    expect(await told(familyMember, accepted.id)).toEqual(['placement.proposed']);
    const [note] = (await inbox(s1)).filter((n) => n.objectId === accepted.id);
    expect(note.text).toContain('Famille Martin');

    const declined = await proposedPlacement(t, ex.sides.receiving, { applicationId: second.id, hostFamilyId: otherFamily.id });
    await placementTransition(t, otherFamilyMember, declined.id, 'decline', { reason: 'Away that month' });
    expect(await told(ex.sides.receiving, declined.id)).toEqual(['placement.declined']);
    for (const who of [s2, school, familyMember, ex.sides.sending, outsider.coordinator]) expect(await told(who, declined.id)).toEqual([]);
  });

  it('texts in the reader’s language (en, fr, ru; Accept-Language first), user-typed text escaped in the HTML mail', async () => {
    const ex = await homestayExchange(t);
    const [fr, ru] = await Promise.all([
      signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: ex.sending.institutionId, locale: 'fr' }),
      signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: ex.sending.institutionId, locale: 'ru' }),
    ]);
    const en = ex.sides.sending;
    const student = await withStudent(ex, { fullName: '<script>alert(1)</script>' });
    const application = await submittedApplication(t, student, ex.program, fields);

    const titleOf = async (who: Session, headers: Record<string, string> = {}) => (await inbox(who, {}, headers)).find((n) => n.objectId === application.id)!.title;
    expect(await titleOf(en)).toBe('New application: <script>alert(1)</script>');
    expect(await titleOf(fr)).toBe('Nouvelle candidature : <script>alert(1)</script>');
    expect(await titleOf(ru)).toBe('Новая заявка: <script>alert(1)</script>');
    expect(await titleOf(fr, { 'accept-language': 'ru' })).toBe('Новая заявка: <script>alert(1)</script>');

    const expected = { [en.user.email]: ['New application', 'Hello', 'waits for your nomination'], [fr.user.email]: ['Nouvelle candidature', 'Bonjour', 'attend votre nomination'], [ru.user.email]: ['Новая заявка', 'Здравствуйте', 'ждёт вашего выдвижения'] };
    for (const who of [en, fr, ru]) {
      const [mail] = (await mails(who, 'application.submitted')).filter((m) => m.text.includes(application.id));
      const [subject, greeting, sentence] = expected[who.user.email];
      expect(mail.subject).toContain(subject);
      expect(mail.text).toContain(greeting);
      expect(mail.text).toContain(sentence);
      expect(mail.text).toContain('<script>alert(1)</script>'); // plain text is not HTML
      expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain(`href="https://exchange.example/portal/applications/${application.id}"`);
      expect(mail.html).toContain(ex.program.title);
    }
  });

  it('e-mail turned off for a kind: the notification, no mail; other kinds still mailed; unknown kinds refused', async () => {
    const ex = await homestayExchange(t);
    const quiet = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: ex.sending.institutionId });
    const patched = await t.api.patch('/me', { notificationPreferences: { 'application.submitted': { email: false } } }, { token: quiet.token });
    expect(patched.status).toBe(200);
    expect(patched.body.notificationPreferences).toEqual({ 'application.submitted': { email: false } });
    expect((await t.api.get('/me', { token: quiet.token })).body.notificationPreferences).toEqual({ 'application.submitted': { email: false } });

    const student = await withStudent(ex);
    const application = await submittedApplication(t, student, ex.program, fields);
    expect(await told(quiet, application.id)).toEqual(['application.submitted']);
    expect((await mails(quiet, 'application.submitted')).length).toBe(0);
    expect((await mails(ex.sides.sending, 'application.submitted')).some((m) => m.text.includes(application.id))).toBe(true);
    await transition(t, student, application.id, 'withdraw');
    expect((await mails(quiet, 'application.withdrawn')).length).toBe(1);

    for (const body of [{ 'application.unknown': { email: false } }, { 'application.submitted': { email: 'no' } }, { 'application.submitted': { sms: true } }, []]) {
      expectProblem(await t.api.patch('/me', { notificationPreferences: body }, { token: quiet.token }), 400, 'validation.failed', ['notificationPreferences']);
    }
    // Turned on again; the other choices kept.
    await t.api.patch('/me', { notificationPreferences: { 'application.withdrawn': { email: false } } }, { token: quiet.token });
    const again = await t.api.patch('/me', { notificationPreferences: { 'application.submitted': { email: true } } }, { token: quiet.token });
    expect(again.body.notificationPreferences).toEqual({ 'application.submitted': { email: true }, 'application.withdrawn': { email: false } });
    // Never shown to others.
    expect((await t.api.get(`/users/${quiet.user.id}`, { token: ex.sides.sending.token })).body.notificationPreferences).toBeUndefined();
  });

  it("the in-app list: one's own only, newest first, unread filter, pages, read one (someone else's: 404), read all", async () => {
    const [a, b] = await Promise.all([newPartner(t), newPartner(t)]);
    const drafts = [];
    for (let i = 0; i < 3; i++) drafts.push(await draftAgreement(t, { partners: [a, b] }));
    const own = await inbox(b.coordinator);
    expect(own.map((n) => n.objectId)).toEqual(drafts.map((d) => d.id).reverse());
    expect(await inbox(a.coordinator)).toEqual([]);

    const first = await inbox(b.coordinator, { limit: 2 });
    const page = await t.api.get('/notifications', { token: b.coordinator.token, query: { limit: 2 } });
    expect(first).toHaveLength(2);
    const next = await t.api.get('/notifications', { token: b.coordinator.token, query: { limit: 2, cursor: page.body.nextCursor } });
    expect(next.body.items.map((n: { id: string }) => n.id)).toEqual([own[2].id]);
    expect(next.body.nextCursor).toBeNull();

    expectProblem(await t.api.post(`/notifications/${own[0].id}/read`, {}, { token: a.coordinator.token }), 404, 'notification.not_found');
    expectProblem(await t.api.post(`/notifications/${randomUUID()}/read`, {}, { token: b.coordinator.token }), 404, 'notification.not_found');
    const read = await t.api.post(`/notifications/${own[0].id}/read`, {}, { token: b.coordinator.token });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await inbox(b.coordinator, { unread: 'true' })).map((n) => n.id)).toEqual([own[1].id, own[2].id]);
    expectProblem(await t.api.get('/notifications', { token: b.coordinator.token, query: { unread: 'yes' } }), 400, 'validation.failed', ['unread']);

    const all = await t.api.post('/notifications/read-all', {}, { token: b.coordinator.token });
    expect(all.body).toEqual({ marked: 2 });
    expect(await inbox(b.coordinator, { unread: 'true' })).toEqual([]);
    expect((await inbox(b.coordinator)).every((n) => n.readAt)).toBe(true);
  });

  describe('reminders', () => {
    const run = (now?: Date) => t.app.get(RemindersService).runReminders(now);

    it('the scheduled run happens once per period across instances: of runs fired together one works; within the period the next skips; after it, it runs', async () => {
      const reminders = t.app.get(RemindersService);
      // A year back: nothing is due then, only the claims of the periods are seen.
      const at = new Date(Date.now() - 365 * 86_400_000);
      const together = await Promise.all([reminders.runScheduled(900, at), reminders.runScheduled(900, at), reminders.runScheduled(900, at)]);
      expect(together.filter((r) => r.ran)).toHaveLength(1);
      expect((await reminders.runScheduled(900, new Date(at.getTime() + 60_000))).ran).toBe(false);
      expect((await reminders.runScheduled(900, new Date(at.getTime() + 900_000))).ran).toBe(true);
    });

    it('arrival within 3 days → the host school and the family; checklist due soon and overdue → the responsible party; vetting expiring → the coordinators; each once', async () => {
      const ex = await homestayExchange(t);
      const family = await vettedFamily(t, ex.sides.receiving);
      const member = await familyUser(t, ex.receiving.institutionId, family.id);
      const [school, otherSchool] = await Promise.all([
        signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId }),
        signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.sending.institutionId }),
      ]);
      const student = await withStudent(ex);
      const application = await acceptedApplication(t, student, ex.program, ex.sides, fields);
      const placement = await proposedPlacement(t, ex.sides.receiving, { applicationId: application.id, hostFamilyId: family.id });
      await placementTransition(t, member, placement.id, 'accept');
      await transition(t, student, application.id, 'confirm');
      // Time travel: the student arrives in two days.
      const arrivalAt = new Date(Date.now() + 48 * 3_600_000).toISOString();
      await t.dataSource.query(`UPDATE applications SET travel = $2::jsonb, expected_arrival_at = $3 WHERE id = $1`, [
        application.id,
        JSON.stringify({ arrivalAt, transportMode: 'plane', reference: 'SU 2460', arrivalPoint: 'KRR airport', needsPickup: true }),
        arrivalAt,
      ]);
      // A vetting that runs out in ten days.
      const expiring = await vettedFamily(t, ex.sides.receiving, { displayName: 'Famille Petit' });
      await setVettingExpiry(t, expiring.id, dayFromToday(10));

      const firstRun = await run();
      expect(firstRun.ran).toBe(true);
      expect(await told(school, application.id)).toEqual(['arrival.expected']);
      expect(await told(member, application.id)).toEqual(['arrival.expected']);
      expect(await told(otherSchool, application.id)).toEqual([]);
      expect(await told(ex.sides.receiving, expiring.id)).toEqual(['host_family.vetting_expiring']);
      expect(await told(ex.sides.sending, expiring.id)).toEqual([]);
      const [arrival] = (await inbox(member)).filter((n) => n.kind === 'arrival.expected');
      expect(arrival.text).toContain('KRR airport');

      // Checked in (time travel: the stay begun), with one item due tomorrow and one past due.
      await t.dataSource.query('UPDATE programs SET starts_on = LEAST(starts_on, current_date) WHERE id = $1', [ex.program.id]);
      await t.dataSource.query('UPDATE placements SET starts_on = LEAST(starts_on, current_date) WHERE id = $1', [placement.id]);
      await transition(t, ex.sides.receiving, application.id, 'check-in');
      const items = (await t.dataSource.query('SELECT id, code, responsible FROM checklist_items WHERE application_id = $1 ORDER BY code, sequence', [application.id])) as { id: string; code: string; responsible: string }[];
      const familyItem = items.find((i) => i.responsible === 'host_family')!;
      const schoolItem = items.find((i) => i.responsible === 'host_school')!;
      await t.dataSource.query(`UPDATE checklist_items SET due_on = current_date + 60 WHERE application_id = $1`, [application.id]);
      await t.dataSource.query(`UPDATE checklist_items SET due_on = current_date + 1 WHERE id = $1`, [familyItem.id]);
      await t.dataSource.query(`UPDATE checklist_items SET due_on = current_date - 2 WHERE id = $1`, [schoolItem.id]);

      await run();
      await run();
      expect(await told(member, familyItem.id)).toEqual(['checklist.due_soon']);
      expect(await told(school, familyItem.id)).toEqual([]);
      expect(await told(school, schoolItem.id)).toEqual(['checklist.overdue']);
      expect(await told(member, schoolItem.id)).toEqual([]);
      // Run again and again: no one is told twice of one item.
      expect(await told(school, application.id)).toEqual(['arrival.expected']);
      expect(await told(ex.sides.receiving, expiring.id)).toEqual(['host_family.vetting_expiring']);
      const [due] = (await inbox(member)).filter((n) => n.objectId === familyItem.id);
      expect(due.link).toBe(`https://exchange.example/portal/applications/${application.id}/checklist`);
      expect((await mails(member, 'checklist.due_soon')).length).toBe(1);
    });

    it('two runs at once: one does the work, each person is told once', async () => {
      const ex = await homestayExchange(t);
      const second = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: ex.receiving.institutionId });
      const families = [];
      for (let i = 0; i < 3; i++) families.push(await vettedFamily(t, ex.sides.receiving));
      for (const family of families) await setVettingExpiry(t, family.id, dayFromToday(20));
      const results = await Promise.all([run(), run(), run()]);
      expect(results.filter((r) => r.notified > 0)).toHaveLength(1);
      expect(results.reduce((sum, r) => sum + r.notified, 0)).toBe(6);
      for (const who of [ex.sides.receiving, second]) for (const family of families) expect(await told(who, family.id)).toEqual(['host_family.vetting_expiring']);
    });
  });
});
