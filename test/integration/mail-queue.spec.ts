import { jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { freePort } from '../../src/database/embedded-server.js';
import { startTestApp, TEST_JWT_SECRET } from '../harness/app.js';
import { createTestDatabase } from '../harness/database.js';
import { cast } from '../harness/factories.js';
import { eventually, mailJobsTo, outboxMails } from '../harness/mail.js';
import { spawnApi, waitReady, type ApiProcess } from '../harness/process.js';
import { startSmtp } from '../harness/smtp.js';

/**
 * The mail queue against a real SMTP server: requests only write rows, the worker retries
 * until the server takes the mail, a process stopped mid-send loses nothing and sends
 * nothing twice, two instances never send the same mail, the last try leaves a dead
 * letter that admins see, and without SMTP_URL mail lands in DATA_DIR/outbox.
 */
jest.setTimeout(180_000);

/** Quick queue settings for the tests: the behaviour, not the production pace. */
const FAST = { MAIL_POLL_MS: '50', MAIL_BACKOFF_BASE_MS: '100', LOGIN_MAX_PER_IP: '10000' };

interface JobRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string;
  text: string | null;
  html: string | null;
  sent_at: Date | null;
}

const jobsOf = (ds: DataSource, ids: string[]): Promise<JobRow[]> =>
  ds.query(`SELECT id, status, attempts, last_error, message_id, text, html, sent_at FROM mail_jobs WHERE id = ANY($1) ORDER BY created_at, id`, [ids]);

/** Queues mails straight into the outbox table, as a domain's transaction would. */
async function enqueueRows(query: (sql: string, params: unknown[]) => Promise<unknown>, count: number, tag: string): Promise<string[]> {
  const rows = (await query(
    `INSERT INTO mail_jobs (kind, to_address, subject, text, html, message_id)
     SELECT 'account.invitation', 'person' || n || '@${tag}.example', 'Mail ' || n, 'Body ' || n, '<p>Body ' || n || '</p>', '<' || gen_random_uuid() || '@${tag}>'
       FROM generate_series(1, $1::int) AS n
     RETURNING id`,
    [count],
  )) as { id: string }[];
  return rows.map((row) => row.id);
}

describe('the mail queue', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close().catch(() => undefined);
  });

  it('answers requests without waiting on a refusing or silent server, retries, and delivers once the server accepts', async () => {
    const smtp = await startSmtp('refuse');
    closing.push(() => smtp.close());
    const t = await startTestApp({ ...FAST, SMTP_URL: smtp.url });
    closing.push(() => t.close());
    const people = await cast(t.dataSource, t.api);

    const email = 'refused.staff@test.example';
    const created = await t.api.post('/users', { email, fullName: 'Refused Staff', role: 'host_school' }, { token: people.coordinator.token });
    expect(created.status).toBe(201);
    // The answer came before the server took anything: the request only wrote the row.
    expect(smtp.deliveries).toHaveLength(0);
    const [job] = await mailJobsTo(t.dataSource, email);
    expect(job).toMatchObject({ kind: 'account.invitation' });

    // Refused, retried with pauses, the error kept (without the address).
    await eventually('two refusals', () => smtp.refused >= 2);
    const [retried] = await eventually('the job back in the queue after refusals', async () => {
      const rows = await jobsOf(t.dataSource, [job.id]);
      return rows[0].attempts >= 2 && rows[0].last_error ? rows : null;
    });
    expect(retried.status).not.toBe('sent');
    expect(retried.last_error).toContain('451');
    expect(retried.last_error).not.toContain(email);

    // A server that holds mail without answering does not slow a request either.
    smtp.mode = 'stall';
    await eventually('a mail held by the server', () => smtp.stalled >= 1, 30_000);
    const started = Date.now();
    const during = await t.api.post('/users', { email: 'during.stall@test.example', fullName: 'During Stall', role: 'host_school' }, { token: people.coordinator.token });
    expect(during.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(3000);

    smtp.mode = 'accept';
    smtp.release();
    const sent = await eventually('both mails sent', async () => {
      const rows = (await t.dataSource.query(`SELECT id, status, attempts, message_id, text, html, sent_at FROM mail_jobs WHERE to_address = ANY($1)`, [[email, 'during.stall@test.example']])) as JobRow[];
      return rows.length === 2 && rows.every((row) => row.status === 'sent') ? rows : null;
    });
    for (const row of sent) {
      expect(smtp.deliveredCount(row.message_id)).toBe(1);
      expect(row).toMatchObject({ text: null, html: null, sent_at: expect.any(Date) });
    }
    expect(smtp.deliveries).toHaveLength(2);
    const invitation = sent.find((row) => row.id === job.id)!;
    expect(invitation.attempts).toBeGreaterThanOrEqual(3);
  });

  it('loses nothing and sends nothing twice when a process stops in the middle of sending', async () => {
    const smtp = await startSmtp('stall');
    closing.push(() => smtp.close());
    const databaseUrl = await createTestDatabase();
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    closing.push(() => db.end());
    const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
    const ids = await enqueueRows(query, 3, 'restart');

    const dataDir = mkdtempSync(join(tmpdir(), 'exchange-mail-'));
    closing.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '50',
      MAIL_BACKOFF_BASE_MS: '100',
      MAIL_LEASE_MS: '3000',
    };
    let api: ApiProcess = spawnApi(env);
    closing.push(() => api.stop('SIGKILL'));
    await waitReady(api, base);

    // All three are handed to the server, which holds them without an answer; the process dies.
    await eventually('the mails held by the server', () => smtp.stalled >= 3, 30_000);
    expect(await api.stop('SIGKILL')).toBe(null);
    const held = (await query(`SELECT status, attempts FROM mail_jobs WHERE id = ANY($1)`, [ids])) as { status: string; attempts: number }[];
    expect(held).toEqual(Array(3).fill({ status: 'sending', attempts: 1 }));
    expect(smtp.deliveries).toHaveLength(0);

    // Started again: once the dead process's lease runs out, each mail goes out once.
    smtp.mode = 'accept';
    api = spawnApi(env);
    await waitReady(api, base);
    const rows = await eventually('the mails sent after the restart', async () => {
      const found = (await query(`SELECT status, attempts, message_id FROM mail_jobs WHERE id = ANY($1)`, [ids])) as JobRow[];
      return found.every((row) => row.status === 'sent') ? found : null;
    }, 30_000);
    for (const row of rows) {
      expect(smtp.deliveredCount(row.message_id)).toBe(1);
      expect(row.attempts).toBe(2);
    }
    expect(smtp.deliveries).toHaveLength(3);
    expect(await api.stop('SIGTERM')).toBe(0);
  });

  it('never lets two instances on one database send the same mail', async () => {
    const smtp = await startSmtp('accept');
    closing.push(() => smtp.close());
    const first = await startTestApp({ ...FAST, SMTP_URL: smtp.url });
    closing.push(() => first.close());
    const databaseUrl = (first.dataSource.options as { url: string }).url;
    const second = await startTestApp({ ...FAST, SMTP_URL: smtp.url }, { databaseUrl });
    closing.push(() => second.close());

    const ids = await enqueueRows((sql, params) => first.dataSource.query(sql, params), 50, 'pair');
    const rows = await eventually('the 50 mails sent', async () => {
      const found = await jobsOf(first.dataSource, ids);
      return found.every((row) => row.status === 'sent') ? found : null;
    }, 60_000);
    expect(new Set(rows.map((row) => row.message_id)).size).toBe(50);
    for (const row of rows) {
      expect(smtp.deliveredCount(row.message_id)).toBe(1);
      expect(row.attempts).toBe(1);
    }
    expect(smtp.deliveries).toHaveLength(50);
  });

  it('leaves a dead letter after the last try, listed for admins without address or body', async () => {
    const smtp = await startSmtp('refuse');
    closing.push(() => smtp.close());
    const t = await startTestApp({ ...FAST, SMTP_URL: smtp.url, MAIL_MAX_ATTEMPTS: '3' });
    closing.push(() => t.close());
    const people = await cast(t.dataSource, t.api);
    const email = 'never.reached@test.example';
    expect((await t.api.post('/users', { email, fullName: 'Never Reached', role: 'host_school' }, { token: people.coordinator.token })).status).toBe(201);
    const [job] = await mailJobsTo(t.dataSource, email);

    const [dead] = await eventually('the job dead', async () => {
      const found = await jobsOf(t.dataSource, [job.id]);
      return found[0].status === 'dead' ? found : null;
    });
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toContain('451');
    expect(smtp.refused).toBe(3);

    const queue = await t.api.get('/admin/mail-queue', { token: people.admin.token });
    expect(queue.status).toBe(200);
    expect(queue.body.counts).toEqual({ queued: 0, sending: 0, sent: 0, dead: 1 });
    expect(queue.body.dead).toEqual([{ id: job.id, kind: 'account.invitation', attempts: 3, lastError: dead.last_error, createdAt: expect.any(String) }]);
    expect(JSON.stringify(queue.body)).not.toContain(email);
    expect(JSON.stringify(queue.body)).not.toContain('Never Reached');

    expect((await t.api.get('/admin/mail-queue', { token: people.coordinator.token })).status).toBe(403);
    expect((await t.api.get('/admin/mail-queue')).status).toBe(401);
  });

  it('writes mail to DATA_DIR/outbox without SMTP_URL, in the recipient\'s language', async () => {
    const t = await startTestApp(FAST);
    closing.push(() => t.close());
    const people = await cast(t.dataSource, t.api);
    const email = 'nouvelle.personne@test.example';
    const created = await t.api.post('/users', { email, fullName: 'Zoé <b>Martin</b>', role: 'host_school', locale: 'fr' }, { token: people.coordinator.token });
    expect(created.status).toBe(201);

    const [job] = await eventually('the invitation sent', async () => {
      const jobs = await mailJobsTo(t.dataSource, email);
      return jobs[0]?.status === 'sent' ? jobs : null;
    });
    const [row] = await jobsOf(t.dataSource, [job.id]);
    const outbox = join(t.settings.dataDir, 'outbox');
    expect(statSync(outbox).mode & 0o777).toBe(0o700);
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    expect(statSync(join(outbox, files[0])).mode & 0o777).toBe(0o600);
    const [mail] = outboxMails(t.settings.dataDir);
    expect(mail).toContain(`Message-ID: ${row.message_id}`);
    expect(mail).toContain(`To: ${email}`);
    expect(mail).toMatch(/Subject: .*(Votre|=\?UTF-8\?)/);
    expect(mail).toContain('Zo=C3=A9 &lt;b&gt;Martin&lt;/b&gt;');
    expect(row).toMatchObject({ text: null, html: null });
  });
});
