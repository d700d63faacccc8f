import { familyRow } from '../harness/host-families.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast } from '../harness/factories.js';
import { allSentTo, mailJobsTo, outboxMails } from '../harness/mail.js';

/** Staff created without a password are invited by mail to choose one. */
describe('invitations', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof cast>>;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '50' });
    people = await cast(t.dataSource, t.api);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The code in the last mail sent to that address, once the queue has sent it (to DATA_DIR/outbox in tests). */
  async function invitationCode(email: string): Promise<string> {
    await allSentTo(t.dataSource, email);
    const mails = outboxMails(t.settings.dataDir).filter((mail) => mail.includes(`To: ${email}`));
    const code = /\n\n([A-Za-z0-9_-]{43})\n\n/.exec(mails[mails.length - 1] ?? '')?.[1];
    if (!code) throw new Error(`no invitation for ${email}`);
    return code;
  }

  it('lets an invited host-school user choose a password, once', async () => {
    const email = 'new.staff@test.example';
    const created = await t.api.post('/users', { email, fullName: 'New Staff', role: 'host_school' }, { token: people.coordinator.token });
    expect(created.status).toBe(201);
    expect(created.body.institutionId).toBe(people.home.id);
    expect((await t.api.post('/auth/login', { email, password: 'a-chosen-password' })).status).toBe(401);

    const code = await invitationCode(email);
    expect((await t.api.post('/auth/set-password', { token: code, password: 'password123' })).body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await t.api.post('/auth/set-password', { token: code, password: 'a-chosen-password' })).status).toBe(204);
    expect((await t.api.post('/auth/login', { email, password: 'a-chosen-password' })).status).toBe(200);

    const again = await t.api.post('/auth/set-password', { token: code, password: 'another-password-1' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('auth.invalid_password_token');
    expect((await t.api.post('/auth/login', { email, password: 'a-chosen-password' })).status).toBe(200);
  });

  it('refuses unknown and expired codes, and bad bodies', async () => {
    const unknown = await t.api.post('/auth/set-password', { token: 'x'.repeat(43), password: 'a-chosen-password' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('auth.invalid_password_token');

    const email = 'expiring@test.example';
    expect((await t.api.post('/users', { email, fullName: 'Late', role: 'coordinator', institutionId: people.other.id }, { token: people.admin.token })).status).toBe(201);
    const code = await invitationCode(email);
    await t.dataSource.query(`UPDATE password_tokens SET expires_at = now() - interval '1 second'`);
    expect((await t.api.post('/auth/set-password', { token: code, password: 'a-chosen-password' })).body.code).toBe('auth.invalid_password_token');

    expect((await t.api.post('/auth/set-password', { token: code })).body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await t.api.post('/auth/set-password', { token: code, password: 'a-chosen-password', role: 'admin' })).status).toBe(400);
  });

  it('sends no invitation when a password is given', async () => {
    const email = 'with.password@test.example';
    const hostFamilyId = await familyRow(t.dataSource, people.home.id);
    expect((await t.api.post('/users', { email, fullName: 'Ready', role: 'host_family', hostFamilyId, password: 'a-chosen-password' }, { token: people.coordinator.token })).status).toBe(201);
    // The account and its mail commit together: no mail was queued at all.
    expect(await mailJobsTo(t.dataSource, email)).toEqual([]);
    expect((await t.api.post('/auth/login', { email, password: 'a-chosen-password' })).status).toBe(200);
  });
});
