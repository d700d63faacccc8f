import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Ambient transactions: `run()` opens a transaction (or joins the one already open), and
 * every repository reads `manager` to take part in it without a manager passed by hand.
 *
 * Written on AsyncLocalStorage rather than taken from nestjs-cls: that package is CommonJS
 * and `require`s the ES-only @nestjs/common, which Jest cannot load on Node 20.
 */
@Injectable()
export class TransactionHost {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** The open transaction's manager, or the pool's for a read outside any transaction. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  /** The open transaction's manager; an error (a bug) when there is none. */
  get required(): EntityManager {
    const manager = this.current.getStore();
    if (!manager) throw new Error('this operation must run inside TransactionHost.run()');
    return manager;
  }

  isActive(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Runs `work` in a transaction: a new one, or the caller's when one is open (then it commits with that one). */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isActive()) return work();
    return this.dataSource.transaction((manager) => this.current.run(manager, work));
  }

  /** Runs `work` outside any open transaction (e.g. a write that must survive a rollback). */
  outside<T>(work: () => Promise<T>): Promise<T> {
    return this.current.exit(work);
  }
}
