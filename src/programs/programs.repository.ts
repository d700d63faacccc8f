import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { scopeWhere } from '../common/access/scope.js';
import type { Caller } from '../common/http/caller.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ListProgramsQuery } from './dto/program.dto.js';
import { Program } from './program.entity.js';
import { programScope } from './program.rules.js';

/** Queries of programmes; each takes part in the caller's transaction when one is open. */
@Injectable()
export class ProgramsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  findById(id: string): Promise<Program | null> {
    return this.tx.manager.findOne(Program, { where: { id } });
  }

  findByIds(ids: string[]): Promise<Program[]> {
    return ids.length ? this.tx.manager.find(Program, { where: { id: In(ids) } }) : Promise.resolve([]);
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

  /** The programmes a caller may see (program.rules.ts scope), filtered, ordered by start date. */
  listVisible(caller: Caller, query: ListProgramsQuery): Promise<Page<Program>> {
    const q = this.tx.manager.createQueryBuilder(Program, 'program').where('TRUE');
    scopeWhere(q, 'program', programScope(caller));
    switch (query.status) {
      case undefined:
        break;
      case 'published':
        q.andWhere("program.status = 'published' AND program.applicationClosesAt > now()");
        break;
      case 'closed':
        q.andWhere("(program.status = 'closed' OR (program.status = 'published' AND program.applicationClosesAt <= now()))");
        break;
      default:
        q.andWhere('program.status = :status', { status: query.status });
    }
    if (query.open === 'true') {
      q.andWhere("program.status = 'published' AND program.applicationOpensAt <= now() AND program.applicationClosesAt > now()");
    } else if (query.open === 'false') {
      q.andWhere("NOT (program.status = 'published' AND program.applicationOpensAt <= now() AND program.applicationClosesAt > now())");
    }
    if (query.academicYear) q.andWhere('program.academicYear = :year', { year: query.academicYear });
    if (query.receivingInstitutionId) q.andWhere('program.receivingInstitutionId = :receiving', { receiving: query.receivingInstitutionId });
    if (query.sendingInstitutionId) q.andWhere('program.sendingInstitutionId = :sending', { sending: query.sendingInstitutionId });
    if (query.agreementId) q.andWhere('program.agreementId = :agreementId', { agreementId: query.agreementId });
    return paginate(q, query, [
      ['program.startsOn', (p) => p.startsOn],
      ['program.id', (p) => p.id],
    ]);
  }
}
