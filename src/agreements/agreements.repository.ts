import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { paginate, type Page, type PageQuery } from '../common/pagination/pagination.js';
import { RowLocks } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { Agreement, AgreementApproval, AgreementPartner, AgreementQuota, AgreementVersion, type AgreementStatus } from './agreement.entity.js';

export interface OfferedSeats {
  sendingInstitutionId: string;
  receivingInstitutionId: string;
  academicYear: string;
  seats: number;
}

/** Queries of agreements; each takes part in the caller's transaction when one is open. */
@Injectable()
export class AgreementsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  /** The agreement with its partners (in order), quotas and approvals. */
  async findWithDetails(id: string): Promise<Agreement | null> {
    const agreement = await this.tx.manager.findOne(Agreement, { where: { id } });
    if (!agreement) return null;
    await this.attachDetails([agreement]);
    return agreement;
  }

  /** Takes the agreement's row lock in the open transaction (first in the lock order), then reads it with its details. */
  async lock(id: string): Promise<Agreement | null> {
    const agreement = await this.locks.lock('agreement', Agreement, id);
    if (!agreement) return null;
    await this.attachDetails([agreement]);
    return agreement;
  }

  /** Loads partners, quotas and approvals of several agreements in three queries. */
  async attachDetails(agreements: Agreement[]): Promise<void> {
    if (!agreements.length) return;
    const manager = this.tx.manager;
    const ids = agreements.map((a) => a.id);
    // One after the other: inside a transaction they share one connection, and pg refuses
    // (deprecated now, an error in pg 9) a query sent while another is still running on it.
    const partners = await manager.find(AgreementPartner, { where: { agreementId: In(ids) }, order: { position: 'ASC' } });
    const quotas = await manager.find(AgreementQuota, { where: { agreementId: In(ids) }, order: { academicYear: 'ASC', fromInstitutionId: 'ASC', toInstitutionId: 'ASC' } });
    const approvals = await manager.find(AgreementApproval, { where: { agreementId: In(ids) }, order: { approvedAt: 'ASC' } });
    for (const agreement of agreements) {
      agreement.partners = partners.filter((p) => p.agreementId === agreement.id);
      agreement.quotas = quotas.filter((q) => q.agreementId === agreement.id);
      agreement.approvals = approvals.filter((a) => a.agreementId === agreement.id);
    }
  }

  /** Newest first; `institutionId` keeps those it is party to. */
  async listPage(filter: { institutionId?: string | null; status?: AgreementStatus }, page: PageQuery): Promise<Page<Agreement>> {
    const query = this.tx.manager.createQueryBuilder(Agreement, 'agreement');
    if (filter.institutionId) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM agreement_partners partner WHERE partner.agreement_id = agreement.id AND partner.institution_id = :institutionId)',
        { institutionId: filter.institutionId },
      );
    }
    if (filter.status) query.andWhere('agreement.status = :status', { status: filter.status });
    const result = await paginate(
      query,
      page,
      [
        ['agreement.createdAt', (a) => a.createdAt.toISOString()],
        ['agreement.id', (a) => a.id],
      ],
      'DESC',
    );
    await this.attachDetails(result.items);
    return result;
  }

  /** Seats of the agreement's programmes that are not cancelled, per direction and year. */
  async offeredSeats(agreementId: string): Promise<OfferedSeats[]> {
    const rows = (await this.tx.manager.query(
      `SELECT sending_institution_id AS "sendingInstitutionId", receiving_institution_id AS "receivingInstitutionId",
              academic_year AS "academicYear", SUM(seats)::int AS seats
         FROM programs WHERE agreement_id = $1 AND status <> 'cancelled'
        GROUP BY 1, 2, 3`,
      [agreementId],
    )) as OfferedSeats[];
    return rows;
  }

  /** Earliest start and latest end of the agreement's programmes that are not cancelled. */
  async programSpan(agreementId: string): Promise<{ startsOn: string | null; endsOn: string | null }> {
    const [row] = (await this.tx.manager.query(
      `SELECT to_char(MIN(starts_on), 'YYYY-MM-DD') AS "startsOn", to_char(MAX(ends_on), 'YYYY-MM-DD') AS "endsOn"
         FROM programs WHERE agreement_id = $1 AND status <> 'cancelled'`,
      [agreementId],
    )) as { startsOn: string | null; endsOn: string | null }[];
    return row;
  }

  versions(agreementId: string): Promise<AgreementVersion[]> {
    return this.tx.manager.find(AgreementVersion, { where: { agreementId }, order: { version: 'ASC' } });
  }
}
