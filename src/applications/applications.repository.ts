import { Injectable } from '@nestjs/common';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import type { Caller } from '../common/http/caller.js';
import { DEFAULT_LIMIT, encodeCursor, paginate, type Page } from '../common/pagination/pagination.js';
import { Application, ApplicationHistoryEntry } from './application.entity.js';
import { FINAL, SEAT_HOLDING } from './application.state-machine.js';
import type { ListApplicationsQuery } from './dto/application.dto.js';

@Injectable()
export class ApplicationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** With the student's name; `lock` takes the application row for the transaction. */
  async findById(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Application | null> {
    if (lock) {
      const locked = await manager.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked) return null;
    }
    return manager
      .createQueryBuilder(Application, 'application')
      .leftJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName'])
      .where('application.id = :id', { id })
      .getOne();
  }

  countOpenOf(studentId: string, manager: EntityManager): Promise<number> {
    return manager.count(Application, { where: { studentId, status: Not(In([...FINAL])) } });
  }

  /** Applications holding a seat of the programme (index on program_id, status). */
  countSeatHolders(programId: string, manager: EntityManager): Promise<number> {
    return manager.count(Application, { where: { programId, status: In([...SEAT_HOLDING]) } });
  }

  /**
   * SPEC section 2. Each list is one range of one index (newest first): a student's own,
   * a side's outgoing (from submission on), incoming (from nomination on), a host school's
   * (from acceptance on). A coordinator's list of both directions merges two such ranges.
   */
  async listVisible(caller: Caller, query: ListApplicationsQuery): Promise<Page<Application>> {
    const institution = caller.institutionId;
    switch (caller.role) {
      case 'student':
        return this.page(query, 'application.studentId = :student', { student: caller.id });
      case 'coordinator': {
        const outgoing = () => this.page(query, 'application.sendingInstitutionId = :institution AND application.submittedAt IS NOT NULL', { institution });
        const incoming = () => this.page(query, 'application.receivingInstitutionId = :institution AND application.nominatedAt IS NOT NULL', { institution });
        if (query.direction === 'outgoing') return outgoing();
        if (query.direction === 'incoming') return incoming();
        return this.merge(await Promise.all([outgoing(), incoming()]), query.limit ?? DEFAULT_LIMIT);
      }
      case 'host_school':
        if (query.direction === 'outgoing') return { items: [], nextCursor: null };
        return this.page(query, 'application.receivingInstitutionId = :institution AND application.acceptedAt IS NOT NULL', { institution });
      default:
        return this.page(query, 'TRUE', {});
    }
  }

  private page(query: ListApplicationsQuery, scope: string, params: Record<string, unknown>): Promise<Page<Application>> {
    const q = this.dataSource.manager
      .createQueryBuilder(Application, 'application')
      .leftJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName'])
      .where(scope, params);
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

  /** Two newest-first pages after the same cursor, merged into one page of the same order. */
  private merge(pages: Page<Application>[], limit: number): Page<Application> {
    const newestFirst = (x: Application, y: Application) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id > x.id ? 1 : y.id < x.id ? -1 : 0);
    const all = pages.flatMap((p) => p.items).sort(newestFirst);
    const items = all.slice(0, limit);
    const last = items[items.length - 1];
    const more = all.length > limit || pages.some((p) => p.nextCursor !== null);
    return { items, nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
  }

  history(applicationId: string): Promise<ApplicationHistoryEntry[]> {
    return this.dataSource.manager.find(ApplicationHistoryEntry, { where: { applicationId }, order: { seq: 'ASC' } });
  }
}
