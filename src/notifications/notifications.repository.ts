import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { paginate, type Page, type PageQuery } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { Locale } from '../users/user.entity.js';
import { Notification, type NotificationKind } from './notification.entity.js';

/** What a notification needs of the one told: where to mail it, in which language, and whether they want the mail. */
export interface Recipient {
  id: string;
  email: string;
  fullName: string;
  locale: Locale;
  preferences: Record<string, { email?: boolean }>;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Erased accounts (src/privacy/) are told nothing: no one reads them, and their address is not deliverable. */
  async recipients(ids: readonly string[]): Promise<Recipient[]> {
    if (!ids.length) return [];
    const rows: { id: string; email: string; full_name: string; locale: Locale; notification_preferences: Recipient['preferences'] | null }[] = await this.tx.manager.query(
      'SELECT id, email, full_name, locale, notification_preferences FROM users WHERE id = ANY($1::uuid[]) AND erased_at IS NULL ORDER BY id',
      [ids],
    );
    return rows.map((row) => ({ id: row.id, email: row.email, fullName: row.full_name, locale: row.locale, preferences: row.notification_preferences ?? {} }));
  }

  /** Users of these roles at these institutions (e.g. the coordinators of both sides). */
  async staffOf(role: 'coordinator' | 'host_school', institutionIds: readonly (string | null | undefined)[]): Promise<string[]> {
    const ids = institutionIds.filter((id): id is string => typeof id === 'string');
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.tx.manager.query('SELECT id FROM users WHERE role = $1 AND institution_id = ANY($2::uuid[])', [role, ids]);
    return rows.map((row) => row.id);
  }

  /** The users who act for a host family. */
  async familyUsers(hostFamilyIds: readonly (string | null | undefined)[]): Promise<string[]> {
    const ids = hostFamilyIds.filter((id): id is string => typeof id === 'string');
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.tx.manager.query("SELECT id FROM users WHERE role = 'host_family' AND host_family_id = ANY($1::uuid[])", [ids]);
    return rows.map((row) => row.id);
  }

  async userName(id: string): Promise<string | null> {
    const [row] = (await this.tx.manager.query('SELECT full_name FROM users WHERE id = $1', [id])) as { full_name: string }[];
    return row?.full_name ?? null;
  }

  async institutionNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.tx.manager.query('SELECT id, name FROM institutions WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** A placement with what its notifications name: the student, the programme, the family, the receiving institution. */
  async placementFacts(placementId: string): Promise<
    | {
        id: string;
        applicationId: string;
        hostFamilyId: string;
        studentId: string;
        receivingInstitutionId: string;
        startsOn: string;
        endsOn: string;
        studentName: string;
        programTitle: string;
        familyName: string;
        receivingInstitution: string;
      }
    | undefined
  > {
    const [row] = (await this.tx.manager.query(
      `SELECT p.id, p.application_id, p.host_family_id, p.student_id, p.receiving_institution_id, p.starts_on::text AS starts_on, p.ends_on::text AS ends_on,
              u.full_name AS student_name, pr.title AS program_title, f.display_name AS family_name, i.name AS receiving_institution
         FROM placements p
         JOIN applications a ON a.id = p.application_id
         JOIN programs pr ON pr.id = a.program_id
         JOIN users u ON u.id = p.student_id
         JOIN host_families f ON f.id = p.host_family_id
         JOIN institutions i ON i.id = p.receiving_institution_id
        WHERE p.id = $1`,
      [placementId],
    )) as Record<string, string>[];
    if (!row) return undefined;
    return {
      id: row.id,
      applicationId: row.application_id,
      hostFamilyId: row.host_family_id,
      studentId: row.student_id,
      receivingInstitutionId: row.receiving_institution_id,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      studentName: row.student_name,
      programTitle: row.program_title,
      familyName: row.family_name,
      receivingInstitution: row.receiving_institution,
    };
  }

  /** Writes one notification per recipient, in the open transaction; their ids in the recipients' order. */
  async insertAll(rows: { userId: string; kind: NotificationKind; objectType: string; objectId: string | null; params: Notification['params'] }[]): Promise<string[]> {
    if (!rows.length) return [];
    const result = await this.tx.required.insert(Notification, rows);
    return result.identifiers.map((identifier) => identifier.id as string);
  }

  /** The user's own, newest first (keyset on created_at, id). */
  list(userId: string, query: PageQuery & { unread?: boolean }): Promise<Page<Notification>> {
    const builder = this.tx.manager.createQueryBuilder(Notification, 'n').where('n.user_id = :userId', { userId });
    if (query.unread) builder.andWhere('n.read_at IS NULL');
    return paginate(builder, query, [['n.created_at', (n) => n.createdAt.toISOString()], ['n.id', (n) => n.id]], 'DESC');
  }

  /** The user's own notification, or null (someone else's is as absent as one that never was). */
  findOwn(userId: string, id: string): Promise<Notification | null> {
    return this.tx.manager.findOne(Notification, { where: { id, userId } });
  }

  countUnread(userId: string): Promise<number> {
    return this.tx.manager.count(Notification, { where: { userId, readAt: IsNull() } });
  }

  /** Marks it read once: a second read keeps the first time. */
  async markRead(userId: string, id: string): Promise<void> {
    await this.tx.required.update(Notification, { id, userId, readAt: IsNull() }, { readAt: new Date() });
  }

  async markAllRead(userId: string): Promise<number> {
    const result = await this.tx.required.update(Notification, { userId, readAt: IsNull() }, { readAt: new Date() });
    return result.affected ?? 0;
  }
}
