import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../common/errors/domain-error.js';
import { PreparedStatements, StatementVariants } from '../common/database/prepared-statements.js';
import { DEFAULT_LIMIT, decodeCursor, limitOf, pageOf, type Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { isInstant } from '../common/validation/dates.js';
import { isUuid } from '../common/validation/uuid.js';
import type { Address } from '../host-families/host-family.entity.js';
import type { TravelDetails } from '../applications/application.entity.js';
import { ChecklistItem } from './checklist-item.entity.js';
import type { ArrivalsQuery, BoardStatus } from './dto/arrival.dto.js';

/** One row of the arrivals board. */
export interface BoardRow {
  applicationId: string;
  programId: string;
  programTitle: string;
  studentId: string;
  studentName: string;
  applicationStatus: 'confirmed' | 'arrived';
  status: BoardStatus;
  travel: TravelDetails;
  expectedArrivalAt: Date;
  arrivedAt: Date | null;
  familyId: string | null;
  familyName: string | null;
  familyAddress: Address | null;
  familyPhone: string | null;
  total: number;
  done: number;
  overdue: number;
  /** when the row last changed: read for the calendar feed only (`stamped`) */
  updatedAt?: Date;
}

/** The counts of a board (ArrivalsRepository.summary). */
export interface BoardSummary {
  arrivingToday: number;
  overdue: number;
  itemsOverdue: number;
}

/**
 * An item with what decides who sees and completes it: its application's institutions and
 * student, the family the student lives with now (its accepted placement), and the
 * receiving institution's zone (its due date's).
 */
export type LocatedItem = ChecklistItem & { receivingInstitutionId: string; sendingInstitutionId: string; studentId: string; currentFamilyId: string | null; timezone: string };

/**
 * The board's status of a row, in SQL: `overdue` when not checked in 24 hours after the
 * expected arrival, or when an item is past due (a date of the institution's zone) and
 * not done; else `expected` (confirmed) or `arrived`.
 */
const BOARD_STATUS = `CASE
  WHEN a.status = 'confirmed' AND a.expected_arrival_at < now() - interval '24 hours' THEN 'overdue'
  WHEN a.status = 'arrived' AND EXISTS (SELECT 1 FROM checklist_items o WHERE o.application_id = a.id AND o.completed_at IS NULL AND o.due_on < (now() AT TIME ZONE i.timezone)::date) THEN 'overdue'
  WHEN a.status = 'confirmed' THEN 'expected'
  ELSE 'arrived' END`;

@Injectable()
export class ArrivalsRepository {
  private readonly boards = new StatementVariants<BoardRow>('arrivals_board');

  constructor(
    private readonly tx: TransactionHost,
    private readonly statements: PreparedStatements,
  ) {}

  /**
   * The confirmed and arrived students with travel details of one receiving institution
   * (all for `null`), in arrival order (IDX_applications_arrivals), keyset-paginated.
   * `from` / `to` are days of each row's receiving institution's time zone. `stamped`: with
   * when each row last changed (the calendar feed's stamps; the board does not show it).
   */
  async board(institutionId: string | null, query: ArrivalsQuery, limit = query.limit ?? DEFAULT_LIMIT, stamped = false): Promise<Page<BoardRow>> {
    let after: [string, string] | null = null;
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, 2);
      // Only what this list writes: an instant as toISOString() writes it, and an id.
      const instant = typeof at === 'string' ? new Date(at) : null;
      if (!isInstant(at) || !instant || instant.toISOString() !== at || typeof id !== 'string' || !isUuid(id)) throw CommonErrors.invalidField('cursor', 'invalidCursor', 'is not a cursor returned by this list');
      after = [at, id];
    }
    // The values of the filters given, in the order the text places them; the text depends only on which are given and
    // on the page's size (in the text, as every list's: ApplicationsRepository.listVisible says why).
    const filters = [institutionId, query.programId, query.from, query.to, after?.[0], after?.[1], query.status];
    const values: unknown[] = filters.filter((value) => value);
    const key = `${filters.map((value) => (value ? 1 : 0)).join('')} limit:${limit} stamped:${stamped}`;
    const statement = this.boards.of(
      key,
      // The page is cut first (in arrival order, by the status when asked), then only its rows get their programme, student, family
      // and checklist counts (every application has its programme and student: foreign keys).
      () => {
        let n = 0;
        const next = () => `$${++n}`;
        const where = [`a.expected_arrival_at IS NOT NULL`, `a.status IN ('confirmed', 'arrived')`];
        if (institutionId) where.push(`a.receiving_institution_id = ${next()}`);
        if (query.programId) where.push(`a.program_id = ${next()}`);
        // The days are the institution's; the same bounds a day wider in UTC (no zone is 24 hours off) let the index range serve them.
        if (query.from) {
          const from = next();
          where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date >= ${from}::date`, `a.expected_arrival_at >= (${from}::date - 1)::timestamp AT TIME ZONE 'UTC'`);
        }
        if (query.to) {
          const to = next();
          where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date <= ${to}::date`, `a.expected_arrival_at < (${to}::date + 2)::timestamp AT TIME ZONE 'UTC'`);
        }
        if (after) where.push(`(a.expected_arrival_at, a.id) > (${next()}::timestamptz, ${next()}::uuid)`);
        const status = query.status ? `WHERE board.status = ${next()}` : '';
        const size = limitOf(limit);
        if (n !== values.length) throw new Error(`arrivals board: ${n} placeholders for ${values.length} values`);
        return `SELECT b.id AS "applicationId", b.program_id AS "programId", p.title AS "programTitle", b.student_id AS "studentId", u.full_name AS "studentName",
                b.application_status AS "applicationStatus", b.status, b.travel, b.expected_arrival_at AS "expectedArrivalAt", b.arrived_at AS "arrivedAt",
                f.id AS "familyId", f.display_name AS "familyName", f.address AS "familyAddress", f.contact_phone AS "familyPhone",
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id) AS total,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id AND c.completed_at IS NOT NULL) AS done,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id AND c.completed_at IS NULL AND c.due_on < (now() AT TIME ZONE b.timezone)::date) AS overdue${stamped ? `,
                b.updated_at AS "updatedAt"` : ''}
         FROM (
           SELECT board.* FROM (
             SELECT a.id, a.program_id, a.student_id, a.status AS application_status, ${BOARD_STATUS} AS status, a.travel,
                    a.expected_arrival_at, a.arrived_at, a.updated_at, i.timezone
             FROM applications a
             JOIN institutions i ON i.id = a.receiving_institution_id
             WHERE ${where.join(' AND ')}
           ) board ${status}
           ORDER BY board.expected_arrival_at, board.id
           LIMIT ${size}
         ) b
         JOIN programs p ON p.id = b.program_id
         JOIN users u ON u.id = b.student_id
         LEFT JOIN placements pl ON pl.application_id = b.id AND pl.status = 'accepted'
         LEFT JOIN host_families f ON f.id = pl.host_family_id
         ORDER BY b.expected_arrival_at, b.id`;
      },
    );
    const rows = await this.statements.rows(statement, values);
    return pageOf(rows, limit, (last) => [new Date(last.expectedArrivalAt).toISOString(), last.applicationId]);
  }

  /**
   * What the host school looks at first, for one receiving institution (all for `null`):
   * the arrivals expected today (a day of each institution's zone), the rows of the board
   * that are overdue, and the checklist items past due and not done.
   */
  async summary(institutionId: string | null): Promise<BoardSummary> {
    const [row] = (await this.tx.manager.query(
      `SELECT count(*) FILTER (WHERE s.today)::int AS "arrivingToday",
              count(*) FILTER (WHERE s.status = 'overdue')::int AS "overdue",
              coalesce(sum(s.items_overdue), 0)::int AS "itemsOverdue"
         FROM (SELECT ${BOARD_STATUS} AS status,
                      (a.expected_arrival_at AT TIME ZONE i.timezone)::date = (now() AT TIME ZONE i.timezone)::date AS today,
                      (SELECT count(*) FROM checklist_items c WHERE c.application_id = a.id AND c.completed_at IS NULL AND c.due_on < (now() AT TIME ZONE i.timezone)::date) AS items_overdue
                 FROM applications a
                 JOIN institutions i ON i.id = a.receiving_institution_id
                WHERE a.expected_arrival_at IS NOT NULL AND a.status IN ('confirmed', 'arrived') AND ($1::uuid IS NULL OR a.receiving_institution_id = $1::uuid)) s`,
      [institutionId],
    )) as BoardSummary[];
    return row;
  }

  itemsOf(applicationId: string): Promise<ChecklistItem[]> {
    return this.tx.manager.find(ChecklistItem, { where: { applicationId }, order: { dueOn: 'ASC', code: 'ASC', sequence: 'ASC' } });
  }

  async insertItems(items: Omit<ChecklistItem, 'id' | 'createdAt' | 'application' | 'completedAt' | 'completedById' | 'completedByRole' | 'note'>[]): Promise<void> {
    if (items.length) await this.tx.required.insert(ChecklistItem, items);
  }

  /** The item with its application's institutions, student and the receiving zone (items change under their application's row lock). */
  async findItem(id: string): Promise<LocatedItem | null> {
    const q = this.tx.manager
      .createQueryBuilder(ChecklistItem, 'item')
      .innerJoin('item.application', 'application')
      .innerJoin('institutions', 'institution', 'institution.id = application.receiving_institution_id')
      .leftJoin('placements', 'placement', "placement.application_id = application.id AND placement.status = 'accepted'")
      .addSelect(['application.receivingInstitutionId', 'application.sendingInstitutionId', 'application.studentId', 'institution.timezone', 'placement.host_family_id'])
      .where('item.id = :id', { id });
    const { entities, raw } = await q.getRawAndEntities<{ institution_timezone: string; host_family_id: string | null }>();
    const item = entities[0];
    if (!item) return null;
    return Object.assign(item, {
      receivingInstitutionId: item.application!.receivingInstitutionId,
      sendingInstitutionId: item.application!.sendingInstitutionId,
      studentId: item.application!.studentId,
      currentFamilyId: raw[0].host_family_id ?? null,
      timezone: raw[0].institution_timezone,
    });
  }
}
