import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { branchWhere, type ScopeBranch } from '../common/access/scope.js';
import type { Caller } from '../common/http/caller.js';
import { DEFAULT_LIMIT, encodeCursor, paginate, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { Application, ApplicationHistoryEntry, type ApplicationStatus, type HistoryDetails } from './application.entity.js';
import { applicationScope } from './application.rules.js';
import { FINAL, SEAT_HOLDING } from './application.state-machine.js';
import type { ListApplicationsQuery } from './dto/application.dto.js';

/** Queries of applications and their history; each takes part in the caller's transaction when one is open. */
@Injectable()
export class ApplicationsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  /** With the student's name. */
  findById(id: string): Promise<Application | null> {
    return this.tx.manager
      .createQueryBuilder(Application, 'application')
      .leftJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName'])
      .where('application.id = :id', { id })
      .getOne();
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
   * The applications the caller may see (application.rules.ts scope), newest first. Each
   * scope branch is one range of one index; a caller with two (a coordinator's outgoing and
   * incoming) gets both merged. `direction` keeps the branch of that name.
   */
  async listVisible(caller: Caller, query: ListApplicationsQuery): Promise<Page<Application>> {
    const scope = applicationScope(caller);
    if (scope === 'all') return this.page(query, { name: 'all', where: {} });
    const directional = (b: ScopeBranch<Application>) => b.name === 'incoming' || b.name === 'outgoing';
    const branches = query.direction ? scope.filter((b) => !directional(b) || b.name === query.direction) : scope;
    if (!branches.length) return { items: [], nextCursor: null };
    if (branches.length === 1) return this.page(query, branches[0]);
    return this.merge(await Promise.all(branches.map((b) => this.page(query, b))), query.limit ?? DEFAULT_LIMIT);
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

  private page(query: ListApplicationsQuery, branch: ScopeBranch<Application>): Promise<Page<Application>> {
    const q = this.tx.manager
      .createQueryBuilder(Application, 'application')
      .leftJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName'])
      .where('TRUE');
    branchWhere(q, 'application', branch);
    if (query.status) q.andWhere('application.status = :status', { status: query.status });
    if (query.programId) q.andWhere('application.programId = :programId', { programId: query.programId });
    return paginate(
      q,
      query,
      [
        ['application.createdAt', (a) => a.createdAt.toISOString()],
        ['application.id', (a) => a.id],
      ],
      'DESC',
    );
  }

  /** Newest-first pages after the same cursor, merged into one page of the same order. */
  private merge(pages: Page<Application>[], limit: number): Page<Application> {
    const newestFirst = (x: Application, y: Application) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id > x.id ? 1 : y.id < x.id ? -1 : 0);
    const all = pages.flatMap((p) => p.items).sort(newestFirst);
    const items = all.slice(0, limit);
    const last = items[items.length - 1];
    const more = all.length > limit || pages.some((p) => p.nextCursor !== null);
    return { items, nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
  }

  history(applicationId: string): Promise<ApplicationHistoryEntry[]> {
    return this.tx.manager.find(ApplicationHistoryEntry, { where: { applicationId }, order: { seq: 'ASC' } });
  }
}
