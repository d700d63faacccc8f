/**
 * Prepared statements against a real PostgreSQL: a statement written once is parsed once per
 * connection (a named prepared statement), takes part in the open transaction (its
 * connection, its uncommitted writes), and fails as every other query does.
 */
import { DataSource, QueryFailedError } from 'typeorm';
import { prepared, PreparedStatements, StatementVariants } from '../../src/common/database/prepared-statements.js';
import { TransactionHost } from '../../src/common/transactions/transaction-host.js';
import { Institution } from '../../src/institutions/institution.entity.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { createTestDatabase } from '../harness/database.js';

const BACKEND = prepared<{ pid: number }>('test_backend', 'SELECT pg_backend_pid() AS pid');
const BY_NAME = prepared<{ id: string; name: string }>('test_institution_by_name', 'SELECT id, name FROM institutions WHERE name = $1');
const NAMES = prepared<{ name: string }>('test_prepared_names', 'SELECT name FROM pg_prepared_statements ORDER BY name');
const BROKEN = prepared<{ id: string }>('test_broken', 'SELECT id FROM institutions WHERE id = $1');

describe('prepared statements', () => {
  let dataSource: DataSource;
  let tx: TransactionHost;
  let statements: PreparedStatements;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await createTestDatabase()));
    await dataSource.initialize();
    tx = new TransactionHost(dataSource);
    statements = new PreparedStatements(tx, dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('are named after their family and text: one name never stands for two texts', () => {
    expect(BY_NAME.name).toMatch(/^test_institution_by_name_[\w-]{16}$/);
    expect(prepared('test_institution_by_name', BY_NAME.text).name).toBe(BY_NAME.name);
    expect(prepared('test_institution_by_name', `${BY_NAME.text} LIMIT 1`).name).not.toBe(BY_NAME.name);
    expect(() => prepared('Bad-Family', 'SELECT 1')).toThrow('lower case');
  });

  it('inside a transaction: its connection, its uncommitted rows, and its rollback', async () => {
    const name = `Prepared ${Date.now()}`;
    await expect(
      tx.run(async () => {
        const [{ pid }] = (await tx.manager.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
        expect((await statements.first(BACKEND, []))!.pid).toBe(pid);
        await tx.required.insert(Institution, { name, shortName: 'PS', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' });
        expect(await statements.rows(BY_NAME, [name])).toEqual([{ id: expect.any(String), name }]);
        // The statement is prepared on the transaction's connection, under its name.
        expect((await statements.rows(NAMES, [])).map((row) => row.name)).toEqual(expect.arrayContaining([BY_NAME.name, BACKEND.name]));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await statements.rows(BY_NAME, [name])).toEqual([]);
  });

  it('a failing statement is a QueryFailedError with its SQLSTATE, and the pool is still good', async () => {
    const failure = await statements.rows(BROKEN, ['not-a-uuid']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as { code?: string }).code).toBe('22P02');
    for (let i = 0; i < 25; i++) await expect(statements.rows(BROKEN, ['00000000-0000-4000-8000-000000000000'])).resolves.toEqual([]);
  });

  it('variants: one statement per shape, each named; past the limit, written again and sent unnamed', () => {
    const variants = new StatementVariants<{ n: number }>('test_variants', 2);
    const first = variants.of('a', () => 'SELECT 1 AS n');
    expect(variants.of('a', () => 'never written')).toBe(first);
    expect(variants.of('b', () => 'SELECT 2 AS n').name).toMatch(/^test_variants_/);
    const third = variants.of('c', () => 'SELECT 3 AS n');
    expect(third.name).toBeUndefined();
    expect(variants.of('c', () => 'SELECT 3 AS n')).not.toBe(third);
  });
});
