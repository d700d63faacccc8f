import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { isUuid } from '../validation/uuid.js';
import { TransactionHost } from './transaction-host.js';

/**
 * The lock order. Every transaction that locks rows of several aggregates locks them in
 * this order, so two transactions never wait on each other in a cycle (a deadlock):
 *
 *   user → agreement → program → application → host_family → placement → learning_agreement
 *
 * (user: one application created at a time per student; agreement: its quotas;
 * program: its seats; application: its status; host_family: its beds, availability and
 * vetting; placement: its status; learning_agreement: its signatures).
 * Several rows of one aggregate are locked in ascending id order, and a row first locked
 * for sharing is not upgraded to a write lock (two such upgrades deadlock). Each
 * repository locks its aggregate through `RowLocks.lock`, which refuses, as a bug, a lock
 * taken against these rules.
 */
export const LOCK_ORDER = ['user', 'agreement', 'program', 'application', 'host_family', 'placement', 'learning_agreement'] as const;
export type LockedAggregate = (typeof LOCK_ORDER)[number];

/** `write`: the row is changed (or its capacity consumed); `share`: the row must not change meanwhile. */
export type LockMode = 'write' | 'share';

interface Held {
  rank: number;
  /** the last id locked at this rank */
  lastId: string;
  modes: Map<string, LockMode>;
}

@Injectable()
export class RowLocks {
  /** What each open transaction holds. */
  private readonly held = new WeakMap<EntityManager, Held>();

  constructor(private readonly tx: TransactionHost) {}

  /**
   * Locks one row of the aggregate in the open transaction and returns it (null when there
   * is none). `key` names the primary key property when it is not `id`.
   */
  async lock<T extends ObjectLiteral>(aggregate: LockedAggregate, entity: EntityTarget<T>, id: string, mode: LockMode = 'write', key = 'id'): Promise<T | null> {
    const manager = this.tx.required;
    // An undefined id would make TypeORM drop the condition and lock the first row.
    if (!isUuid(id)) throw new Error(`RowLocks.lock(${aggregate}): not an id: ${String(id)}`);
    const rank = LOCK_ORDER.indexOf(aggregate);
    const rowKey = `${aggregate}:${id.toLowerCase()}`;
    const held = this.held.get(manager);
    if (held) {
      if (rank < held.rank) throw new Error(`lock order broken: a ${aggregate} locked after a ${LOCK_ORDER[held.rank]} (order: ${LOCK_ORDER.join(' → ')})`);
      const before = held.modes.get(rowKey);
      if (before === 'share' && mode === 'write') throw new Error(`lock order broken: ${rowKey} upgraded from a share to a write lock`);
      if (rank === held.rank && !before && id.toLowerCase() < held.lastId) throw new Error(`lock order broken: ${aggregate} rows locked in descending id order`);
    }
    const next: Held = held && held.rank === rank ? held : { rank, lastId: '', modes: held?.modes ?? new Map() };
    if (!next.modes.has(rowKey) && id.toLowerCase() > next.lastId) next.lastId = id.toLowerCase();
    if (next.modes.get(rowKey) !== 'write') next.modes.set(rowKey, mode);
    this.held.set(manager, next);
    return manager.findOne(entity, { where: { [key]: id } as never, lock: { mode: mode === 'write' ? 'pessimistic_write' : 'pessimistic_read' } });
  }
}
