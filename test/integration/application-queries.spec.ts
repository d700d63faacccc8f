import { DataSource, type Logger } from 'typeorm';
import { RowLocks } from '../../src/common/transactions/row-locks.js';
import { TransactionHost } from '../../src/common/transactions/transaction-host.js';
import { ApplicationDetails } from '../../src/applications/application.details.js';
import { ApplicationsRepository } from '../../src/applications/applications.repository.js';
import { PreparedStatements } from '../../src/common/database/prepared-statements.js';
import type { Caller } from '../../src/common/http/caller.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { createTestDatabase } from '../harness/database.js';
import { seedProgram } from '../harness/rows.js';

/**
 * The list queries of the applications domain stay index lookups however many
 * applications there are: with thousands of rows and fresh statistics, no plan reads the
 * applications table sequentially or sorts all of it.
 */
describe('application list queries', () => {
  let dataSource: DataSource;
  const queries: { sql: string; parameters: unknown[] }[] = [];
  let ids: { a: string; b: string; student: string; program: string };

  beforeAll(async () => {
    const recorder: Logger = {
      logQuery: (sql, parameters) => void (/^\s*SELECT/i.test(sql) && /\bapplications\b/.test(sql) && queries.push({ sql, parameters: (parameters ?? []) as unknown[] })),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    dataSource = new DataSource({ ...dataSourceOptions(await createTestDatabase()), logging: ['query'], logger: recorder });
    await dataSource.initialize();
    const row = await seedProgram(dataSource);
    await dataSource.query(
      `INSERT INTO users (email, full_name, role, institution_id) SELECT 's' || i || '@test.example', 'S' || i, 'student', $1 FROM generate_series(1, 4000) i`,
      [row.a],
    );
    await dataSource.query(
      `INSERT INTO applications (program_id, student_id, sending_institution_id, receiving_institution_id, status, submitted_at, nominated_at, created_at)
       SELECT $1, u.id, $2, $3, (ARRAY['draft','submitted','nominated','accepted']::application_status[])[1 + (row_number() OVER ()) % 4],
              now(), CASE WHEN (row_number() OVER ()) % 2 = 0 THEN now() END, now() - (row_number() OVER ()) * interval '1 second'
         FROM users u WHERE u.role = 'student'`,
      [row.program, row.a, row.b],
    );
    await dataSource.query('ANALYZE');
    const [student] = await dataSource.query(`SELECT id FROM users WHERE role = 'student' LIMIT 1`);
    ids = { a: row.a, b: row.b, student: student.id, program: row.program };
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  async function plansOf(caller: Caller, query: Record<string, unknown>): Promise<string[]> {
    queries.length = 0;
    const tx = new TransactionHost(dataSource);
    const repository = new ApplicationsRepository(tx, new RowLocks(tx), new PreparedStatements(tx, dataSource), new ApplicationDetails());
    const first = await repository.listVisible(caller, { limit: 20, ...query });
    if (first.nextCursor) await repository.listVisible(caller, { limit: 20, ...query, cursor: first.nextCursor });
    const plans: string[] = [];
    for (const { sql, parameters } of [...queries]) {
      const rows = (await dataSource.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  }

  const caller = (role: Caller['role'], institutionId: string | null, id = '00000000-0000-4000-8000-000000000000'): Caller => ({ id, role, institutionId, hostFamilyId: null, locale: 'en' });

  it.each([
    ['a student, its own', () => caller('student', ids.a, ids.student), {}],
    ['the sending coordinator, outgoing', () => caller('coordinator', ids.a), { direction: 'outgoing' }],
    ['the receiving coordinator, incoming', () => caller('coordinator', ids.b), { direction: 'incoming' }],
    ['a coordinator, both directions', () => caller('coordinator', ids.b), {}],
    ['a host school', () => caller('host_school', ids.b), {}],
    ['a coordinator, by status', () => caller('coordinator', ids.a), { direction: 'outgoing', status: 'accepted' }],
  ])('%s: index scans only', async (_name, who, query) => {
    const plans = await plansOf(who(), query);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on applications/);
      expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    }
  });

  let prepared = 0;
  it.each([
    ['a student, its own', () => caller('student', ids.a, ids.student), {}],
    ['the receiving coordinator, incoming', () => caller('coordinator', ids.b), { direction: 'incoming' }],
    ['a coordinator, both directions', () => caller('coordinator', ids.b), {}],
    ['a host school', () => caller('host_school', ids.b), {}],
  ] as [string, () => Caller, { direction?: 'incoming' | 'outgoing' }][])('%s: each statement is planned once per connection (PostgreSQL keeps its generic plan after five runs)', async (_name, who, query) => {
    queries.length = 0;
    const tx = new TransactionHost(dataSource);
    const repository = new ApplicationsRepository(tx, new RowLocks(tx), new PreparedStatements(tx, dataSource), new ApplicationDetails());
    const first = await repository.listVisible(who(), { limit: 20, ...query });
    if (first.nextCursor) await repository.listVisible(who(), { limit: 20, ...query, cursor: first.nextCursor });
    expect(queries.length).toBeGreaterThan(0);
    const runner = dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(config: { name: string; text: string; values: unknown[] }): Promise<unknown> };
      for (const { sql, parameters } of [...queries]) {
        // A name of its own: the pool may lend this connection again to the next case.
        const name = `planned_${++prepared}`;
        for (let run = 0; run < 7; run++) await client.query({ name, text: sql, values: parameters });
        const [plans] = (await runner.query('SELECT generic_plans::int AS generic FROM pg_prepared_statements WHERE name = $1', [name])) as { generic: number }[];
        expect(plans.generic).toBeGreaterThan(0);
        // And that plan, the one kept, reads ranges of indexes too.
        const literal = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value instanceof Date ? value.toISOString() : value).replace(/'/g, "''")}'`);
        const args = parameters.length ? `(${parameters.map(literal).join(', ')})` : '';
        const plan = ((await runner.query(`EXPLAIN EXECUTE ${name}${args}`)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/\$1/);
        expect(plan).not.toMatch(/Seq Scan on applications/);
      }
    } finally {
      await runner.release();
    }
  });
});
