import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { FINAL } from '../applications/application.state-machine.js';
import type { Caller } from '../common/http/caller.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import type { ListProgramsQuery } from './dto/program.dto.js';
import { Program } from './program.entity.js';

@Injectable()
export class ProgramsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Program | null> {
    return manager.findOne(Program, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Seats offered in one direction and year of an agreement by programmes not cancelled (one other excepted). */
  async offeredSeats(manager: EntityManager, direction: { agreementId: string; sendingInstitutionId: string; receivingInstitutionId: string; academicYear: string }, exceptId?: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT COALESCE(SUM(seats), 0)::int AS seats FROM programs
        WHERE agreement_id = $1 AND sending_institution_id = $2 AND receiving_institution_id = $3 AND academic_year = $4
          AND status <> 'cancelled' AND id IS DISTINCT FROM $5`,
      [direction.agreementId, direction.sendingInstitutionId, direction.receivingInstitutionId, direction.academicYear, exceptId ?? null],
    )) as { seats: number }[];
    return row.seats;
  }

  /**
   * Submitted applications of the programme not in a final state. Drafts do not count: they
   * cannot be submitted once the programme is cancelled, and only their student sees them.
   */
  async countLiveApplications(programId: string, manager: EntityManager): Promise<number> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS count FROM applications WHERE program_id = $1 AND status::text <> ALL($2)`,
      [programId, ['draft', ...FINAL]],
    )) as { count: number }[];
    return row.count;
  }

  /**
   * The programmes a caller may see, filtered, ordered by start date. Students: published
   * ones sent from their home institution; coordinators: their institution's side.
   */
  listVisible(caller: Caller, query: ListProgramsQuery): Promise<Page<Program>> {
    const q = this.dataSource.manager.createQueryBuilder(Program, 'program');
    if (caller.role === 'student') {
      // Published as read: not yet past its window (program.rules.ts effectiveStatus).
      q.andWhere("program.status = 'published' AND program.applicationClosesAt > now()").andWhere('program.sendingInstitutionId = :home', { home: caller.institutionId });
    } else if (caller.role === 'coordinator') {
      q.andWhere(
        new Brackets((side) => side.where('program.sendingInstitutionId = :own', { own: caller.institutionId }).orWhere('program.receivingInstitutionId = :own')),
      );
    }
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
