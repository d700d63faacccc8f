import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Caller } from '../common/http/caller.js';
import { currentRequest } from '../common/http/request-context.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { commentDigest, entryHash, type ChainContent } from './audit-chain.js';
import { AuditChainHead, AuditEntry } from './audit-entry.entity.js';

/** What a domain says of a change it makes; the actor, time, request and address are filled in. */
export interface AuditRecord {
  /** `<resource>.<verb>`, e.g. `application.accept`, `host_family.vet`, `document.download` */
  action: string;
  targetType: string;
  targetId: string | null;
  /** whose object it is: the coordinators of these institutions read the entry */
  institutionIds?: readonly (string | null | undefined)[];
  fromStatus?: string | null;
  toStatus?: string | null;
  comment?: string | null;
  /** ids and field names only: never a password, a token, a person's name, address or e-mail */
  details?: Record<string, unknown> | null;
  /** who acted, when it is not the request's caller (a sign-in, a timed job: null) */
  actor?: Pick<Caller, 'id' | 'role'> | null;
}

/** Longest comment kept in an entry (reasons are validated shorter; this bounds what a caller can make the log hold). */
const COMMENT_MAX = 2000;

/**
 * The audit log's one way in. `record()` adds an entry to the open transaction: the entries
 * of a transaction are appended together at its very end (TransactionHost.beforeCommit),
 * under the chain head's row lock, so that they commit or vanish with the change they
 * record, concurrent writers take turns at the head for the shortest time and never fork
 * the chain, and `seq` has no gaps. Outside a transaction, `record()` opens its own.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  private readonly pending = new WeakMap<EntityManager, ChainContent[]>();
  /** Actors whose entries of the open transaction go without their address (a person being erased). */
  private readonly addressless = new WeakMap<EntityManager, Set<string>>();

  constructor(private readonly tx: TransactionHost) {}

  async record(entry: AuditRecord): Promise<void> {
    if (!this.tx.isActive()) return this.tx.run(() => this.record(entry));
    const manager = this.tx.required;
    let queue = this.pending.get(manager);
    if (!queue) {
      queue = [];
      this.pending.set(manager, queue);
      this.tx.beforeCommit('audit', () => this.append(manager));
    }
    queue.push(this.contentOf(entry));
  }

  /**
   * The entries of the open transaction whose actor is this person are appended without its
   * client address (its erasure clears the address from the entries already written).
   */
  withoutAddressOf(actorId: string): void {
    const manager = this.tx.required;
    const set = this.addressless.get(manager) ?? new Set<string>();
    set.add(actorId.toLowerCase());
    this.addressless.set(manager, set);
  }

  /**
   * Records a refused request (403/404 on a protected object) after its own transaction
   * rolled back: in a transaction of its own, outside any other. A failure here is logged,
   * never turned into the answer (the caller is refused either way).
   */
  async recordRefusal(entry: AuditRecord): Promise<void> {
    try {
      await this.tx.detached(() => this.tx.run(() => this.record(entry)));
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'a refused request could not be audited');
    }
  }

  private contentOf(entry: AuditRecord): ChainContent {
    const request = currentRequest();
    const actor = entry.actor === undefined ? (request?.caller ?? null) : entry.actor;
    const comment = entry.comment ? entry.comment.slice(0, COMMENT_MAX) : null;
    const clientAddress = request?.ip ? request.ip.slice(0, 64) : null;
    // Lower-cased as PostgreSQL's uuid columns give them back, so that the hash is of what is stored.
    const institutionIds = [...new Set((entry.institutionIds ?? []).filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()))].sort();
    return {
      seq: '0', // given at append
      id: randomUUID(),
      at: new Date(),
      actorId: actor?.id?.toLowerCase() ?? null,
      actorRole: actor?.role ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId?.toLowerCase() ?? null,
      institutionIds,
      fromStatus: entry.fromStatus ?? null,
      toStatus: entry.toStatus ?? null,
      comment,
      commentSha256: comment === null ? null : commentDigest(comment),
      details: entry.details && Object.keys(entry.details).length ? entry.details : null,
      requestId: request ? String(request.id).slice(0, 100) : null,
      clientAddress,
      clientAddressSha256: clientAddress === null ? null : commentDigest(clientAddress),
    };
  }

  /** The transaction's entries onto the chain: lock the head, hash in order, insert, move the head. */
  private async append(manager: EntityManager): Promise<void> {
    const queue = this.pending.get(manager);
    const addressless = this.addressless.get(manager);
    this.pending.delete(manager);
    this.addressless.delete(manager);
    if (!queue?.length) return;
    const [head] = (await manager.query('SELECT seq, hash FROM audit.audit_chain WHERE id = 1 FOR UPDATE')) as { seq: string; hash: string }[];
    if (!head) throw new Error('the audit chain has no head row (migration AuditLog)');
    let seq = BigInt(head.seq);
    let prevHash = head.hash;
    const rows: AuditEntry[] = [];
    for (const content of queue) {
      seq += 1n;
      const erased = content.actorId !== null && addressless?.has(content.actorId);
      const entry = { ...content, seq: String(seq), ...(erased ? { clientAddress: null, clientAddressSha256: null } : {}) };
      const hash = entryHash(prevHash, entry);
      rows.push({ ...entry, prevHash, hash });
      prevHash = hash;
    }
    await manager.insert(AuditEntry, rows as QueryDeepPartialEntity<AuditEntry>[]);
    await manager.update(AuditChainHead, { id: 1 }, { seq: String(seq), hash: prevHash });
  }
}
