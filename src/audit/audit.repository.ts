import { Injectable } from '@nestjs/common';
import { paginate, type Page, type PageQuery } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ChainedEntry } from './audit-chain.js';
import { AuditChainHead, AuditEntry } from './audit-entry.entity.js';

export interface AuditFilters {
  actorId?: string;
  targetId?: string;
  /** an action, or a resource (every action under it) */
  action?: string;
  from?: string;
  to?: string;
  /** entries of objects of this institution only (a coordinator's view) */
  institutionId?: string;
}

/** Entries read back per batch when the chain is verified. */
const VERIFY_BATCH = 2000;

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Newest first, keyset on `seq` (a page costs an index range scan however deep). */
  list(filters: AuditFilters, page: PageQuery): Promise<Page<AuditEntry>> {
    const query = this.tx.manager.getRepository(AuditEntry).createQueryBuilder('entry');
    if (filters.actorId) query.andWhere('entry.actor_id = :actorId', { actorId: filters.actorId });
    if (filters.targetId) query.andWhere('entry.target_id = :targetId', { targetId: filters.targetId });
    if (filters.action?.includes('.')) query.andWhere('entry.action = :action', { action: filters.action });
    else if (filters.action) query.andWhere('entry.action LIKE :prefix', { prefix: `${filters.action}.%` });
    if (filters.from) query.andWhere('entry.at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('entry.at < :to', { to: filters.to });
    if (filters.institutionId) query.andWhere('entry.institution_ids && ARRAY[:institution]::uuid[]', { institution: filters.institutionId });
    return paginate(query, page, [['entry.seq', (row) => row.seq]], 'DESC');
  }

  /** Entries whose actor is this user or whose target is one of these objects, oldest first (a person's export). */
  async about(actorId: string, targetIds: readonly string[]): Promise<AuditEntry[]> {
    return this.tx.manager
      .getRepository(AuditEntry)
      .createQueryBuilder('entry')
      .where('entry.actor_id = :actorId', { actorId })
      .orWhere('entry.target_id = ANY(:targetIds::uuid[])', { targetIds: [actorId, ...targetIds] })
      .orderBy('entry.seq', 'ASC')
      .getMany();
  }

  head(): Promise<AuditChainHead | null> {
    return this.tx.manager.findOneBy(AuditChainHead, { id: 1 });
  }

  /** Every entry in chain order, batch by batch, until `each` answers false. */
  async walk(each: (batch: ChainedEntry[]) => boolean): Promise<void> {
    let after = '0';
    for (;;) {
      const batch = await this.tx.manager
        .getRepository(AuditEntry)
        .createQueryBuilder('entry')
        .where('entry.seq > :after', { after })
        .orderBy('entry.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      if (!batch.length || !each(batch)) return;
      after = batch[batch.length - 1].seq;
      if (batch.length < VERIFY_BATCH) return;
    }
  }
}
