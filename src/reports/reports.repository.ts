import { Injectable } from '@nestjs/common';
import type { AgreementStatus } from '../agreements/agreement.entity.js';
import type { ApplicationStatus } from '../applications/application.entity.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ProgramStatus } from '../programs/program.entity.js';

/** One direction of one agreement in one academic year, as the flows query reads it. */
export interface FlowRecord {
  agreementId: string;
  agreementTitle: string;
  agreementStatus: AgreementStatus;
  fromId: string;
  fromName: string;
  fromShortName: string;
  fromCountry: string;
  toId: string;
  toName: string;
  toShortName: string;
  toCountry: string;
  academicYear: string;
  quota: number;
  seatsOffered: number;
  /** only the statuses that have applications */
  counts: Partial<Record<ApplicationStatus, number>>;
  placed: number;
  balance: number;
}

export interface FlowsFilter {
  /** the agreements this institution is party to; null: every agreement */
  institutionId: string | null;
  academicYear: string | null;
  /** programme statuses whose seats count as offered */
  offering: readonly ProgramStatus[];
  /** application statuses that count as placed */
  placed: readonly ApplicationStatus[];
}

/**
 * The flows report in one statement (one snapshot, so quotas, seats and counts agree).
 * A row per direction and year that has a quota or a programme, of the agreements in scope;
 * applications are counted by status with GROUP BY over the programmes' index
 * (IDX_applications_program_status), never loaded. Nothing is read of users: the
 * applications of a student whose data was erased count like any other.
 */
const FLOWS_SQL = `
WITH seen AS (
  SELECT agreement.id, agreement.title, agreement.status
    FROM agreements agreement
   WHERE $1::uuid IS NULL
      OR EXISTS (SELECT 1 FROM agreement_partners partner WHERE partner.agreement_id = agreement.id AND partner.institution_id = $1::uuid)
),
directions AS (
  SELECT quota.agreement_id, quota.from_institution_id AS from_id, quota.to_institution_id AS to_id, quota.academic_year
    FROM agreement_quotas quota JOIN seen ON seen.id = quota.agreement_id
   WHERE $2::text IS NULL OR quota.academic_year = $2::text
  UNION
  SELECT program.agreement_id, program.sending_institution_id, program.receiving_institution_id, program.academic_year
    FROM programs program JOIN seen ON seen.id = program.agreement_id
   WHERE $2::text IS NULL OR program.academic_year = $2::text
),
offered AS (
  SELECT program.agreement_id, program.sending_institution_id AS from_id, program.receiving_institution_id AS to_id, program.academic_year,
         COALESCE(SUM(program.seats) FILTER (WHERE program.status = ANY($3::program_status[])), 0)::int AS seats
    FROM programs program JOIN seen ON seen.id = program.agreement_id
   WHERE $2::text IS NULL OR program.academic_year = $2::text
   GROUP BY 1, 2, 3, 4
),
by_status AS (
  SELECT program.agreement_id, program.sending_institution_id AS from_id, program.receiving_institution_id AS to_id, program.academic_year,
         application.status, COUNT(*)::int AS n
    FROM applications application
    JOIN programs program ON program.id = application.program_id
    JOIN seen ON seen.id = program.agreement_id
   WHERE $2::text IS NULL OR program.academic_year = $2::text
   GROUP BY 1, 2, 3, 4, 5
),
counted AS (
  SELECT agreement_id, from_id, to_id, academic_year, jsonb_object_agg(status, n) AS counts,
         COALESCE(SUM(n) FILTER (WHERE status = ANY($4::application_status[])), 0)::int AS placed
    FROM by_status
   GROUP BY 1, 2, 3, 4
)
SELECT seen.id AS "agreementId", seen.title AS "agreementTitle", seen.status AS "agreementStatus",
       origin.id AS "fromId", origin.name AS "fromName", origin.short_name AS "fromShortName", origin.country AS "fromCountry",
       destination.id AS "toId", destination.name AS "toName", destination.short_name AS "toShortName", destination.country AS "toCountry",
       direction.academic_year AS "academicYear",
       COALESCE(quota.seats, 0) AS quota,
       COALESCE(offered.seats, 0) AS "seatsOffered",
       COALESCE(counted.counts, '{}'::jsonb) AS counts,
       COALESCE(counted.placed, 0) AS placed,
       COALESCE(counted.placed, 0) - COALESCE(opposite.placed, 0) AS balance
  FROM directions direction
  JOIN seen ON seen.id = direction.agreement_id
  JOIN institutions origin ON origin.id = direction.from_id
  JOIN institutions destination ON destination.id = direction.to_id
  LEFT JOIN agreement_quotas quota
         ON (quota.agreement_id, quota.from_institution_id, quota.to_institution_id, quota.academic_year)
          = (direction.agreement_id, direction.from_id, direction.to_id, direction.academic_year)
  LEFT JOIN offered
         ON (offered.agreement_id, offered.from_id, offered.to_id, offered.academic_year)
          = (direction.agreement_id, direction.from_id, direction.to_id, direction.academic_year)
  LEFT JOIN counted
         ON (counted.agreement_id, counted.from_id, counted.to_id, counted.academic_year)
          = (direction.agreement_id, direction.from_id, direction.to_id, direction.academic_year)
  LEFT JOIN counted opposite
         ON (opposite.agreement_id, opposite.from_id, opposite.to_id, opposite.academic_year)
          = (direction.agreement_id, direction.to_id, direction.from_id, direction.academic_year)
 ORDER BY seen.title, seen.id, origin.name, origin.id, destination.name, destination.id, direction.academic_year`;

/** Read-only queries over other domains' tables, for reports. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Per agreement direction and year: quota, seats offered, applications by status, placed and balance. */
  async flows(filter: FlowsFilter): Promise<FlowRecord[]> {
    return (await this.tx.manager.query(FLOWS_SQL, [filter.institutionId, filter.academicYear, filter.offering, filter.placed])) as FlowRecord[];
  }
}
