import { Injectable } from '@nestjs/common';
import { Application } from '../applications/application.entity.js';
import { Program } from '../programs/program.entity.js';
import { RowLocks } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { User, type Role } from '../users/user.entity.js';
import { likeEscape } from './erasure.js';
import { ENDED } from './retention.rules.js';

type Row = Record<string, unknown>;

/** A person as erasure and export need them. */
export interface Person {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  institutionId: string | null;
  hostFamilyId: string | null;
  locale: User['locale'];
  erasedAt: Date | null;
}

/** Text columns that others write and that may name a person: scrubbed in the rows that concern them. */
export interface TextRow {
  id: string;
  [column: string]: unknown;
}

/** The end of an application: its last history entry, or its last change. */
const APPLICATION_END = `GREATEST(a.updated_at, COALESCE((SELECT max(h.created_at) FROM application_history h WHERE h.application_id = a.id), '-infinity'))`;

/**
 * The queries of privacy: what a person's export reads, and what their erasure and the
 * retention job change or delete. Everything runs in the caller's transaction
 * (`tx.manager` to read, `tx.required` to write); rows of the lifecycles' aggregates are
 * locked only through RowLocks, in its order.
 */
@Injectable()
export class PrivacyRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  private query<T = Row>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.tx.manager.query(sql, parameters) as Promise<T[]>;
  }

  /** A write in the open transaction; its RETURNING rows (TypeORM answers an UPDATE or DELETE as `[rows, count]`). */
  private async write<T = Row>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const result: unknown = await this.tx.required.query(sql, parameters);
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }

  // ---------------------------------------------------------------- people

  async person(id: string): Promise<Person | null> {
    const [row] = await this.query<Person>(
      `SELECT id, email, full_name AS "fullName", role, institution_id AS "institutionId", host_family_id AS "hostFamilyId", locale, erased_at AS "erasedAt"
         FROM users WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The person's row lock (first in the lock order), then the person as it stands. */
  async lockPerson(id: string): Promise<Person | null> {
    await this.locks.lock('user', User, id);
    return this.person(id);
  }

  /**
   * The programmes of the person's applications, each locked for sharing in ascending id
   * order: before the applications, as the lock order puts them. Erasing changes each
   * application twice in its transaction (withdrawn, then emptied), and the second change of
   * a row a transaction has already changed makes PostgreSQL check its foreign keys again:
   * a key-share lock on the programme. Taken there, after the application's, it waits on
   * an acceptance that holds the programme and waits on the application: a deadlock.
   */
  async lockProgramsOf(studentId: string): Promise<void> {
    const rows = await this.query<{ id: string }>('SELECT DISTINCT program_id AS id FROM applications WHERE student_id = $1', [studentId]);
    for (const id of rows.map((row) => row.id.toLowerCase()).sort()) await this.locks.lock('program', Program, id, 'share');
  }

  /** Each application's row lock, in ascending id order (the lock order), and its status as it stands under it. */
  async lockApplications(ids: readonly string[]): Promise<Application[]> {
    const locked: Application[] = [];
    for (const id of [...ids].sort()) {
      const application = await this.locks.lock('application', Application, id);
      if (application) locked.push(application);
    }
    return locked;
  }

  async applicationIdsOf(studentId: string): Promise<string[]> {
    const rows = await this.query<{ id: string }>('SELECT id FROM applications WHERE student_id = $1 ORDER BY id', [studentId]);
    return rows.map((row) => row.id);
  }

  /** Administrators other than this one whose accounts still work. */
  async otherActiveAdmins(id: string): Promise<number> {
    const [row] = await this.query<{ count: number }>("SELECT count(*)::int AS count FROM users WHERE role = 'admin' AND erased_at IS NULL AND id <> $1", [id]);
    return row.count;
  }

  /** Placement and checklist item ids of these applications: objects others' notifications are about. */
  async objectsOfApplications(applicationIds: readonly string[]): Promise<{ placementIds: string[]; checklistItemIds: string[] }> {
    if (!applicationIds.length) return { placementIds: [], checklistItemIds: [] };
    const placements = await this.query<{ id: string }>('SELECT id FROM placements WHERE application_id = ANY($1::uuid[]) ORDER BY id', [applicationIds]);
    const items = await this.query<{ id: string }>('SELECT id FROM checklist_items WHERE application_id = ANY($1::uuid[]) ORDER BY id', [applicationIds]);
    return { placementIds: placements.map((r) => r.id), checklistItemIds: items.map((r) => r.id) };
  }

  // ---------------------------------------------------------------- erasure of a person

  async anonymiseAccount(id: string, values: { email: string; fullName: string }): Promise<void> {
    await this.write(
      `UPDATE users SET email = $2, full_name = $3, password_hash = NULL, notification_preferences = '{}', erased_at = now(), updated_at = now() WHERE id = $1`,
      [id, values.email, values.fullName],
    );
  }

  /**
   * What the student gave in its applications, blanked; the rows stay with their status,
   * programme, institutions and dates (the statistics and the partners' records), and their
   * `updated_at` is left alone (it dates the application's end for the retention job).
   */
  async anonymiseApplications(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = await this.write(
      `UPDATE applications SET motivation = '', language_levels = '[]', date_of_birth = NULL, gender = NULL, matching_profile = NULL, travel = NULL, expected_arrival_at = NULL
        WHERE id = ANY($1::uuid[]) RETURNING id`,
      [ids],
    );
    return rows.length;
  }

  /** Documents rows of these applications deleted (their downloads with them); their files' storage keys, to delete after commit. */
  async deleteDocumentsOf(applicationIds: readonly string[]): Promise<string[]> {
    if (!applicationIds.length) return [];
    const rows = await this.write<{ storage_key: string }>('DELETE FROM documents WHERE application_id = ANY($1::uuid[]) RETURNING storage_key', [applicationIds]);
    return rows.map((row) => row.storage_key);
  }

  /**
   * The person's own things that serve no one once the account is gone: messages, invitation
   * codes, mails to their address. (The reminders given stay: ids only, they keep anyone
   * from being reminded twice.)
   */
  async deleteOwnTraces(person: Pick<Person, 'id' | 'email'>): Promise<{ notifications: number; mails: number }> {
    const notifications = await this.write('DELETE FROM notifications WHERE user_id = $1 RETURNING id', [person.id]);
    await this.write('DELETE FROM password_tokens WHERE user_id = $1', [person.id]);
    // Addresses of accounts are stored lower-cased, and mails are queued to them as stored.
    const mails = await this.write('DELETE FROM mail_jobs WHERE to_address = $1 RETURNING id', [person.email]);
    return { notifications: notifications.length, mails: mails.length };
  }

  /**
   * Cached answers that may repeat the person's data: the person's own (their scope), and
   * anyone's whose body holds one of the patterns (an answer naming them). A cache entry
   * lost only means that a retry is not replayed.
   */
  async deleteIdempotencyRecords(scope: string | null, patterns: readonly string[]): Promise<number> {
    if (!scope && !patterns.length) return 0;
    const rows = await this.write(
      `DELETE FROM idempotency_records WHERE scope = $1 OR (cardinality($2::text[]) > 0 AND response_body::text ILIKE ANY($2::text[])) RETURNING id`,
      [scope, patterns],
    );
    return rows.length;
  }

  /**
   * The audit log's comments about these objects (or written by `actorId`) that name the
   * person: erased (set to null, the one change the audit log lets through; the chain keeps
   * their digest). The rest of each entry stays.
   */
  async eraseAuditComments(targetIds: readonly string[], needles: readonly string[], actorId?: string): Promise<void> {
    if (!needles.length || (!targetIds.length && !actorId)) return;
    const patterns = needles.map((needle) => `%${likeEscape(needle)}%`);
    await this.write(
      `UPDATE audit.audit_log SET comment = NULL
        WHERE (target_id = ANY($1::uuid[]) OR actor_id = $2::uuid) AND comment ILIKE ANY($3::text[])`,
      [targetIds, actorId ?? null, patterns],
    );
  }

  /** The addresses the person acted from, in the audit log's entries of its acts (erased: the chain keeps their digest). */
  async eraseAuditAddresses(actorId: string): Promise<void> {
    await this.write('UPDATE audit.audit_log SET client_address = NULL WHERE actor_id = $1 AND client_address IS NOT NULL', [actorId]);
  }

  /** The person's portal sessions (their refresh-token families are revoked too). */
  async deleteWebSessions(userId: string): Promise<void> {
    await this.write('DELETE FROM web_sessions WHERE user_id = $1', [userId]);
  }

  /** The person's calendar subscription link. */
  async deleteCalendarFeeds(userId: string): Promise<void> {
    await this.write('DELETE FROM calendar_feed_tokens WHERE user_id = $1', [userId]);
  }

  /** Sign-in throttling counters of the person's e-mail (`login:email:<e-mail>`, as AuthService keys them): that key exactly, no other account's. */
  async deleteRateLimitBuckets(email: string): Promise<void> {
    await this.write('DELETE FROM rate_limit_buckets WHERE key = $1', [`login:email:${email}`]);
  }

  // ---------------------------------------------------------------- texts others wrote

  historyOf(applicationIds: readonly string[]): Promise<TextRow[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.query('SELECT id, action, comment, reason, details FROM application_history WHERE application_id = ANY($1::uuid[]) ORDER BY seq', [applicationIds]);
  }

  /** The history entries (of any application) about these placements. */
  historyOfPlacements(placementIds: readonly string[]): Promise<TextRow[]> {
    if (!placementIds.length) return Promise.resolve([]);
    return this.query(`SELECT id, action, comment, reason, details FROM application_history WHERE details->>'placementId' = ANY($1::text[]) ORDER BY seq`, [placementIds]);
  }

  async updateHistory(id: string, values: { comment: string | null; reason: string | null; details: unknown }): Promise<void> {
    await this.write('UPDATE application_history SET comment = $2, reason = $3, details = $4 WHERE id = $1', [id, values.comment, values.reason, values.details === null ? null : JSON.stringify(values.details)]);
  }

  placementReasons(where: { applicationIds?: readonly string[]; hostFamilyId?: string }): Promise<TextRow[]> {
    if (where.hostFamilyId) return this.query('SELECT id, reason FROM placements WHERE host_family_id = $1 AND reason IS NOT NULL', [where.hostFamilyId]);
    if (!where.applicationIds?.length) return Promise.resolve([]);
    return this.query('SELECT id, reason FROM placements WHERE application_id = ANY($1::uuid[]) AND reason IS NOT NULL', [where.applicationIds]);
  }

  async updatePlacementReason(id: string, reason: string): Promise<void> {
    await this.write('UPDATE placements SET reason = $2 WHERE id = $1', [id, reason]);
  }

  checklistNotes(where: { applicationIds?: readonly string[]; hostFamilyId?: string }): Promise<TextRow[]> {
    if (where.hostFamilyId) return this.query('SELECT id, note FROM checklist_items WHERE host_family_id = $1 AND note IS NOT NULL', [where.hostFamilyId]);
    if (!where.applicationIds?.length) return Promise.resolve([]);
    return this.query('SELECT id, note FROM checklist_items WHERE application_id = ANY($1::uuid[]) AND note IS NOT NULL', [where.applicationIds]);
  }

  async updateChecklistNote(id: string, note: string): Promise<void> {
    await this.write('UPDATE checklist_items SET note = $2 WHERE id = $1', [id, note]);
  }

  /** Everyone's in-app messages about these objects (an application, its placement, a checklist item, a family). */
  notificationsAbout(objectIds: readonly string[]): Promise<TextRow[]> {
    if (!objectIds.length) return Promise.resolve([]);
    return this.query('SELECT id, params FROM notifications WHERE object_id = ANY($1::uuid[])', [objectIds]);
  }

  async updateNotificationParams(id: string, params: unknown): Promise<void> {
    await this.write('UPDATE notifications SET params = $2 WHERE id = $1', [id, JSON.stringify(params)]);
  }

  /** The mails that double these notifications (queued, being sent, or kept after sending with their subject). */
  mailsOfNotifications(notificationIds: readonly string[]): Promise<TextRow[]> {
    if (!notificationIds.length) return Promise.resolve([]);
    return this.query('SELECT id, subject, text, html, last_error AS "lastError" FROM mail_jobs WHERE notification_id = ANY($1::uuid[])', [notificationIds]);
  }

  async updateMail(id: string, values: { subject: string; text: string | null; html: string | null; lastError: string | null }): Promise<void> {
    await this.write('UPDATE mail_jobs SET subject = $2, text = $3, html = $4, last_error = $5 WHERE id = $1', [id, values.subject, values.text, values.html, values.lastError]);
  }

  // ---------------------------------------------------------------- host families

  /** The accounts that act for the family. */
  async familyUserIds(hostFamilyId: string): Promise<string[]> {
    const rows = await this.query<{ id: string }>('SELECT id FROM users WHERE host_family_id = $1 ORDER BY id', [hostFamilyId]);
    return rows.map((row) => row.id);
  }

  async livePlacementsOf(hostFamilyId: string): Promise<number> {
    const [row] = await this.query<{ count: number }>("SELECT count(*)::int AS count FROM placements WHERE host_family_id = $1 AND status IN ('proposed', 'accepted')", [hostFamilyId]);
    return row.count;
  }

  async placementIdsOfFamily(hostFamilyId: string): Promise<string[]> {
    const rows = await this.query<{ id: string }>('SELECT id FROM placements WHERE host_family_id = $1 ORDER BY id', [hostFamilyId]);
    return rows.map((row) => row.id);
  }

  /** The family's name, contact, street and vetting notes replaced; what matching and the statistics read (beds, languages, city, country…) stays. */
  async anonymiseFamily(id: string, values: { displayName: string; contactEmail: string; suspensionReason: string | null }): Promise<void> {
    await this.write(
      `UPDATE host_families SET display_name = $2, contact_email = $3, contact_phone = '', suspension_reason = $4,
              address = jsonb_build_object('line1', '', 'city', address->>'city', 'postalCode', '', 'country', address->>'country'), updated_at = now()
        WHERE id = $1`,
      [id, values.displayName, values.contactEmail, values.suspensionReason],
    );
    await this.write(`UPDATE host_family_vettings SET notes = '' WHERE host_family_id = $1`, [id]);
  }

  // ---------------------------------------------------------------- retention

  /**
   * Students to anonymise: not yet erased; no application that is still open or ended
   * since the cutoff; and no sign-in, renewal or change of the account since then either
   * (a student who never applied counts from its last use).
   */
  async studentsPastRetention(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.query<{ id: string }>(
      `SELECT u.id FROM users u
        WHERE u.role = 'student' AND u.erased_at IS NULL
          AND GREATEST(u.created_at, u.updated_at, COALESCE((SELECT max(r.created_at) FROM refresh_tokens r WHERE r.user_id = u.id), '-infinity')) < $1
          AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.student_id = u.id AND (a.status <> ALL($2::application_status[]) OR ${APPLICATION_END} >= $1))
        ORDER BY u.id LIMIT $3`,
      [cutoff.toISOString(), ENDED, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Contact data of families unused since the cutoff: created, changed and vetted before
   * it, and no placement of theirs ending on or after it (none live). Their contact e-mail
   * (as `erasedAddress()` writes it), phone and street are replaced in one statement; the
   * rest of the record stays.
   */
  async eraseContactsOfUnusedFamilies(cutoff: Date): Promise<string[]> {
    const rows = await this.write<{ id: string }>(
      `UPDATE host_families f
          SET contact_email = 'erased-' || f.id::text || '@invalid', contact_phone = '',
              address = jsonb_build_object('line1', '', 'city', f.address->>'city', 'postalCode', '', 'country', f.address->>'country')
        WHERE f.contact_email NOT LIKE 'erased-%@invalid'
          AND f.created_at < $1 AND f.updated_at < $1
          AND NOT EXISTS (SELECT 1 FROM host_family_vettings v WHERE v.host_family_id = f.id AND v.recorded_at >= $1)
          AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.host_family_id = f.id AND (p.status IN ('proposed', 'accepted') OR COALESCE(p.ended_on, p.ends_on) >= ($1::timestamptz AT TIME ZONE 'UTC')::date))
        RETURNING f.id`,
      [cutoff.toISOString()],
    );
    return rows.map((row) => row.id).sort();
  }

  /** Documents of rejected or withdrawn applications that ended before the cutoff: rows deleted, storage keys returned. */
  async deleteExpiredDocuments(cutoff: Date, statuses: readonly string[]): Promise<{ applicationId: string; storageKey: string }[]> {
    return this.write(
      `DELETE FROM documents d USING applications a
        WHERE a.id = d.application_id AND a.status = ANY($2::application_status[]) AND ${APPLICATION_END} < $1
        RETURNING d.application_id AS "applicationId", d.storage_key AS "storageKey"`,
      [cutoff.toISOString(), statuses],
    );
  }

  /** Which of these storage keys still have a document row. */
  async storedKeys(keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.query<{ storage_key: string }>('SELECT storage_key FROM documents WHERE storage_key = ANY($1::uuid[])', [keys]);
    return new Set(rows.map((row) => row.storage_key));
  }
}
