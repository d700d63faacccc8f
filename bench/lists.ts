/**
 * `npm run bench`: throughput and latency of the busiest reads, on a database with many
 * applications. Starts its own embedded PostgreSQL and the API in this process, loads
 * 20,000 applications, then drives each route with autocannon for a few seconds.
 * Numbers depend on the machine: compare runs on the same one.
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.factory.js';
import { createLogger } from '../src/common/logging/logger.js';
import { loadSettings } from '../src/config/settings.js';
import { createDataSource } from '../src/database/data-source.js';
import { startEmbeddedServer } from '../src/database/embedded-server.js';

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'bench-password-2026';

const dir = mkdtempSync(join(tmpdir(), 'exchange-bench-'));
const server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir, fast: true });
try {
  const url = server.url('postgres');
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const [ids] = await dataSource.query(`
    WITH a AS (INSERT INTO institutions (name, short_name, city, country, kind, timezone) VALUES ('Nancy U', 'NU', 'Nancy', 'FR', 'university', 'Europe/Paris') RETURNING id),
         b AS (INSERT INTO institutions (name, short_name, city, country, kind, timezone) VALUES ('Krasnodar U', 'KU', 'Krasnodar', 'RU', 'university', 'Europe/Moscow') RETURNING id),
         ag AS (INSERT INTO agreements (title, status, starts_on, ends_on, created_by) VALUES ('NU–KU', 'active', '2026-01-01', '2031-01-01', gen_random_uuid()) RETURNING id)
    SELECT a.id AS a, b.id AS b, ag.id AS agreement FROM a, b, ag`);
  const [program] = await dataSource.query(
    `INSERT INTO programs (agreement_id, title, sending_institution_id, receiving_institution_id, academic_year, starts_on, ends_on, application_opens_at, application_closes_at, seats, status, created_by)
     VALUES ($1, 'Semester', $2, $3, '2027/2028', '2027-09-01', '2028-01-31', now() - interval '1 day', now() + interval '60 days', 50, 'published', gen_random_uuid()) RETURNING id`,
    [ids.agreement, ids.a, ids.b],
  );
  await dataSource.query(`INSERT INTO users (email, full_name, role, institution_id, password_hash) VALUES ('coordinator@bench.example', 'Coordinator', 'coordinator', $1, $2), ('student@bench.example', 'Student', 'student', $3, $2)`, [ids.b, hash, ids.a]);
  await dataSource.query(`INSERT INTO users (email, full_name, role, institution_id) SELECT 's' || i || '@bench.example', 'Student ' || i, 'student', $1 FROM generate_series(1, $2::int) i`, [ids.a, APPLICATIONS]);
  await dataSource.query(
    `INSERT INTO applications (program_id, student_id, sending_institution_id, receiving_institution_id, status, submitted_at, nominated_at, created_at)
     SELECT $1, id, $2, $3, 'nominated', now(), now(), now() - (row_number() OVER ()) * interval '1 second' FROM users WHERE email LIKE 's%@bench.example'`,
    [program.id, ids.a, ids.b],
  );
  await dataSource.query('ANALYZE');
  await dataSource.destroy();

  const settings = loadSettings({ NODE_ENV: 'test', JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789', DATABASE_URL: url, DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'silent', LOGIN_MAX_PER_IP: '100000', LOGIN_MAX_PER_EMAIL: '10000' });
  const app = await createApp(settings, url, createLogger(settings));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const login = async (email: string) =>
    ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) })).json()) as { accessToken: string }).accessToken;
  const coordinator = await login('coordinator@bench.example');
  const student = await login('student@bench.example');

  const routes: [string, string, string][] = [
    ['GET /health/ready', '/health/ready', ''],
    ['GET /institutions', '/api/v1/institutions', ''],
    ['GET /programs?open=true (student)', '/api/v1/programs?open=true', student],
    ['GET /applications?direction=incoming (20 of ' + APPLICATIONS + ')', '/api/v1/applications?direction=incoming', coordinator],
    ['GET /applications (both directions, 100)', '/api/v1/applications?limit=100', coordinator],
  ];
  const rows = [];
  for (const [name, path, token] of routes) {
    const result = await autocannon({ url: base + path, connections: 10, duration: SECONDS, headers: token ? { authorization: `Bearer ${token}` } : {} });
    rows.push({ route: name, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, non2xx: result.non2xx, errors: result.errors });
  }
  console.table(rows);
  await app.close();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
