/**
 * The audit log against a real PostgreSQL: the application's own database role can neither
 * change, delete nor truncate an entry; a superuser who goes around the trigger is caught
 * by `GET /audit/verify`, which names the entry changed, removed or inserted; fifty changes
 * at once make one unbroken chain; and an entry commits with its change or not at all.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { entryHash, GENESIS_HASH, type ChainContent } from '../../src/audit/audit-chain.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { ApplicationHooks } from '../../src/applications/application.hooks.js';
import { TransactionHost } from '../../src/common/transactions/transaction-host.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { draftApplication, newStudents, nominatedApplication, transition } from '../harness/applications.js';
import { superuserUrlOf } from '../harness/database.js';
import { login, newUser, signedIn, type Session } from '../harness/factories.js';
import { activeAgreement, newPartner, newProgram, publishedProgram, quotasBothWays, type Partner } from '../harness/partnerships.js';

interface Row {
  id: string;
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  institution_ids: string[];
  from_status: string | null;
  to_status: string | null;
  comment: string | null;
  details: Record<string, unknown> | null;
  request_id: string | null;
  client_address: string | null;
  prev_hash: string;
  hash: string;
}

/** The table as PostgreSQL holds it, in chain order. */
async function rowsOf(client: { query: (sql: string) => Promise<unknown> }): Promise<Row[]> {
  const result = (await client.query('SELECT * FROM audit.audit_log ORDER BY seq')) as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

/** A client connected to the test's database as the superuser. */
async function superuserOf(t: TestApp): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: superuserUrlOf(t.settings.databaseUrl!) });
  await client.connect();
  return client;
}

/** What entries a plain working day leaves: an agreement proposed and approved by both sides, two programmes published. */
async function someHistory(t: TestApp): Promise<{ a: Partner; b: Partner; agreementId: string }> {
  const [a, b] = await Promise.all([newPartner(t), newPartner(t)]);
  const agreement = await activeAgreement(t, { partners: [a, b] });
  await publishedProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId);
  await publishedProgram(t, b.coordinator, agreement.id, b.institutionId, a.institutionId);
  return { a, b, agreementId: agreement.id };
}

describe('the audit log in PostgreSQL', () => {
  describe('append-only', () => {
    let t: TestApp;
    let app: pg.Client;
    let su: pg.Client;

    beforeAll(async () => {
      t = await startTestApp();
      await someHistory(t);
      // the application's own connection URL: the role every request works as
      app = new pg.Client({ connectionString: t.settings.databaseUrl! });
      await app.connect();
      su = await superuserOf(t);
    });
    afterAll(async () => {
      await app?.end();
      await su?.end();
      await t?.close();
    });

    it('the application works as a role that is not a superuser and holds no UPDATE, DELETE or TRUNCATE on the log', async () => {
      const { rows } = await app.query<Record<string, boolean | string>>(`
        SELECT current_user AS who,
               (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
               has_table_privilege('exchange_app', 'audit.audit_log', 'UPDATE') AS "update",
               has_table_privilege('exchange_app', 'audit.audit_log', 'DELETE') AS "delete",
               has_table_privilege('exchange_app', 'audit.audit_log', 'TRUNCATE') AS "truncate",
               has_table_privilege('exchange_app', 'audit.audit_log', 'INSERT') AS "insert",
               has_table_privilege('exchange_app', 'audit.audit_log', 'SELECT') AS "select",
               has_table_privilege('exchange_app', 'audit.audit_chain', 'DELETE') AS chain_delete`);
      expect(rows[0]).toEqual({ who: 'exchange_app', superuser: false, update: false, delete: false, truncate: false, insert: true, select: true, chain_delete: false });
    });

    it('the application’s role owns neither the log nor its schema: it can neither grant itself a privilege, nor drop or disable the trigger, nor drop the table', async () => {
      const { rows } = await app.query<{ log: string; chain: string }>(
        "SELECT pg_get_userbyid(relowner) AS log, (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audit.audit_chain'::regclass) AS chain, (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'audit') AS schema FROM pg_class WHERE oid = 'audit.audit_log'::regclass",
      );
      expect(rows[0]).toEqual({ log: 'exchange_audit_owner', chain: 'exchange_audit_owner', schema: 'exchange_audit_owner' });
      const before = await rowsOf(app);
      // A GRANT by a role without the grant option grants nothing (PostgreSQL only warns).
      await app.query('GRANT UPDATE, DELETE ON audit.audit_log TO exchange_app');
      const granted = await app.query<{ update: boolean }>("SELECT has_table_privilege('exchange_app', 'audit.audit_log', 'UPDATE') AS update");
      expect(granted.rows[0].update).toBe(false);
      for (const sql of [
        'ALTER TABLE audit.audit_log DISABLE TRIGGER USER',
        'DROP TRIGGER audit_log_no_change ON audit.audit_log',
        'ALTER TABLE audit.audit_log OWNER TO exchange_app',
        'DROP TABLE audit.audit_log',
        'DROP SCHEMA audit CASCADE',
        'ALTER TABLE audit.audit_log RENAME TO old_log',
        'CREATE OR REPLACE FUNCTION audit.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      ]) {
        await expect(app.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/^42501$|^0LP01$/) });
      }
      expect(await rowsOf(app)).toEqual(before);
    });

    it('refuses UPDATE, DELETE and TRUNCATE from the application’s role, and the rows stay as they were', async () => {
      const before = await rowsOf(app);
      expect(before.length).toBeGreaterThanOrEqual(4);
      const middle = before[Math.floor(before.length / 2)];
      const attempts = [
        `UPDATE audit.audit_log SET comment = 'nothing to see' WHERE id = '${middle.id}'`,
        `UPDATE audit.audit_log SET to_status = 'rejected'`,
        `DELETE FROM audit.audit_log WHERE id = '${middle.id}'`,
        'DELETE FROM audit.audit_log',
        'TRUNCATE audit.audit_log',
        'DELETE FROM audit.audit_chain',
      ];
      for (const sql of attempts) {
        // refused by the privileges, or (a comment changed) by the trigger
        await expect(app.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied|append-only/) });
      }
      expect(await rowsOf(app)).toEqual(before);
    });

    it('lets the application erase a comment (set it to null), nothing else, and the chain still verifies', async () => {
      const targetId = randomUUID();
      await t.app.get(AuditLog).record({ action: 'application.reject', targetType: 'application', targetId, comment: 'Anna Example has no B1 certificate' });
      const [withComment] = (await rowsOf(app)).filter((row) => row.target_id === targetId);
      expect(withComment.comment).toBe('Anna Example has no B1 certificate');
      await expect(app.query(`UPDATE audit.audit_log SET comment = 'rewritten' WHERE id = $1`, [withComment.id])).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`UPDATE audit.audit_log SET comment = NULL, to_status = 'x' WHERE id = $1`, [withComment.id])).rejects.toMatchObject({ code: '42501' });
      await app.query('UPDATE audit.audit_log SET comment = NULL WHERE id = $1', [withComment.id]);
      const [after] = (await rowsOf(app)).filter((row) => row.id === withComment.id);
      expect(after).toEqual({ ...withComment, comment: null });
      // The client address likewise (erased with the person who acted), and nothing but null.
      await expect(app.query(`UPDATE audit.audit_log SET client_address = '10.9.9.9' WHERE id = $1`, [withComment.id])).rejects.toMatchObject({ code: '42501' });
      await app.query('UPDATE audit.audit_log SET client_address = NULL WHERE client_address IS NOT NULL');
      const verdict = await t.api.get('/audit/verify', { token: (await login(t.api, await newUser(t.dataSource, { role: 'admin', institutionId: null }))).token });
      expect(verdict.body).toMatchObject({ valid: true });
      const listed = await t.api.get('/audit', { token: (await login(t.api, await newUser(t.dataSource, { role: 'admin', institutionId: null }))).token, query: { targetId } });
      expect(listed.body.items.find((item: { id: string }) => item.id === withComment.id)).toMatchObject({ comment: null, commentErased: true });
    });

    it('refuses them even from a superuser while the trigger stands', async () => {
      const before = await rowsOf(su);
      const middle = before[Math.floor(before.length / 2)];
      for (const [sql, op] of [
        [`UPDATE audit.audit_log SET comment = 'nothing to see' WHERE id = '${middle.id}'`, 'UPDATE'],
        [`DELETE FROM audit.audit_log WHERE id = '${middle.id}'`, 'DELETE'],
        ['TRUNCATE audit.audit_log', 'TRUNCATE'],
        ['DELETE FROM audit.audit_chain', 'DELETE'],
        ['TRUNCATE audit.audit_chain', 'TRUNCATE'],
      ]) {
        await expect(su.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringContaining(`the audit log is append-only: ${op}`) });
      }
      expect(await rowsOf(su)).toEqual(before);
    });
  });

  describe('GET /audit/verify after tampering behind the application', () => {
    let t: TestApp;
    let su: pg.Client;
    let admin: Session;
    let history: Awaited<ReturnType<typeof someHistory>>;

    /** A fresh database with some history and a signed-in admin. */
    beforeEach(async () => {
      t = await startTestApp();
      history = await someHistory(t);
      admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
      su = await superuserOf(t);
    });
    afterEach(async () => {
      await su?.end();
      await t?.close();
    });

    const verify = async () => {
      const response = await t.api.get('/audit/verify', { token: admin.token });
      expect(response.status).toBe(200);
      return response.body;
    };

    it('finds an untouched chain valid, every entry checked, and records that it checked', async () => {
      const rows = await rowsOf(su);
      const verdict = await verify();
      expect(verdict).toEqual({
        valid: true,
        checked: rows.length,
        head: { seq: String(rows.length), hash: rows[rows.length - 1].hash },
        firstBroken: null,
        verifiedAt: expect.any(String),
      });
      const after = await rowsOf(su);
      expect(after.slice(0, rows.length)).toEqual(rows);
      expect(after.slice(rows.length)).toEqual([
        expect.objectContaining({ action: 'audit.verify', actor_id: admin.user.id, actor_role: 'admin', details: { valid: true, checked: rows.length }, seq: String(rows.length + 1) }),
      ]);
      // and the check itself is part of the chain that the next check finds intact
      expect(await verify()).toMatchObject({ valid: true, checked: rows.length + 1 });
    });

    it('names an entry whose status was changed with the trigger disabled', async () => {
      const rows = await rowsOf(su);
      const target = rows.filter((row) => row.to_status !== null)[1];
      await su.query('ALTER TABLE audit.audit_log DISABLE TRIGGER USER');
      await su.query(`UPDATE audit.audit_log SET to_status = 'terminated' WHERE id = $1`, [target.id]);
      await su.query('ALTER TABLE audit.audit_log ENABLE TRIGGER USER');
      const verdict = await verify();
      expect(verdict).toMatchObject({ valid: false, checked: Number(target.seq) - 1, firstBroken: { id: target.id, seq: target.seq, reason: 'changed' } });
    });

    it('names an entry whose comment was changed under replication mode', async () => {
      const rows = await rowsOf(su);
      const target = rows[Math.floor(rows.length / 2)];
      await su.query("SET session_replication_role = 'replica'");
      await su.query(`UPDATE audit.audit_log SET comment = 'approved over the phone' WHERE id = $1`, [target.id]);
      await su.query("SET session_replication_role = 'origin'");
      expect(await verify()).toMatchObject({ valid: false, checked: Number(target.seq) - 1, firstBroken: { id: target.id, seq: target.seq, reason: 'changed' } });
    });

    it('names the entry after a deleted middle entry, with the seq that is missing', async () => {
      const rows = await rowsOf(su);
      const index = Math.floor(rows.length / 2);
      const [removed, next] = [rows[index], rows[index + 1]];
      await su.query('ALTER TABLE audit.audit_log DISABLE TRIGGER USER');
      await su.query('DELETE FROM audit.audit_log WHERE id = $1', [removed.id]);
      await su.query('ALTER TABLE audit.audit_log ENABLE TRIGGER USER');
      expect(await verify()).toMatchObject({ valid: false, checked: index, firstBroken: { id: next.id, seq: next.seq, reason: 'removed', expectedSeq: removed.seq } });
    });

    it('notices the last entries deleted, even with the trigger out of the way', async () => {
      const rows = await rowsOf(su);
      const last = rows[rows.length - 1];
      await su.query('ALTER TABLE audit.audit_log DISABLE TRIGGER USER');
      await su.query('DELETE FROM audit.audit_log WHERE id = $1', [last.id]);
      await su.query('ALTER TABLE audit.audit_log ENABLE TRIGGER USER');
      expect(await verify()).toMatchObject({ valid: false, checked: rows.length - 1, firstBroken: { id: null, seq: last.seq, reason: 'tail_removed' } });
    });

    it('names an entry inserted with a plausible hash at the head’s next seq, and no change commits unrecorded after it', async () => {
      const draft = await newProgram(t, history.a.coordinator, history.agreementId, history.a.institutionId, history.b.institutionId);
      const rows = await rowsOf(su);
      const last = rows[rows.length - 1];
      const forged: ChainContent = {
        seq: String(Number(last.seq) + 1),
        id: randomUUID(),
        at: new Date(),
        actorId: admin.user.id,
        actorRole: 'admin',
        action: 'application.accept',
        targetType: 'application',
        targetId: randomUUID(),
        institutionIds: last.institution_ids,
        fromStatus: 'nominated',
        toStatus: 'accepted',
        comment: null,
        commentSha256: null,
        details: null,
        clientAddressSha256: null,
        requestId: randomUUID(),
        clientAddress: '127.0.0.1',
      };
      const hash = entryHash(last.hash, forged);
      // INSERT needs no trigger disabled: the log refuses changes, not additions; the chain's head is what tells
      await su.query(
        `INSERT INTO audit.audit_log (id, seq, at, actor_id, actor_role, action, target_type, target_id, institution_ids, from_status, to_status, comment, details, request_id, client_address, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [forged.id, forged.seq, forged.at, forged.actorId, forged.actorRole, forged.action, forged.targetType, forged.targetId, forged.institutionIds, forged.fromStatus, forged.toStatus, forged.comment, forged.details, forged.requestId, forged.clientAddress, last.hash, hash],
      );
      const verdict = await verify();
      expect(verdict).toMatchObject({ valid: false, checked: rows.length, head: { seq: last.seq, hash: last.hash }, firstBroken: { id: forged.id, seq: forged.seq, reason: 'inserted' } });
      // asked again, the same answer (the check goes on answering though its own record cannot be appended)
      expect(await verify()).toMatchObject({ valid: false, firstBroken: { id: forged.id, reason: 'inserted' } });

      // and no change is committed without its entry: the seq it would take is taken, so the change is refused whole
      const publish = await t.api.post(`/programs/${draft.id}/publish`, {}, { token: history.a.coordinator.token });
      expect(publish.status).toBe(409);
      const [row] = (await su.query('SELECT status FROM programs WHERE id = $1', [draft.id])).rows;
      expect(row.status).toBe('draft');
      expect((await rowsOf(su)).length).toBe(rows.length + 1);
    });
  });

  describe('under concurrency', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('fifty applications submitted at once make one chain: seq 1..N without gaps, each entry pointing to the one before, verified valid', async () => {
      const [a, b] = await Promise.all([newPartner(t), newPartner(t)]);
      const agreement = await activeAgreement(t, { partners: [a, b], quotas: quotasBothWays([a.institutionId, b.institutionId], 100) });
      const program = await publishedProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId, { seats: 60, requiredDocuments: [], requiresLearningAgreement: false });
      const students = await newStudents(t, a.institutionId, 50);
      const drafts = await Promise.all(students.map((student) => draftApplication(t, student, program.id)));

      const answers = await Promise.all(drafts.map((draft, i) => t.api.post(`/applications/${draft.id}/submit`, {}, { token: students[i].token })));
      expect(answers.map((answer) => answer.status)).toEqual(drafts.map(() => 200));

      const rows = await rowsOf(t.dataSource);
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => String(i + 1)));
      rows.forEach((row, i) => expect({ seq: row.seq, prev: row.prev_hash }).toEqual({ seq: row.seq, prev: i === 0 ? GENESIS_HASH : rows[i - 1].hash }));
      const [head] = await t.dataSource.query('SELECT seq, hash FROM audit.audit_chain');
      expect(head).toEqual({ seq: String(rows.length), hash: rows[rows.length - 1].hash });
      // each submission recorded exactly once
      const submits = rows.filter((row) => row.action === 'application.submit').map((row) => row.target_id);
      expect([...submits].sort()).toEqual(drafts.map((draft) => draft.id).sort());

      const admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
      const verdict = await t.api.get('/audit/verify', { token: admin.token });
      expect(verdict.body).toMatchObject({ valid: true, firstBroken: null });
      expect(verdict.body.checked).toBeGreaterThanOrEqual(rows.length);
    });
  });

  describe('an entry and its change commit together', () => {
    let t: TestApp;
    let a: Partner;
    let b: Partner;
    let agreementId: string;

    const entriesAbout = async (targetId: string) => (await t.dataSource.query('SELECT * FROM audit.audit_log WHERE target_id = $1 ORDER BY seq', [targetId])) as Row[];

    beforeAll(async () => {
      t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
      [a, b] = await Promise.all([newPartner(t), newPartner(t)]);
      agreementId = (await activeAgreement(t, { partners: [a, b] })).id;
    });
    afterAll(async () => {
      await t?.close();
    });

    it('a successful transition leaves exactly one entry: statuses, actor, role, request id, client address, both institutions', async () => {
      const program = await publishedProgram(t, a.coordinator, agreementId, a.institutionId, b.institutionId, { seats: 2, requiredDocuments: [], requiresLearningAgreement: false });
      const [student] = await newStudents(t, a.institutionId, 1);
      const application = await nominatedApplication(t, student, program, { sending: a.coordinator, receiving: b.coordinator });
      const started = Date.now();
      const response = await t.api.post(`/applications/${application.id}/accept`, { comment: 'Welcome aboard' }, { token: b.coordinator.token });
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toBeTruthy();

      const accepts = (await entriesAbout(application.id)).filter((row) => row.action === 'application.accept');
      expect(accepts).toEqual([
        expect.objectContaining({
          target_type: 'application',
          from_status: 'nominated',
          to_status: 'accepted',
          actor_id: b.coordinator.user.id,
          actor_role: 'coordinator',
          comment: 'Welcome aboard',
          request_id: requestId,
          client_address: '127.0.0.1',
          details: expect.objectContaining({ programId: program.id }),
        }),
      ]);
      expect([...accepts[0].institution_ids].sort()).toEqual([a.institutionId, b.institutionId].sort());
      expect(accepts[0].at.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(accepts[0].at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

      // a request id the client chose is the one recorded; an address it claims (no proxy trusted) is not
      const chosen = `trace-${randomUUID()}`;
      const cancelled = await t.api.post(
        `/applications/${application.id}/cancel`,
        { reason: 'Programme merged' },
        { token: b.coordinator.token, headers: { 'x-request-id': chosen, 'x-forwarded-for': '203.0.113.9' } },
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.headers.get('x-request-id')).toBe(chosen);
      expect((await entriesAbout(application.id)).filter((row) => row.action === 'application.cancel')).toEqual([
        expect.objectContaining({ request_id: chosen, client_address: '127.0.0.1', from_status: 'accepted', to_status: 'cancelled', comment: 'Programme merged' }),
      ]);
    });

    it('an accept refused with 409 program.seats_exhausted leaves no entry, not even a refusal, and changes nothing', async () => {
      const program = await publishedProgram(t, a.coordinator, agreementId, a.institutionId, b.institutionId, { seats: 1, requiredDocuments: [], requiresLearningAgreement: false });
      const [first, second] = await newStudents(t, a.institutionId, 2);
      const sides = { sending: a.coordinator, receiving: b.coordinator };
      const taken = await nominatedApplication(t, first, program, sides);
      const late = await nominatedApplication(t, second, program, sides);
      await transition(t, b.coordinator, taken.id, 'accept');

      const before = await entriesAbout(late.id);
      const [rowBefore] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [late.id]);
      const [{ count: countBefore }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit.audit_log');
      const response = await t.api.post(`/applications/${late.id}/accept`, {}, { token: b.coordinator.token });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('program.seats_exhausted');

      expect(await entriesAbout(late.id)).toEqual(before);
      expect(before.map((row) => row.action)).toEqual(['application.create', 'application.submit', 'application.nominate']);
      const [{ count: countAfter }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit.audit_log');
      expect(countAfter).toBe(countBefore);
      const [rowAfter] = await t.dataSource.query('SELECT * FROM applications WHERE id = $1', [late.id]);
      expect(rowAfter).toEqual(rowBefore);
    });

    it('a transition that fails after its entry was written (a step at the very end of its transaction throws) leaves neither', async () => {
      const program = await publishedProgram(t, a.coordinator, agreementId, a.institutionId, b.institutionId, { seats: 5, requiredDocuments: [], requiresLearningAgreement: false });
      const [student] = await newStudents(t, a.institutionId, 1);
      const application = await nominatedApplication(t, student, program, { sending: a.coordinator, receiving: b.coordinator });
      // A handler registered after the audit's own: the entry is queued by then, and the step
      // it adds runs after the entry's append, just before the commit, and fails.
      const tx = t.app.get(TransactionHost);
      let seenInside: { action: string; to_status: string }[] = [];
      t.app.get(ApplicationHooks).onTransition('waitlist', 'test.fails-last', ({ application: current }) => {
        if (current.id !== application.id) return;
        tx.beforeCommit('test.fails-last', async () => {
          seenInside = await tx.required.query('SELECT action, to_status FROM audit.audit_log WHERE target_id = $1 AND action = $2', [application.id, 'application.waitlist']);
          throw new Error('the last step of the transaction failed');
        });
      });

      const before = await entriesAbout(application.id);
      const [{ count: countBefore }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit.audit_log');
      const response = await t.api.post(`/applications/${application.id}/waitlist`, {}, { token: b.coordinator.token });
      expect(response.status).toBe(500);
      expect(seenInside).toEqual([{ action: 'application.waitlist', to_status: 'waitlisted' }]);
      expect(await entriesAbout(application.id)).toEqual(before);
      const [{ count: countAfter }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit.audit_log');
      expect(countAfter).toBe(countBefore);
      const [row] = await t.dataSource.query('SELECT status FROM applications WHERE id = $1', [application.id]);
      expect(row.status).toBe('nominated');
      // the chain is whole and the next change takes the next seq
      const [{ seq: headBefore }] = await t.dataSource.query('SELECT seq FROM audit.audit_chain');
      await transition(t, b.coordinator, application.id, 'accept');
      const accepted = (await entriesAbout(application.id)).filter((entry) => entry.action === 'application.accept');
      expect(accepted.map((entry) => entry.seq)).toEqual([String(Number(headBefore) + 1)]);
    });
  });
});
