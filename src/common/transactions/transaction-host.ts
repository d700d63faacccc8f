import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, type EntityManager } from 'typeorm';

/**
 * The transaction's connection broke under it (its backend ended, the server stopped).
 * TypeORM gives such a connection back to the pool as soon as it fails, and the next
 * statement of the transaction (or its COMMIT) then throws "query runner already
 * released", which says nothing of the cause. Carries SQLSTATE 08006 (connection_failure):
 * the database is unavailable, answered 503 like any other lost connection.
 */
export class ConnectionLostError extends Error {
  readonly code = '08006';

  constructor(cause?: unknown) {
    super('the database connection was lost in the middle of the transaction', { cause });
    this.name = 'ConnectionLostError';
  }
}

const releasedUnderIt = (manager: EntityManager) => manager.queryRunner?.isReleased === true;

/** The open transaction of an async context; `open` turns false once it has committed or rolled back. */
interface Open {
  manager: EntityManager;
  open: boolean;
  /** work that must happen last in the transaction, once each, in the order registered */
  beforeCommit: Map<string, () => Promise<void>>;
  /** work for once it has committed, in the order registered */
  afterCommit: (() => Promise<void>)[];
}

/**
 * Ambient transactions: `run()` opens a transaction (or joins the one already open), and
 * every repository reads `manager` (reads) or `required` (writes) to take part in it
 * without a manager passed by hand.
 *
 * Work scheduled from inside a transaction that runs after it has ended (a timer, a
 * promise not awaited) does not join it: it sees no transaction and `required` refuses it.
 * There are no savepoints: an error inside a run aborts the whole transaction, so callers
 * let it propagate rather than catch it and go on.
 *
 * Written on AsyncLocalStorage rather than taken from nestjs-cls: that package is CommonJS
 * and `require`s the ES-only @nestjs/common, which Jest cannot load on Node 20.
 */
@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<Open>();

  constructor(private readonly dataSource: DataSource) {}

  private open(): Open | undefined {
    const store = this.current.getStore();
    return store?.open ? store : undefined;
  }

  /** The open transaction's manager, or the pool's for a read outside any transaction. */
  get manager(): EntityManager {
    return this.open()?.manager ?? this.dataSource.manager;
  }

  /** The open transaction's manager; an error (a bug) when there is none: for writes, which never fall back to the pool. */
  get required(): EntityManager {
    const store = this.open();
    if (!store) throw new Error('this operation must run inside TransactionHost.run()');
    return store.manager;
  }

  isActive(): boolean {
    return this.open() !== undefined;
  }

  /**
   * Registers `work` (once per `key`) to run at the end of the open transaction, after
   * everything else and just before it commits: for a step that takes a lock every
   * transaction contends for (the audit chain's head), so that it is held for as short a
   * time as possible. An error there rolls the whole transaction back.
   */
  beforeCommit(key: string, work: () => Promise<void>): void {
    const store = this.open();
    if (!store) throw new Error('beforeCommit must be called inside TransactionHost.run()');
    if (!store.beforeCommit.has(key)) store.beforeCommit.set(key, work);
  }

  /**
   * Runs `work` once the open transaction has committed (never if it rolls back), or at
   * once outside any: for what cannot be undone and must only follow a change that is kept
   * (deleting the files of erased rows). The work handles its own failures: the change is
   * committed whatever becomes of it.
   */
  async afterCommit(work: () => Promise<void>): Promise<void> {
    const store = this.open();
    if (store) store.afterCommit.push(work);
    else await work();
  }

  /**
   * Runs `work` in a transaction: a new one, or the caller's when one is open (then it
   * commits with that one, at that one's isolation level). `isolation` is for reads that
   * need one snapshot across many statements (REPEATABLE READ).
   */
  async run<T>(work: () => Promise<T>, isolation?: 'REPEATABLE READ'): Promise<T> {
    if (this.isActive()) return work();
    const transaction = (body: (manager: EntityManager) => Promise<T>) => (isolation ? this.dataSource.transaction(isolation, body) : this.dataSource.transaction(body));
    const committed: (() => Promise<void>)[] = [];
    const result = await transaction(async (manager) => {
      const store: Open = { manager, open: true, beforeCommit: new Map(), afterCommit: committed };
      try {
        return await this.current.run(store, async () => {
          const result = await work();
          for (const last of store.beforeCommit.values()) await last();
          // Lost after the last statement: the COMMIT would only find the runner released.
          if (releasedUnderIt(manager)) throw new ConnectionLostError();
          return result;
        });
      } catch (error) {
        // TypeORM releases the runner before the end of the transaction only when its connection failed.
        const released = error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError;
        throw released && releasedUnderIt(manager) ? new ConnectionLostError(error) : error;
      } finally {
        store.open = false;
      }
    });
    for (const then of committed) await then();
    return result;
  }

  /**
   * Runs `work` outside any open transaction (its own, if it opens one): for a record that
   * must outlive the caller's transaction being rolled back.
   */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.current.exit(work);
  }
}
