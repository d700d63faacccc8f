import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { APP_ROLE, appRoleUrl, ensureAppDatabase, ensureAppRole, protectAuditLog } from '../../src/database/app-role.js';
import { createDataSource } from '../../src/database/data-source.js';
import { freePort, startEmbeddedServer, type RunningServer } from '../../src/database/embedded-server.js';
import { Api } from '../harness/api.js';
import type { TestApp } from '../harness/app.js';
import { login, newUser, type Session } from '../harness/factories.js';
import { familyBody } from '../harness/host-families.js';
import { eventually } from '../harness/mail.js';
import { activeAgreement, newPartner, publishedProgram } from '../harness/partnerships.js';
import { commandLineOf, postgresOn, readiness, spawnApi, waitReady, type ApiProcess } from '../harness/process.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { pollReadiness, send, startLoad, tally, type Load, type Outcome, type Step } from './load.js';

/**
 * The database going away under load (`npm run test:stress`, not part of `npm test`). The
 * API runs as `npm start` runs it in production (its own process, NODE_ENV=production, on a
 * PostgreSQL it does not own: an embedded server this file starts), while a few clients
 * read and write without a break: students create draft applications, rename themselves
 * and mark notifications read, a coordinator registers host families and invites host
 * school staff (each invitation a mail to deliver). Meanwhile PostgreSQL first has every
 * connection of the API killed again and again (pg_terminate_backend) for a few seconds,
 * then is stopped for ten seconds and started again.
 *
 * Proved: every request gets its answer within ANSWER_WITHIN_MS (no hang); an answer that
 * is not a success is a 503 problem `database.unavailable` with Retry-After, never a 500;
 * while the database is down every request and readiness answer 503; the API, its pool and
 * its mail worker come back by themselves (every request 2xx again, every mail delivered);
 * every write answered 2xx is in the database afterwards, whole, and no failed one left a
 * part of itself; a create answered 503 and sent again with its Idempotency-Key is made
 * exactly once; the audit chain is intact.
 */
jest.setTimeout(600_000);

/** Every request is answered within this, however the database fails. */
const ANSWER_WITHIN_MS = 5000;
/** Once the database is back (killings over, or the server accepting connections again), every request succeeds after this long. */
const RECOVER_WITHIN_MS = 3000;
/** How long the load is watched for failures after each recovery. */
const CALM_MS = 5000;
const TERMINATE_FOR_MS = 6000;
const TERMINATE_EVERY_MS = 100;
const DOWN_FOR_MS = 10_000;

const WORKERS = 8;
const PAUSE_MS = 40;
const STUDENTS = 120;
const PROGRAMMES = 5; // the most open applications a student may have (MAX_OPEN_APPLICATIONS)
const NOTIFICATIONS_PER_STUDENT = 12;

const DATABASE = 'exchange';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = () => randomBytes(5).toString('hex');

const succeeded = (o: Outcome) => o.status >= 200 && o.status < 300;
/** The one acceptable failure while the database is away. */
const unavailable = (o: Outcome) =>
  o.status === 503 && o.code === 'database.unavailable' && /^application\/problem\+json/.test(o.contentType ?? '') && Number(o.retryAfter) > 0;
const shown = (o: Outcome) => ({ action: o.action, status: o.status, code: o.code, ms: o.ms, retryAfter: o.retryAfter, error: o.error, body: o.status >= 400 ? o.body : undefined });

interface CreateAttempt {
  action: string;
  key: string;
  token: string;
  path: string;
  body: Record<string, unknown>;
  outcome: Outcome;
}
interface Student {
  session: Session;
  id: string;
  initialName: string;
}

describe('a database outage under load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exchange-stress-'));
  let server: RunningServer;
  let superuserUrl: string;
  let restarted: number | undefined;
  let smtp: TestSmtp;
  let api: ApiProcess;
  let base: string;
  let db: DataSource;
  let load: Load | undefined;
  let ready: ReturnType<typeof pollReadiness> | undefined;
  let admin: Session;
  let coordinator: Session;
  const students: Student[] = [];
  const programmeIds: string[] = [];
  const marks: Record<string, number> = {};

  // The ledger: every write sent, with its answer.
  const applicationPairs: { student: Student; programId: string }[] = [];
  const creates: CreateAttempt[] = [];
  const renames = new Map<string, { value: string; outcome: Outcome }[]>();
  const unread: { id: string; token: string }[] = [];
  const reads: { id: string; outcome: Outcome }[] = [];

  /** A superuser's DataSource on the API's database, for setting up and checking rows. */
  const openDb = async () => {
    const source = createDataSource(new URL(`/${DATABASE}`, superuserUrl).toString());
    await source.initialize();
    return source;
  };
  const superuserClient = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: superuserUrl, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined); // the server going away under it is the point
    await client.connect();
    return client;
  };
  const during = (from: number, to: number) => load!.outcomes.filter((o) => o.started >= from && o.started < to);

  beforeAll(async () => {
    // The server as `npm start` would run it (durable: fsync and synchronous commits on, so a commit acknowledged is one kept).
    server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir });
    superuserUrl = server.url('postgres');
    const appPassword = unique();
    const client = await superuserClient();
    await ensureAppRole(client, appPassword);
    await client.end();
    await ensureAppDatabase(superuserUrl, DATABASE);

    smtp = await startSmtp('accept');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const adminEmail = `admin.${unique()}@stress.example`;
    const adminPassword = `Stress-${unique()}-${unique()}!`;
    api = spawnApi({
      NODE_ENV: 'production',
      DATABASE_URL: appRoleUrl(superuserUrl, appPassword, DATABASE),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: join(dir, 'api'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SMTP_URL: smtp.url,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      LOGIN_MAX_PER_IP: '100000',
      // The queue's pace for a short test: a lease that runs out in seconds, quick retries.
      MAIL_POLL_MS: '200',
      MAIL_LEASE_MS: '10000',
      MAIL_BACKOFF_BASE_MS: '200',
    });
    await waitReady(api, base);
    // What the embedded start does after the migrations: the audit log handed to its owner.
    await protectAuditLog(superuserUrl, DATABASE);

    db = await openDb();
    const http = new Api(base);
    // The factories need only the HTTP client and a DataSource on the database.
    const t = { api: http, baseUrl: base, dataSource: db } as unknown as TestApp;
    const adminLogin = await http.post('/auth/login', { email: adminEmail, password: adminPassword });
    expect(adminLogin.status).toBe(200);
    admin = { user: adminLogin.body.user, token: adminLogin.body.accessToken, refreshToken: adminLogin.body.refreshToken };

    const sending = await newPartner(t);
    const receiving = await newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' });
    coordinator = sending.coordinator;
    const agreement = await activeAgreement(t, { partners: [sending, receiving] });
    for (let i = 0; i < PROGRAMMES; i++) {
      const program = await publishedProgram(t, coordinator, agreement.id, sending.institutionId, receiving.institutionId, { requiredDocuments: [], requiresLearningAgreement: false });
      programmeIds.push(program.id);
    }
    for (let i = 0; i < STUDENTS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, STUDENTS - i) }, async (_, j) => {
          const user = await newUser(db, { role: 'student', institutionId: sending.institutionId, fullName: `Student ${i + j}` });
          return { session: { ...(await login(http, user)), user }, id: user.id, initialName: user.fullName };
        }),
      );
      students.push(...batch);
    }
    for (const student of students) for (const programId of programmeIds) applicationPairs.push({ student, programId });
    applicationPairs.sort(() => Math.random() - 0.5);
    const notifications = (await db.query(
      `INSERT INTO notifications (user_id, kind, object_type, object_id, params)
       SELECT u.id, 'application.nominated', 'application', gen_random_uuid(), '{}'::jsonb FROM unnest($1::uuid[]) AS u(id), generate_series(1, $2::int)
       RETURNING id, user_id`,
      [students.map((s) => s.id), NOTIFICATIONS_PER_STUDENT],
    )) as { id: string; user_id: string }[];
    const tokenOf = new Map(students.map((s) => [s.id, s.session.token]));
    for (const n of notifications.sort(() => Math.random() - 0.5)) unread.push({ id: n.id, token: tokenOf.get(n.user_id)! });
    // The setup's pool is closed before the database goes away; the checks open another.
    await db.destroy();
  });

  afterAll(async () => {
    await load?.stop();
    await ready?.stop();
    if (db?.isInitialized) await db.destroy().catch(() => undefined);
    if (api && api.child.exitCode === null) await api.stop('SIGKILL');
    if (restarted) {
      try {
        process.kill(restarted, 'SIGINT');
      } catch {
        // already gone
      }
    }
    await server?.stop();
    for (let i = 0; i < 100 && server && postgresOn(server.dataDir).length > 0; i++) await sleep(100);
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // What the clients do, one request at a time each; writes go to the ledger with their answers.
  const random = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const step: Step = async (worker) => {
    const roll = Math.random();
    if (roll < 0.08 && applicationPairs.length > 0) {
      const { student, programId } = applicationPairs.pop()!;
      return create('application.create', student.session.token, '/applications', { programId });
    }
    if (roll < 0.22) {
      // Each worker renames its own students, so that one person's renames never overlap.
      const mine = students.filter((_, i) => i % WORKERS === worker);
      const student = random(mine);
      const value = `Renamed ${worker}-${unique()}`;
      const outcome = await send(base, 'me.rename', { method: 'PATCH', path: '/me', token: student.session.token, body: { fullName: value } });
      if (!renames.has(student.id)) renames.set(student.id, []);
      renames.get(student.id)!.push({ value, outcome });
      return outcome;
    }
    if (roll < 0.4 && unread.length > 0) {
      const notification = unread.pop()!;
      const outcome = await send(base, 'notification.read', { method: 'POST', path: `/notifications/${notification.id}/read`, token: notification.token, body: {} });
      reads.push({ id: notification.id, outcome });
      return outcome;
    }
    if (roll < 0.52) return create('host_family.create', coordinator.token, '/host-families', familyBody({ displayName: `Famille ${unique()}` }));
    if (roll < 0.6) return create('user.invite', coordinator.token, '/users', { email: `staff.${unique()}@stress.example`, fullName: 'Host School Staff', role: 'host_school' });
    const student = random(students).session.token;
    const [action, path, token] = random([
      ['programs.list', '/programs?limit=20', student],
      ['me.get', '/me', student],
      ['notifications.list', '/notifications?unread=true&limit=20', student],
      ['host_families.list', '/host-families?limit=20', coordinator.token],
      ['applications.list', '/applications?limit=20', coordinator.token],
    ] as const);
    return send(base, action, { method: 'GET', path, token });
  };

  async function create(action: string, token: string, path: string, body: Record<string, unknown>): Promise<Outcome> {
    const key = randomUUID();
    const outcome = await send(base, action, { method: 'POST', path, token, body, headers: { 'idempotency-key': key } });
    creates.push({ action, key, token, path, body, outcome });
    return outcome;
  }

  /** Every answer within the bound, and each either a success or the 503 problem. */
  function expectSuccessOrUnavailable(outcomes: Outcome[]): void {
    const late = outcomes.filter((o) => o.status === 0 || o.ms >= ANSWER_WITHIN_MS);
    expect({ late: late.slice(0, 5).map(shown), said: late.length ? api.output().slice(-3000) : '' }).toEqual({ late: [], said: '' });
    const wrong = outcomes.filter((o) => !succeeded(o) && !unavailable(o));
    expect({ wrong: wrong.slice(0, 5).map(shown), count: wrong.length, tally: wrong.length ? tally(outcomes) : {} }).toEqual({ wrong: [], count: 0, tally: {} });
    // What a 503 tells the client: nothing of the database's address, errors or the code's insides.
    const leaky = outcomes.filter((o) => o.status === 503 && /ECONNREFUSED|terminat|127\.0\.0\.1|postgres|\s{4}at /i.test(JSON.stringify(o.body)));
    expect(leaky.slice(0, 3).map(shown)).toEqual([]);
  }

  function expectAllSucceeded(outcomes: Outcome[], what: string): void {
    expect(outcomes.length).toBeGreaterThan(WORKERS * 10);
    const failed = outcomes.filter((o) => !succeeded(o) || o.ms >= ANSWER_WITHIN_MS);
    expect({ what, failed: failed.slice(0, 5).map(shown), count: failed.length }).toEqual({ what, failed: [], count: 0 });
  }

  it('answers every request of the steady load before the outage', async () => {
    ready = pollReadiness(base, 250);
    marks.loadFrom = Date.now();
    load = startLoad(WORKERS, PAUSE_MS, step);
    await sleep(4000);
    marks.baselineTo = Date.now();
    expectAllSucceeded(during(marks.loadFrom, marks.baselineTo), 'before the outage');
  });

  it("connections killed again and again: 503 problems within the bound, never a 500, and every request succeeds again once it stops", async () => {
    const killer = await superuserClient();
    let killed = 0;
    marks.terminateFrom = Date.now();
    while (Date.now() - marks.terminateFrom < TERMINATE_FOR_MS) {
      const { rows } = await killer.query<{ killed: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity WHERE usename = $1 AND datname = $2`,
        [APP_ROLE, DATABASE],
      );
      killed += rows[0].killed;
      await sleep(TERMINATE_EVERY_MS);
    }
    marks.terminateTo = Date.now();
    await killer.end();
    await sleep(RECOVER_WITHIN_MS);
    marks.calm1From = Date.now();
    await sleep(CALM_MS);
    marks.calm1To = Date.now();

    const outage = during(marks.terminateFrom, marks.calm1From);
    // The killing hit the API: connections went, and requests felt it.
    expect(killed).toBeGreaterThan(10);
    expect(outage.filter(unavailable).length).toBeGreaterThan(0);
    expectSuccessOrUnavailable(outage);
    expectAllSucceeded(during(marks.calm1From, marks.calm1To), 'after the killings');
    expect(api.child.exitCode).toBeNull();
  });

  it('PostgreSQL stopped for ten seconds: every request and readiness answer 503 quickly, and all succeed again once it is back', async () => {
    const cluster = server.dataDir;
    const [postmaster] = postgresOn(cluster);
    expect(postmaster).toBeGreaterThan(0);
    const command = commandLineOf(postmaster);
    marks.stopFrom = Date.now();
    process.kill(postmaster, 'SIGINT'); // fast shutdown: sessions ended, new connections refused
    await eventually('PostgreSQL stopped', () => postgresOn(cluster).length === 0, 30_000, 50);
    marks.downFrom = Date.now();
    await sleep(DOWN_FOR_MS);
    marks.downTo = Date.now();

    // Started again by hand on the same port, as the cluster's owner; the API is not told.
    const owner = statSync(cluster);
    const again = spawn(command[0], command.slice(1), { ...(userInfo().uid === 0 ? { uid: owner.uid, gid: owner.gid } : {}), cwd: '/', detached: true, stdio: 'ignore' });
    restarted = again.pid;
    again.unref();
    await eventually(
      'PostgreSQL accepting connections',
      () =>
        superuserClient().then(
          (client) => client.end().then(() => true),
          () => false,
        ),
      30_000,
      100,
    );
    marks.upAt = Date.now();
    await eventually('ready again', async () => (await readiness(base, 2000)) === 200, 30_000, 100);
    marks.readyAt = Date.now();
    await sleep(RECOVER_WITHIN_MS);
    marks.calm2From = Date.now();
    await sleep(CALM_MS);
    marks.calm2To = Date.now();
    await load!.stop();
    await ready!.stop();

    const down = during(marks.downFrom, marks.downTo);
    expect(down.length).toBeGreaterThan(WORKERS * 10);
    expectSuccessOrUnavailable(during(marks.stopFrom, marks.calm2From));
    // Nothing can succeed without the database: every request of those ten seconds is the 503 problem.
    const notUnavailable = down.filter((o) => !unavailable(o));
    expect({ notUnavailable: notUnavailable.slice(0, 5).map(shown), count: notUnavailable.length }).toEqual({ notUnavailable: [], count: 0 });

    const readyDown = ready!.answers.filter((a) => a.at >= marks.downFrom && a.at < marks.downTo);
    expect(readyDown.length).toBeGreaterThan(10);
    expect(readyDown.filter((a) => a.status !== 503 || a.ms >= ANSWER_WITHIN_MS)).toEqual([]);
    expect(marks.readyAt - marks.upAt).toBeLessThan(10_000);
    expect(ready!.answers.filter((a) => a.at >= marks.calm2From && a.status !== 200)).toEqual([]);

    expectAllSucceeded(during(marks.calm2From, marks.calm2To), 'after the restart');
    // And over the whole run, stragglers between the phases included.
    expectSuccessOrUnavailable(load!.outcomes);
    expect(api.child.exitCode).toBeNull();
    // A 500 would have been logged as an unhandled error.
    expect(api.output()).not.toMatch(/unhandled error|uncaught|unhandledRejection/i);
  });

  it('every write answered 2xx is in the database, whole, and no failed one left a part of itself', async () => {
    db = await openDb();
    const summary: Record<string, unknown> = { requests: load!.outcomes.length, byAction: tally(load!.outcomes) };

    // Draft applications: the row, its history entry and its audit entry, or nothing at all.
    const applications = (await db.query(
      `SELECT a.id, a.student_id, a.program_id, a.status,
              (SELECT count(*)::int FROM application_history h WHERE h.application_id = a.id) AS history,
              (SELECT count(*)::int FROM audit.audit_log l WHERE l.target_id = a.id AND l.action = 'application.create') AS audited
         FROM applications a`,
    )) as { id: string; student_id: string; program_id: string; status: string; history: number; audited: number }[];
    expect(applications.filter((a) => a.status !== 'draft' || a.history !== 1 || a.audited !== 1)).toEqual([]);
    const applicationById = new Map(applications.map((a) => [a.id, a]));
    const applicationsOf = (studentToken: string, programId: string) => {
      const student = students.find((s) => s.session.token === studentToken)!;
      return applications.filter((a) => a.student_id === student.id && a.program_id === programId);
    };
    const applicationCreates = creates.filter((c) => c.action === 'application.create');
    const ackedApplications = applicationCreates.filter((c) => succeeded(c.outcome));
    expect(ackedApplications.length).toBeGreaterThan(20);
    for (const c of ackedApplications) {
      const row = applicationById.get(c.outcome.body.id);
      expect({ key: c.key, programId: row?.program_id }).toEqual({ key: c.key, programId: c.body.programId });
    }
    expect(applications.length).toBeGreaterThanOrEqual(ackedApplications.length);

    // Host families: the row and its audit entry.
    const families = (await db.query(
      `SELECT f.id, f.display_name, (SELECT count(*)::int FROM audit.audit_log l WHERE l.target_id = f.id AND l.action = 'host_family.create') AS audited FROM host_families f`,
    )) as { id: string; display_name: string; audited: number }[];
    expect(families.filter((f) => f.audited !== 1)).toEqual([]);
    const familiesNamed = (name: unknown) => families.filter((f) => f.display_name === name);
    const familyCreates = creates.filter((c) => c.action === 'host_family.create');
    for (const c of familyCreates.filter((c) => succeeded(c.outcome))) {
      expect(familiesNamed(c.body.displayName).map((f) => f.id)).toEqual([c.outcome.body.id]);
    }

    // Invitations: the account, its audit entry and its mail, or nothing at all.
    const staff = (await db.query(
      `SELECT u.id, u.email,
              (SELECT count(*)::int FROM audit.audit_log l WHERE l.target_id = u.id AND l.action = 'user.create') AS audited,
              (SELECT count(*)::int FROM mail_jobs j WHERE j.to_address = u.email AND j.kind = 'account.invitation') AS mails
         FROM users u WHERE u.role = 'host_school'`,
    )) as { id: string; email: string; audited: number; mails: number }[];
    expect(staff.filter((u) => u.audited !== 1 || u.mails !== 1)).toEqual([]);
    const inviteCreates = creates.filter((c) => c.action === 'user.invite');
    for (const c of inviteCreates.filter((c) => succeeded(c.outcome))) {
      expect(staff.filter((u) => u.email === c.body.email).map((u) => u.id)).toEqual([c.outcome.body.id]);
    }

    // Renames: each student's name is the last one acknowledged, or one sent after it whose answer was lost.
    const names = new Map(((await db.query(`SELECT id, full_name FROM users WHERE role = 'student'`)) as { id: string; full_name: string }[]).map((u) => [u.id, u.full_name]));
    let renamesAcked = 0;
    for (const student of students) {
      const attempts = renames.get(student.id) ?? [];
      const lastAcked = attempts.map((a) => succeeded(a.outcome)).lastIndexOf(true);
      renamesAcked += attempts.filter((a) => succeeded(a.outcome)).length;
      const possible = [lastAcked >= 0 ? attempts[lastAcked].value : student.initialName, ...attempts.slice(lastAcked + 1).map((a) => a.value)];
      expect({ student: student.id, name: possible.includes(names.get(student.id)!) ? 'as acknowledged' : names.get(student.id) }).toEqual({ student: student.id, name: 'as acknowledged' });
    }
    expect(renamesAcked).toBeGreaterThan(20);

    // Notifications marked read.
    const readAt = new Map(((await db.query(`SELECT id, read_at FROM notifications`)) as { id: string; read_at: Date | null }[]).map((n) => [n.id, n.read_at]));
    const ackedReads = reads.filter((r) => succeeded(r.outcome));
    expect(ackedReads.length).toBeGreaterThan(20);
    expect(ackedReads.filter((r) => !readAt.get(r.id))).toEqual([]);

    // Failed creates: at most one (whole) row each; one that is there committed although its answer said 503.
    const failedCreates = creates.filter((c) => !succeeded(c.outcome));
    expect(failedCreates.filter((c) => !unavailable(c.outcome)).map((c) => shown(c.outcome))).toEqual([]);
    const madeAnyway = failedCreates.filter((c) => {
      const rows =
        c.action === 'application.create' ? applicationsOf(c.token, c.body.programId as string) : c.action === 'host_family.create' ? familiesNamed(c.body.displayName) : staff.filter((u) => u.email === c.body.email);
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows.length === 1;
    });
    summary.creates = { sent: creates.length, acknowledged: creates.length - failedCreates.length, failed: failedCreates.length, madeThoughAnswered503: madeAnyway.map((c) => c.action) };
    summary.renames = { acknowledged: renamesAcked };
    summary.reads = { acknowledged: ackedReads.length };
    summary.phases = Object.fromEntries(Object.entries(marks).map(([name, at]) => [name, `${((at - marks.loadFrom) / 1000).toFixed(1)} s`]));
    console.log(`database outage under load:\n${JSON.stringify(summary, null, 1)}`);
  });

  it('the mail worker delivers every invitation queued before, during and after the outage', async () => {
    const late = await send(base, 'user.invite', { method: 'POST', path: '/users', token: coordinator.token, body: { email: `after.${unique()}@stress.example`, fullName: 'After The Outage', role: 'host_school' } });
    expect(late.status).toBe(201);
    const invited = [late.body.email as string, ...creates.filter((c) => c.action === 'user.invite' && succeeded(c.outcome)).map((c) => c.body.email as string)];
    await eventually(
      'every invitation delivered',
      () => {
        const delivered = new Set(smtp.deliveries.flatMap((d) => d.to));
        return invited.every((email) => delivered.has(email));
      },
      90_000,
      200,
    );
    await eventually(
      'every mail job recorded as sent',
      async () => {
        const [{ pending }] = (await db.query(`SELECT count(*)::int AS pending FROM mail_jobs WHERE status <> 'sent'`)) as { pending: number }[];
        return pending === 0;
      },
      60_000,
      200,
    );
    // At least once: a mail whose worker lost the database between sending it and recording it is sent again when its lease runs out.
    const sentTwice = smtp.deliveries.filter((d, i) => smtp.deliveries.findIndex((e) => e.messageId === d.messageId) !== i).length;
    console.log(`mail: ${invited.length} invitations delivered, ${sentTwice} of them twice`);
  });

  it('a create answered 503 and sent again with its Idempotency-Key is made exactly once', async () => {
    const failed = creates.filter((c) => !succeeded(c.outcome));
    expect(failed.length).toBeGreaterThan(0);
    const again: { action: string; status: number; code: string | null }[] = [];
    for (const c of failed) {
      const retried = await send(base, c.action, { method: 'POST', path: c.path, token: c.token, body: c.body, headers: { 'idempotency-key': c.key } });
      again.push({ action: c.action, status: retried.status, code: retried.code });
    }
    expect(again.filter((a) => a.status !== 201)).toEqual([]);
    const counts = async (c: CreateAttempt): Promise<number> => {
      if (c.action === 'host_family.create') return ((await db.query(`SELECT count(*)::int AS n FROM host_families WHERE display_name = $1`, [c.body.displayName])) as { n: number }[])[0].n;
      if (c.action === 'user.invite') return ((await db.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [c.body.email])) as { n: number }[])[0].n;
      const student = students.find((s) => s.session.token === c.token)!;
      return ((await db.query(`SELECT count(*)::int AS n FROM applications WHERE student_id = $1 AND program_id = $2`, [student.id, c.body.programId])) as { n: number }[])[0].n;
    };
    const notOnce = [];
    for (const c of failed) {
      const n = await counts(c);
      if (n !== 1) notOnce.push({ action: c.action, rows: n });
    }
    expect(notOnce).toEqual([]);
  });

  it('leaves the audit chain intact, and the API stops cleanly', async () => {
    const verified = await send(base, 'audit.verify', { method: 'GET', path: '/audit/verify', token: admin.token });
    expect({ status: verified.status, valid: verified.body.valid }).toEqual({ status: 200, valid: true });
    await db.destroy();
    expect(await api.stop('SIGINT')).toBe(0);
  });
});
