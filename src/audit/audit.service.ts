import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../common/http/caller.js';
import type { Page } from '../common/pagination/pagination.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { ChainWalker } from './audit-chain.js';
import type { AuditEntry } from './audit-entry.entity.js';
import { AuditLog } from './audit-log.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditEntryView, AuditVerificationView, ListAuditQuery } from './dto/audit.dto.js';

export function auditEntryView(entry: AuditEntry, withAddress: boolean): AuditEntryView {
  return {
    id: entry.id,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    institutionIds: entry.institutionIds,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    comment: entry.comment,
    commentErased: entry.comment === null && entry.commentSha256 !== null,
    details: entry.details,
    requestId: entry.requestId,
    ...(withAddress ? { clientAddress: entry.clientAddress } : {}),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/** Reading the audit log: admins all of it, coordinators the entries of their institution's objects. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly entries: AuditRepository,
    private readonly audit: AuditLog,
    private readonly tx: TransactionHost,
  ) {}

  async list(caller: Caller, query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    // The route admits admins and coordinators only (@Roles); a coordinator is held to its institution.
    const institutionId = caller.role === 'admin' ? undefined : (caller.institutionId ?? '00000000-0000-0000-0000-000000000000');
    const page = await this.entries.list({ ...query, institutionId }, query);
    return { items: page.items.map((entry) => auditEntryView(entry, caller.role === 'admin')), nextCursor: page.nextCursor };
  }

  /**
   * Walks the whole chain from its first entry (in batches, in one read-only snapshot) and
   * names the first entry that was changed, removed or inserted. The check itself is audited.
   */
  async verify(): Promise<AuditVerificationView> {
    // One snapshot: entries appended while the walk goes on are neither seen nor mistaken for insertions.
    const verdict = await this.tx.detached(() =>
      this.tx.run(async () => {
        const head = (await this.entries.head()) ?? { seq: '0', hash: '' };
        const walker = new ChainWalker(head);
        await this.entries.walk((batch) => walker.feed(batch));
        return { ...walker.finish(), head: { seq: head.seq, hash: head.hash } };
      }, 'REPEATABLE READ'),
    );
    // Recorded when it can be: an entry slipped in at the head's next seq makes every append
    // fail (its seq is taken), and the check must still answer with what it found.
    await this.audit
      .record({
        action: 'audit.verify',
        targetType: 'audit_log',
        targetId: null,
        details: { valid: verdict.valid, checked: verdict.checked, ...(verdict.firstBroken ? { firstBroken: verdict.firstBroken } : {}) },
      })
      .catch((error: Error) => this.logger.warn({ err: { message: error.message } }, 'the audit check could not be recorded'));
    return { ...verdict, verifiedAt: new Date().toISOString() };
  }
}
