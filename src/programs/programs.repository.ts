import { Injectable } from '@nestjs/common';
import { branchShape, branchSql, branchValues } from '../common/access/scope.js';
import { prepared, PreparedStatements, StatementVariants } from '../common/database/prepared-statements.js';
import type { Caller } from '../common/http/caller.js';
import { decodeCursor, DEFAULT_LIMIT, limitOf, pageOf, refuseForgedCursor, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ListProgramsQuery } from './dto/program.dto.js';
import { Program } from './program.entity.js';
import { programScope } from './program.rules.js';

/** A programme as its answer shows it (everything but who created it). */
export type ShownProgram = Omit<Program, 'createdBy' | 'agreement' | 'sendingInstitution' | 'receivingInstitution'>;

/** The columns of ShownProgram, named and typed as TypeORM reads them (a `date` as its text). */
const SHOWN_COLUMNS = `p.id, p.agreement_id AS "agreementId", p.title, p.description, p.sending_institution_id AS "sendingInstitutionId",
  p.receiving_institution_id AS "receivingInstitutionId", p.academic_year AS "academicYear", p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn",
  p.application_opens_at AS "applicationOpensAt", p.application_closes_at AS "applicationClosesAt", p.seats, p.language_requirement AS "languageRequirement",
  p.required_documents AS "requiredDocuments", p.accommodation, p.requires_learning_agreement AS "requiresLearningAgreement", p.status,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

const BY_ID = prepared<Program>('programs_by_id', `SELECT ${SHOWN_COLUMNS}, p.created_by AS "createdBy" FROM programs p WHERE p.id = $1`);

/** The filters of the list as SQL on `p`; `now()` is the statement's. */
const OPEN = "p.status = 'published' AND p.application_opens_at <= now() AND p.application_closes_at > now()";
/** The statuses as read (a published programme whose window has passed is closed); the others as stored. */
const STATUS_AS_READ = new Map<string, string>([
  ['published', "p.status = 'published' AND p.application_closes_at > now()"],
  ['closed', "(p.status = 'closed' OR (p.status = 'published' AND p.application_closes_at <= now()))"],
]);

/** Queries of programmes; each takes part in the caller's transaction when one is open. */
@Injectable()
export class ProgramsRepository {
  private readonly pages = new StatementVariants<ShownProgram>('programs_page');

  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
    private readonly statements: PreparedStatements,
  ) {}

  findById(id: string): Promise<Program | null> {
    return this.statements.first(BY_ID, [id]);
  }

  /** Takes the programme's row lock in the open transaction (after its agreement's, before its applications'). */
  lock(id: string, mode: LockMode = 'write'): Promise<Program | null> {
    return this.locks.lock('program', Program, id, mode);
  }

  /** Seats offered in one direction and year of an agreement by programmes not cancelled (one other excepted). */
  async offeredSeats(direction: { agreementId: string; sendingInstitutionId: string; receivingInstitutionId: string; academicYear: string }, exceptId?: string): Promise<number> {
    const [row] = (await this.tx.manager.query(
      `SELECT COALESCE(SUM(seats), 0)::int AS seats FROM programs
        WHERE agreement_id = $1 AND sending_institution_id = $2 AND receiving_institution_id = $3 AND academic_year = $4
          AND status <> 'cancelled' AND id IS DISTINCT FROM $5`,
      [direction.agreementId, direction.sendingInstitutionId, direction.receivingInstitutionId, direction.academicYear, exceptId ?? null],
    )) as { seats: number }[];
    return row.seats;
  }

  /** The programmes a caller may see (program.rules.ts scope), filtered, ordered by start date: one statement. */
  async listVisible(caller: Caller, query: ListProgramsQuery): Promise<Page<ShownProgram>> {
    const scope = programScope(caller);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const cursor = query.cursor ? decodeCursor(query.cursor, 2) : null;
    // Values in the order the text places them; the text depends only on the scope's shape and which filters are given.
    const storedStatus = query.status !== undefined && !STATUS_AS_READ.has(query.status);
    const filters = { academicYear: query.academicYear, receiving: query.receivingInstitutionId, sending: query.sendingInstitutionId, agreement: query.agreementId };
    const values: unknown[] = scope === 'all' ? [] : scope.flatMap(branchValues);
    if (storedStatus) values.push(query.status);
    for (const value of Object.values(filters)) if (value) values.push(value);
    if (cursor) values.push(cursor[0], cursor[1]);
    // The page's size in the text, as every list's (ApplicationsRepository.listVisible says why).
    const key = [
      scope === 'all' ? 'all' : scope.map(branchShape).join('|'),
      `status:${query.status ?? ''}`,
      `open:${query.open ?? ''}`,
      ...Object.entries(filters).map(([name, value]) => `${name}:${!!value}`),
      `cursor:${!!cursor}`,
      `limit:${limit}`,
    ].join(' ');
    const statement = this.pages.of(key, () => {
      let n = 0;
      const next = () => `$${++n}`;
      const where = [
        scope === 'all' ? null : scope.length ? `(${scope.map((branch) => `(${branchSql('p', branch, next)})`).join(' OR ')})` : 'FALSE',
        query.status === undefined ? null : (STATUS_AS_READ.get(query.status) ?? `p.status = ${next()}`),
        query.open === 'true' ? OPEN : query.open === 'false' ? `NOT (${OPEN})` : null,
        filters.academicYear && `p.academic_year = ${next()}`,
        filters.receiving && `p.receiving_institution_id = ${next()}`,
        filters.sending && `p.sending_institution_id = ${next()}`,
        filters.agreement && `p.agreement_id = ${next()}`,
        cursor && `(p.starts_on, p.id) > (${next()}, ${next()})`,
      ].filter(Boolean);
      const size = limitOf(limit);
      if (n !== values.length) throw new Error(`programmes page: ${n} placeholders for ${values.length} values`);
      return `SELECT ${SHOWN_COLUMNS} FROM programs p${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY p.starts_on, p.id LIMIT ${size}`;
    });
    try {
      return pageOf(await this.statements.rows(statement, values), limit, (last) => [last.startsOn, last.id]);
    } catch (error) {
      refuseForgedCursor(error, query.cursor);
      throw error;
    }
  }
}
