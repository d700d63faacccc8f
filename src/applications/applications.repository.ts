import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, Not, type EntityManager } from 'typeorm';
import type { Caller } from '../common/http/caller.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
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

  /** SPEC section 2, as one query per page: each branch is a range of one index. */
  listVisible(caller: Caller, query: ListApplicationsQuery): Promise<Page<Application>> {
    const q = this.dataSource.manager
      .createQueryBuilder(Application, 'application')
      .leftJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName']);
    const institution = caller.institutionId;
    const outgoing = 'application.sendingInstitutionId = :institution AND application.submittedAt IS NOT NULL';
    const incoming = 'application.receivingInstitutionId = :institution AND application.nominatedAt IS NOT NULL';
    switch (caller.role) {
      case 'student':
        q.where('application.studentId = :student', { student: caller.id });
        break;
      case 'coordinator':
        if (query.direction === 'outgoing') q.where(outgoing, { institution });
        else if (query.direction === 'incoming') q.where(incoming, { institution });
        else q.where(new Brackets((b) => b.where(outgoing, { institution }).orWhere(incoming, { institution })));
        break;
      case 'host_school':
        q.where(query.direction === 'outgoing' ? 'FALSE' : 'application.receivingInstitutionId = :institution AND application.acceptedAt IS NOT NULL', { institution });
        break;
      default:
        break;
    }
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

  history(applicationId: string): Promise<ApplicationHistoryEntry[]> {
    return this.dataSource.manager.find(ApplicationHistoryEntry, { where: { applicationId }, order: { seq: 'ASC' } });
  }
}
