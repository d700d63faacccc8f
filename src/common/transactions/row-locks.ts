import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { TransactionHost } from './transaction-host.js';

/**
 * The lock order. Every transaction that locks rows of several aggregates locks them in
 * this order, so two transactions never wait on each other in a cycle (a deadlock):
 *
 *   user → agreement → program → application
 *
 * (user: one application created at a time per student; agreement: its quotas;
 * program: its seats; application: its status). Each repository locks its aggregate
 * through `RowLocks.lock`, which refuses, as a bug, a lock taken against this order.
 */
export const LOCK_ORDER = ['user', 'agreement', 'program', 'application'] as const;
export type LockedAggregate = (typeof LOCK_ORDER)[number];

/** `write`: the row is changed (or its capacity consumed); `share`: the row must not change meanwhile. */
export type LockMode = 'write' | 'share';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class RowLocks {
  /** The latest aggregate locked by each open transaction. */
  private readonly highest = new WeakMap<EntityManager, number>();

  constructor(private readonly tx: TransactionHost) {}

  /** Locks one row of the aggregate in the open transaction and returns it (null when there is none). */
  async lock<T extends ObjectLiteral>(aggregate: LockedAggregate, entity: EntityTarget<T>, id: string, mode: LockMode = 'write'): Promise<T | null> {
    const manager = this.tx.required;
    // An undefined id would make TypeORM drop the condition and lock the first row.
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error(`RowLocks.lock(${aggregate}): not an id: ${String(id)}`);
    const rank = LOCK_ORDER.indexOf(aggregate);
    const held = this.highest.get(manager) ?? -1;
    if (rank < held) throw new Error(`lock order broken: a ${aggregate} locked after a ${LOCK_ORDER[held]} (order: ${LOCK_ORDER.join(' → ')})`);
    this.highest.set(manager, rank);
    return manager.findOne(entity, { where: { id } as never, lock: { mode: mode === 'write' ? 'pessimistic_write' : 'pessimistic_read' } });
  }
}
