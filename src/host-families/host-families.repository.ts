import { Injectable } from '@nestjs/common';
import { scopeWhere } from '../common/access/scope.js';
import { todayUtc } from '../common/calendar.js';
import type { Caller } from '../common/http/caller.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { ListHostFamiliesQuery } from './dto/host-family.dto.js';
import { HostFamily, HostFamilyVetting } from './host-family.entity.js';
import { hostFamilyScope } from './host-family.rules.js';

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class HostFamiliesRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
  ) {}

  findById(id: string): Promise<HostFamily | null> {
    return this.tx.manager.findOne(HostFamily, { where: { id } });
  }

  /** The family's row lock in the open transaction: its beds, availability and vetting change under it (src/common/transactions/row-locks.ts). */
  lock(id: string, mode: LockMode = 'write'): Promise<HostFamily | null> {
    return this.locks.lock('host_family', HostFamily, id, mode);
  }

  vettingsOf(hostFamilyId: string): Promise<HostFamilyVetting[]> {
    return this.tx.manager.find(HostFamilyVetting, { where: { hostFamilyId }, order: { recordedAt: 'DESC', id: 'DESC' } });
  }

  /**
   * The families the caller may see, by name. `capacityFree` counts the beds that live
   * placements (proposed or accepted, src/placements/placement.entity.ts) take on the day.
   */
  list(caller: Caller, query: ListHostFamiliesQuery): Promise<Page<HostFamily>> {
    const q = this.tx.manager.createQueryBuilder(HostFamily, 'family').where('TRUE');
    scopeWhere(q, 'family', hostFamilyScope(caller));
    if (query.institutionId) q.andWhere('family.institutionId = :institutionId', { institutionId: query.institutionId });
    if (query.status) q.andWhere('family.status = :status', { status: query.status });
    if (query.language) q.andWhere(':language = ANY(family.languages)', { language: query.language });
    if (query.q) q.andWhere("family.displayName ILIKE :q ESCAPE '\\'", { q: `%${likeEscape(query.q)}%` });
    if (query.availableOn) q.andWhere('family.availableFrom <= :day AND family.availableTo >= :day');
    if (query.capacityFree) {
      q.andWhere(
        `family.capacity - (SELECT count(*) FROM placements p WHERE p.host_family_id = family.id AND p.status IN ('proposed', 'accepted') AND p.starts_on <= :day AND p.ends_on >= :day) >= :free`,
        { free: query.capacityFree },
      );
    }
    q.setParameter('day', query.availableOn ?? todayUtc());
    return paginate(q, query, [
      ['family.displayName', (f) => f.displayName],
      ['family.id', (f) => f.id],
    ]);
  }
}
