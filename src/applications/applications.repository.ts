import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { branchShape, branchSql, branchValues, branchWhere, type ScopeBranch } from '../common/access/scope.js';
import { prepared, PreparedStatements, StatementVariants, type PreparedQuery } from '../common/database/prepared-statements.js';
import type { Caller } from '../common/http/caller.js';
import { decodeCursor, DEFAULT_LIMIT, limitOf, pageOf, refuseForgedCursor, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { LanguageRequirement, Program } from '../programs/program.entity.js';
import { ApplicationDetails } from './application.details.js';
import { Application, ApplicationHistoryEntry, type ApplicationStatus, type HistoryDetails } from './application.entity.js';
import { applicationScope } from './application.rules.js';
import { FINAL, SEAT_HOLDING } from './application.state-machine.js';
import type { ListApplicationsQuery } from './dto/application.dto.js';

/** The columns of an application that every answer shows or its rules read (`a`: the table). */
const SHOWN_COLUMNS = `a.id, a.program_id AS "programId", a.student_id AS "studentId", a.sending_institution_id AS "sendingInstitutionId",
  a.receiving_institution_id AS "receivingInstitutionId", a.status, a.motivation, a.language_levels AS "languageLevels",
  a.date_of_birth::text AS "dateOfBirth", a.gender, a.matching_profile AS "matchingProfile", a.submitted_at AS "submittedAt",
  a.arrived_at AS "arrivedAt", a.travel, a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

/** What the scope of an application reads besides the columns shown (application.rules.ts). */
const SCOPE_COLUMNS = `a.nominated_at AS "nominatedAt", a.accepted_at AS "acceptedAt"`;

/** Every column of the entity, named and typed as TypeORM reads them (a `date` as its text). */
const ALL_COLUMNS = `${SHOWN_COLUMNS}, ${SCOPE_COLUMNS}, a.expected_arrival_at AS "expectedArrivalAt"`;

/** An application as its answer reads it: the columns shown, and those its scope reads. */
type AnsweredApplication = Omit<Application, 'student' | 'program' | 'expectedArrivalAt'>;

/** An application's row with its student's name (null without a student row, which a foreign key rules out). */
type RowWithStudent = Omit<Application, 'student' | 'program'> & { studentName: string | null };

const BY_ID = prepared<RowWithStudent>('applications_by_id', `SELECT ${ALL_COLUMNS}, u.full_name AS "studentName" FROM applications a LEFT JOIN users u ON u.id = a.student_id WHERE a.id = $1`);

/** The programme's stay and what a stay with a family depends on. */
export type ProgramStay = Pick<Program, 'startsOn' | 'endsOn' | 'accommodation' | 'languageRequirement'>;
type RowWithStay = RowWithStudent & { programStartsOn: string; programEndsOn: string; programAccommodation: Program['accommodation']; programLanguageRequirement: Program['languageRequirement'] };

const WITH_STAY = prepared<RowWithStay>(
  'applications_with_stay',
  `SELECT ${ALL_COLUMNS}, u.full_name AS "studentName", p.starts_on::text AS "programStartsOn", p.ends_on::text AS "programEndsOn",
          p.accommodation AS "programAccommodation", p.language_requirement AS "programLanguageRequirement"
     FROM applications a LEFT JOIN users u ON u.id = a.student_id JOIN programs p ON p.id = a.program_id
    WHERE a.id = $1`,
);

function withStudent(row: RowWithStudent): Application {
  const { studentName, ...application } = row;
  return Object.assign(application, { student: studentName === null ? null : { id: application.studentId, fullName: studentName } }) as Application;
}

/** An application on a list: what its answer shows (the list's scope is in its statement, not checked again on the row). */
export type ListedApplication = Omit<Application, 'student' | 'program' | 'nominatedAt' | 'acceptedAt' | 'expectedArrivalAt'>;

/**
 * What an application's answer is made of, read in one statement: its columns, its
 * student's name, its programme's language requirement, and the parts other domains add
 * (ApplicationDetails), as columns `part_<name>`.
 */
export type ApplicationRead<A extends ListedApplication = ListedApplication> = A & {
  studentName: string | null;
  languageRequirement: LanguageRequirement | null;
} & Record<`part_${string}`, unknown>;

/** Queries of applications and their history; each takes part in the caller's transaction when one is open. */
@Injectable()
export class ApplicationsRepository {
  /** Written on first use, once every domain has registered its parts. */
  private answerOne: PreparedQuery<ApplicationRead<AnsweredApplication>> | null = null;
  private readonly pages = new StatementVariants<ApplicationRead>('applications_page');

  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
    private readonly statements: PreparedStatements,
    private readonly details: ApplicationDetails,
  ) {}

  /** With the student's name (`student.fullName`). */
  async findById(id: string): Promise<Application | null> {
    const row = await this.statements.first(BY_ID, [id]);
    return row && withStudent(row);
  }

  /** With the student's name and the stay of its programme, in one statement. */
  async findWithStay(id: string): Promise<{ application: Application; stay: ProgramStay } | null> {
    const row = await this.statements.first(WITH_STAY, [id]);
    if (!row) return null;
    const { programStartsOn, programEndsOn, programAccommodation, programLanguageRequirement, ...rest } = row;
    return { application: withStudent(rest), stay: { startsOn: programStartsOn, endsOn: programEndsOn, accommodation: programAccommodation, languageRequirement: programLanguageRequirement } };
  }

  /**
   * The application with everything its answer shows, in one statement: its columns, its
   * student's name, its programme's language requirement and the other domains' parts.
   */
  findForAnswer(id: string): Promise<ApplicationRead<AnsweredApplication> | null> {
    this.answerOne ??= prepared(
      'applications_answer',
      `SELECT ${SHOWN_COLUMNS}, ${SCOPE_COLUMNS}, u.full_name AS "studentName", p.language_requirement AS "languageRequirement"${this.details.columns()}
         FROM applications a LEFT JOIN users u ON u.id = a.student_id JOIN programs p ON p.id = a.program_id
        WHERE a.id = $1`,
    );
    return this.statements.first(this.answerOne, [id]);
  }

  /** Takes the application's row lock in the open transaction and returns the row (without the student's name: `findById` reads it). */
  lock(id: string, mode: LockMode = 'write'): Promise<Application | null> {
    return this.locks.lock('application', Application, id, mode);
  }

  countOpenOf(studentId: string): Promise<number> {
    return this.tx.manager.count(Application, { where: { studentId, status: Not(In([...FINAL])) } });
  }

  /**
   * Applications holding a seat of the programme (index on program_id, status): the one
   * seat count, read by accept and by a programme losing seats, both under the
   * programme's row lock.
   */
  countSeatHolders(programId: string): Promise<number> {
    return this.tx.manager.count(Application, { where: { programId, status: In([...SEAT_HOLDING]) } });
  }

  /**
   * Submitted applications of the programme not in a final state. Drafts do not count: they
   * cannot be submitted once the programme is cancelled, and only their student sees them.
   */
  countLive(programId: string): Promise<number> {
    return this.tx.manager.count(Application, { where: { programId, status: Not(In(['draft', ...FINAL])) } });
  }

  /** One history entry, in the open transaction. Other domains write theirs here too (a placement's changes), with `details`. */
  async insertHistory(entry: Omit<ApplicationHistoryEntry, 'id' | 'seq' | 'createdAt' | 'application' | 'details'> & { details?: HistoryDetails | null }): Promise<void> {
    await this.tx.required.insert(ApplicationHistoryEntry, { ...entry, details: entry.details ?? null });
  }

  /**
   * The applications the caller may see (application.rules.ts scope), newest first, each
   * with what its answer shows (ApplicationRead), in one statement. Each scope branch is one
   * range of one index; a caller with two (a coordinator's outgoing and incoming) gets both
   * in one page, each branch cut at the page's size before they are merged. `direction`
   * keeps the branch of that name.
   */
  async listVisible(caller: Caller, query: ListApplicationsQuery): Promise<Page<ApplicationRead>> {
    const scope = applicationScope(caller);
    const directional = (b: ScopeBranch<Application>) => b.name === 'incoming' || b.name === 'outgoing';
    const branches: readonly ScopeBranch<Application>[] = scope === 'all' ? [{ name: 'all', where: {} }] : query.direction ? scope.filter((b) => !directional(b) || b.name === query.direction) : scope;
    if (!branches.length) return { items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_LIMIT;
    const cursor = query.cursor ? decodeCursor(query.cursor, 2) : null;

    // The values in the order the text places them: the branches', then the filters given. The text depends only on the
    // branches' shapes, which filters are given and the page's size, so it is written once for all the callers of that
    // shape. The size is written in the text: with a parameter, PostgreSQL's generic plan would expect a tenth of the
    // table and never be chosen, and the statement would be planned again on every call.
    const values: unknown[] = branches.flatMap(branchValues);
    if (query.status) values.push(query.status);
    if (query.programId) values.push(query.programId);
    if (cursor) values.push(cursor[0], cursor[1]);
    const key = `${branches.map(branchShape).join('|')} status:${!!query.status} program:${!!query.programId} cursor:${!!cursor} limit:${limit}`;
    const statement = this.pages.of(key, () => {
      let n = 0;
      const next = () => `$${++n}`;
      const conditions = branches.map((branch) => branchSql('a', branch, next));
      const filters = [query.status && `a.status = ${next()}`, query.programId && `a.program_id = ${next()}`, cursor && `(a.created_at, a.id) < (${next()}, ${next()})`]
        .filter(Boolean)
        .map((f) => ` AND ${f}`)
        .join('');
      const size = limitOf(limit);
      if (n !== values.length) throw new Error(`applications page: ${n} placeholders for ${values.length} values`);
      const range = (where: string) => `(SELECT ${SHOWN_COLUMNS} FROM applications a WHERE ${where}${filters} ORDER BY a.created_at DESC, a.id DESC LIMIT ${size})`;
      return `SELECT a.*, u.full_name AS "studentName", p.language_requirement AS "languageRequirement"${this.details.columns()}
        FROM (${conditions.map(range).join(' UNION ALL ')}) a
        LEFT JOIN users u ON u.id = a."studentId" JOIN programs p ON p.id = a."programId"
        ORDER BY a."createdAt" DESC, a.id DESC LIMIT ${size}`;
    });

    try {
      return pageOf(await this.statements.rows(statement, values), limit, (last) => [last.createdAt.toISOString(), last.id]);
    } catch (error) {
      refuseForgedCursor(error, query.cursor);
      throw error;
    }
  }

  /**
   * How many applications of `listVisible` (same scope, direction and programme filter)
   * are in one of `statuses`: the counts of a coordinator's queues, each branch one range
   * of its index (a programme's two sides are two institutions, so no row is in both).
   */
  async countVisible(caller: Caller, query: { direction?: 'incoming' | 'outgoing'; statuses: readonly ApplicationStatus[]; programId?: string }): Promise<number> {
    if (!query.statuses.length) return 0;
    const scope = applicationScope(caller);
    const directional = (b: ScopeBranch<Application>) => b.name === 'incoming' || b.name === 'outgoing';
    const branches: ScopeBranch<Application>[] = scope === 'all' ? [{ name: 'all', where: {} }] : query.direction ? scope.filter((b) => !directional(b) || b.name === query.direction) : [...scope];
    const counts = await Promise.all(
      branches.map((branch) => {
        const q = this.tx.manager.createQueryBuilder(Application, 'application').where('application.status IN (:...statuses)', { statuses: [...query.statuses] });
        branchWhere(q, 'application', branch);
        if (query.programId) q.andWhere('application.programId = :programId', { programId: query.programId });
        return q.getCount();
      }),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  history(applicationId: string): Promise<ApplicationHistoryEntry[]> {
    return this.tx.manager.find(ApplicationHistoryEntry, { where: { applicationId }, order: { seq: 'ASC' } });
  }
}
