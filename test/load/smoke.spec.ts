/**
 * A short load smoke inside `npm test`: 30 connections for 5 seconds on a read route and on
 * a write route (autocannon, over the real port), each request as one of 10 signed-in
 * people. What it asserts is correctness under load, not speed (speed is `npm run bench`'s):
 * no connection error, no timeout, no answer but a 2xx, every answer about its own caller,
 * and afterwards a consistent database: reads wrote nothing, each write is in the audit log
 * once, no write landed on another person's row, the audit chain verifies.
 */
import autocannon, { type Request } from 'autocannon';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { newStudents } from '../harness/applications.js';
import { signedIn, type Session } from '../harness/factories.js';
import { activeAgreement, newPartner, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';

const CONNECTIONS = 30;
/** The people the requests take turns to act as (several connections act as one person at a time). */
const PEOPLE = 10;
/** Whom a write was for: its answer must be about that person. */
interface Expected {
  id: string;
  who: number;
}
const SECONDS = 5;

/** What a run must show: every request answered 2xx, none failed or timed out. */
function expectClean(result: autocannon.Result): void {
  expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, resets: result.resets, mismatches: result.mismatches }).toEqual({
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    resets: 0,
    mismatches: 0,
  });
  expect(result['2xx']).toBeGreaterThan(CONNECTIONS);
  expect(Object.keys(result.statusCodeStats ?? {}).every((code) => code.startsWith('2'))).toBe(true);
}

describe('load smoke', () => {
  let t: TestApp;
  let admin: Session;
  let sending: Partner;
  let receiving: Partner;
  let students: Session[];
  let programIds: string[];

  beforeAll(async () => {
    // The app's only rate limits (sign-in throttling per address and per e-mail) set out of the way: this load is not about them.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '100000', LOGIN_MAX_PER_EMAIL: '10000', MAIL_POLL_MS: '600000', REMINDER_INTERVAL_SECONDS: '0', RETENTION_INTERVAL_SECONDS: '0' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    [sending, receiving] = await Promise.all([newPartner(t), newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' })]);
    const agreement = await activeAgreement(t, { partners: [sending, receiving], quotas: quotasBothWays([sending.institutionId, receiving.institutionId], 100) });
    const programs = [];
    for (let i = 0; i < 3; i += 1) {
      programs.push(await publishedProgram(t, sending.coordinator, agreement.id, sending.institutionId, receiving.institutionId, { seats: 10, requiredDocuments: [], requiresLearningAgreement: false }));
    }
    programIds = programs.map((p) => p.id as string).sort();
    students = await newStudents(t, sending.institutionId, PEOPLE);
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (sql: string, parameters: unknown[] = []) => ((await t.dataSource.query(sql, parameters)) as { n: number }[])[0].n;
  const auditEntries = () => count('SELECT count(*)::int AS n FROM audit.audit_log');

  /** The audit log once the requests still running when autocannon stopped have finished: unchanged for half a second. */
  async function settledAuditEntries(): Promise<number> {
    let last = await auditEntries();
    for (let quiet = 0; quiet < 5; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await auditEntries();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    return last;
  }

  it(`reads: GET /programs?open=true as ${PEOPLE} students, ${CONNECTIONS} connections for ${SECONDS} s: every answer 2xx and the same three programmes; nothing written`, async () => {
    const before = await auditEntries();
    const wrong: string[] = [];
    let turn = 0;
    const read: Request = {
      method: 'GET',
      path: '/api/v1/programs?open=true&limit=100',
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${students[turn++ % students.length].token}` } }),
      onResponse: (status, body) => {
        const ids = status === 200 ? (JSON.parse(body) as { items: { id: string }[] }).items.map((p) => p.id).sort() : [];
        if (ids.join() !== programIds.join()) wrong.push(`${status} ${body.slice(0, 200)}`);
      },
    };

    const result = await autocannon({ url: t.baseUrl, connections: CONNECTIONS, duration: SECONDS, requests: [read] });

    expectClean(result);
    expect(wrong).toEqual([]);
    expect(await settledAuditEntries()).toBe(before);
  });

  it(`writes: PATCH /me as ${PEOPLE} students, ${CONNECTIONS} connections for ${SECONDS} s: every answer 2xx about its caller, each change audited once, none on another person's row, the chain whole`, async () => {
    const ids = students.map((s) => s.user.id);
    const before = await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'user.edit' AND target_id = ANY($1::uuid[])", [ids]);
    const wrong: string[] = [];
    let sent = 0;
    const write: Request = {
      method: 'PATCH',
      path: '/api/v1/me',
      setupRequest: (request, context) => {
        const n = sent++;
        const who = n % students.length;
        const expected: Expected = { id: students[who].user.id, who };
        // The connection's context: one request at a time on a connection, so its answer finds it there.
        (context as { expected?: Expected }).expected = expected;
        return {
          ...request,
          headers: { ...request.headers, 'content-type': 'application/json', authorization: `Bearer ${students[who].token}` },
          body: JSON.stringify({ fullName: `Load ${n} of ${who}`, locale: n % 2 ? 'fr' : 'en' }),
        };
      },
      onResponse: (status, body, context) => {
        const answer = status === 200 ? (JSON.parse(body) as { id: string; fullName: string; locale: string }) : null;
        const expected = (context as { expected?: Expected }).expected;
        // Several connections write to one person at once, so the answer (the person as it stands after the write) may
        // carry a later write's values: always that person's, and a name and locale sent together.
        const written = answer && /^Load (\d+) of (\d+)$/.exec(answer.fullName);
        const consistent = written && Number(written[2]) === expected?.who && answer.locale === (Number(written[1]) % 2 ? 'fr' : 'en');
        if (!answer || !expected || answer.id !== expected.id || !consistent) wrong.push(`${status} ${body.slice(0, 200)}`);
      },
    };

    const result = await autocannon({ url: t.baseUrl, connections: CONNECTIONS, duration: SECONDS, requests: [write] });

    expectClean(result);
    expect(wrong).toEqual([]);
    await settledAuditEntries();
    // Each change answered is in the audit log once; those still on their way when the run stopped (one per connection at most) finished too.
    const audited = (await count("SELECT count(*)::int AS n FROM audit.audit_log WHERE action = 'user.edit' AND target_id = ANY($1::uuid[])", [ids])) - before;
    expect(audited).toBeGreaterThanOrEqual(result['2xx']);
    expect(audited).toBeLessThanOrEqual(result['2xx'] + CONNECTIONS);
    // Every person holds a name that was sent for them (never another's), in the locale sent with it.
    const rows = (await t.dataSource.query('SELECT id, full_name AS "fullName", locale FROM users WHERE id = ANY($1::uuid[])', [ids])) as { id: string; fullName: string; locale: string }[];
    for (const row of rows) {
      const match = /^Load (\d+) of (\d+)$/.exec(row.fullName);
      expect({ id: row.id, owner: match && ids[Number(match[2])], locale: match && (Number(match[1]) % 2 ? 'fr' : 'en') }).toEqual({ id: row.id, owner: row.id, locale: row.locale });
    }
    const verdict: ApiResponse = await t.api.get('/audit/verify', { token: admin.token });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ valid: true, firstBroken: null });
    expect(await count('SELECT count(*)::int - max(seq)::int AS n FROM audit.audit_log')).toBe(0);
  });
});
