/**
 * Ambient transactions and the lock order against a real PostgreSQL: repositories join the
 * caller's transaction by themselves, a failure rolls back all of it, and a row lock taken
 * outside a transaction or against the order is refused as the bug it is.
 */
import { DataSource } from 'typeorm';
import { Agreement } from '../../src/agreements/agreement.entity.js';
import { Application } from '../../src/applications/application.entity.js';
import { Institution } from '../../src/institutions/institution.entity.js';
import { Program } from '../../src/programs/program.entity.js';
import { RowLocks } from '../../src/common/transactions/row-locks.js';
import { ConnectionLostError, TransactionHost } from '../../src/common/transactions/transaction-host.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import pg from 'pg';
import { createTestDatabase, superuserUrlOf } from '../harness/database.js';
import { seedProgram } from '../harness/rows.js';

describe('transactions and row locks', () => {
  let dataSource: DataSource;
  let tx: TransactionHost;
  let locks: RowLocks;
  let ids: { agreement: string; program: string };

  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(databaseUrl));
    await dataSource.initialize();
    tx = new TransactionHost(dataSource);
    locks = new RowLocks(tx);
    ids = await seedProgram(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('reads outside a transaction use the pool; inside, everything uses the one transaction', async () => {
    expect(tx.isActive()).toBe(false);
    expect(tx.manager).toBe(dataSource.manager);
    expect(() => tx.required).toThrow('must run inside TransactionHost.run()');
    await tx.run(async () => {
      const [{ pid: first }] = await tx.manager.query('SELECT pg_backend_pid() AS pid');
      // A nested run joins the open transaction rather than opening a second one.
      await tx.run(async () => {
        const [{ pid: second }] = await tx.manager.query('SELECT pg_backend_pid() AS pid');
        expect(second).toBe(first);
        const [{ open }] = await tx.required.query('SELECT now() = statement_timestamp() AS open');
        expect(open).toBe(false); // inside a transaction begun earlier
      });
    });
  });

  it('a failure anywhere in the run rolls back every write made through the host', async () => {
    const name = `Rolled back ${Date.now()}`;
    await expect(
      tx.run(async () => {
        await tx.required.insert(Institution, { name, shortName: 'RB', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' });
        await tx.run(async () => {
          throw new Error('refused by a precondition');
        });
      }),
    ).rejects.toThrow('refused by a precondition');
    expect(await dataSource.manager.count(Institution, { where: { name } })).toBe(0);
  });

  it('locks in the order agreement → programme → application, and refuses the reverse', async () => {
    await tx.run(async () => {
      expect((await locks.lock('agreement', Agreement, ids.agreement))?.id).toBe(ids.agreement);
      expect((await locks.lock('program', Program, ids.program))?.id).toBe(ids.program);
      // the same aggregate again is fine (a second programme of the agreement, say)
      expect(await locks.lock('program', Program, ids.program, 'share')).not.toBeNull();
    });
    await expect(
      tx.run(async () => {
        await locks.lock('program', Program, ids.program);
        await locks.lock('agreement', Agreement, ids.agreement);
      }),
    ).rejects.toThrow('lock order broken: a agreement locked after a program (order: user → agreement → program → application → host_family → placement → learning_agreement)');
    await expect(
      tx.run(async () => {
        await locks.lock('application', Application, '00000000-0000-4000-8000-000000000000');
        await locks.lock('program', Program, ids.program);
      }),
    ).rejects.toThrow(/a program locked after a application/);
  });

  it('locks rows of one aggregate in ascending id order, and never upgrades a share lock to a write lock', async () => {
    const [low, high] = ['00000000-0000-4000-8000-000000000001', 'ffffffff-ffff-4fff-bfff-ffffffffffff'];
    await tx.run(async () => {
      await locks.lock('application', Application, low);
      await locks.lock('application', Application, high);
      await locks.lock('application', Application, low, 'share'); // held already
    });
    await expect(
      tx.run(async () => {
        await locks.lock('application', Application, high);
        await locks.lock('application', Application, low);
      }),
    ).rejects.toThrow('application rows locked in descending id order');
    await expect(
      tx.run(async () => {
        await locks.lock('program', Program, ids.program, 'share');
        await locks.lock('program', Program, ids.program, 'write');
      }),
    ).rejects.toThrow('upgraded from a share to a write lock');
  });

  it('work left running after a transaction ended does not join it', async () => {
    let later: Promise<boolean> | undefined;
    await tx.run(async () => {
      later = new Promise((resolve) => setTimeout(() => resolve(tx.isActive()), 50));
    });
    expect(await later).toBe(false);
  });

  it('refuses a lock outside a transaction, and an id that is not one (TypeORM would drop the condition)', async () => {
    await expect(locks.lock('program', Program, ids.program)).rejects.toThrow('must run inside TransactionHost.run()');
    await expect(tx.run(() => locks.lock('program', Program, undefined as unknown as string))).rejects.toThrow('not an id');
  });

  it('a write lock makes a second transaction wait for the first', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = tx.run(async () => {
      await locks.lock('program', Program, ids.program);
      order.push('first locked');
      await held;
      order.push('first done');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = tx.run(async () => {
      await locks.lock('program', Program, ids.program);
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });

  it('runs after-commit work once the transaction has committed, never after a rollback, and at once outside one', async () => {
    const done: string[] = [];
    await tx.run(async () => {
      await tx.run(() => tx.afterCommit(async () => void done.push('joined')));
      await tx.afterCommit(async () => void done.push(`outer, in a transaction: ${tx.isActive()}`));
      expect(done).toEqual([]);
    });
    expect(done).toEqual(['joined', 'outer, in a transaction: false']);
    await expect(
      tx.run(async () => {
        await tx.afterCommit(async () => void done.push('rolled back'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await tx.afterCommit(async () => void done.push('no transaction'));
    expect(done).toEqual(['joined', 'outer, in a transaction: false', 'no transaction']);
  });

  it("a transaction whose connection is ended under it fails as a lost connection, and the pool goes on", async () => {
    const ended = async (pid: number) => {
      const admin = new pg.Client({ connectionString: superuserUrlOf(databaseUrl) });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.end();
      // The FATAL reaches the client between two statements: TypeORM lets the connection go.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const name = `Lost ${Date.now()}`;
    const between = tx.run(async () => {
      const [{ pid }] = await tx.required.query('SELECT pg_backend_pid() AS pid');
      await tx.required.insert(Institution, { name, shortName: 'LC', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' });
      await ended(pid);
      await tx.required.query('SELECT 1');
    });
    await expect(between).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(between).rejects.toMatchObject({ code: '08006' });
    // After its last statement: the COMMIT would find no connection either.
    const beforeCommit = tx.run(async () => {
      const [{ pid }] = await tx.required.query('SELECT pg_backend_pid() AS pid');
      await ended(pid);
    });
    await expect(beforeCommit).rejects.toBeInstanceOf(ConnectionLostError);
    expect(await dataSource.manager.count(Institution, { where: { name } })).toBe(0);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
