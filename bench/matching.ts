/**
 * `npm run bench:matching`: latency of `GET /applications/{id}/host-family-matches` among
 * 50,000 host families. Starts its own embedded PostgreSQL and the API in this process,
 * generates the families in SQL (50 institutions; the receiving one manages
 * BENCH_FAMILIES_HERE of them, 5,000 by default, a big city), with varied languages, pets,
 * preferences, availability, vettings and 20,000 placements spread over all families, then
 * drives the route with autocannon. The hard rules are filtered by the database; the families that pass are
 * scored in the process. Numbers depend on the machine: compare runs on the same one.
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
import { MATCHING_CANDIDATES } from '../src/placements/placements.repository.js';

const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 50_000);
const HERE = Number(process.env.BENCH_FAMILIES_HERE ?? 5_000);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'bench-password-2026';
const log = (message: string) => console.log(`[bench:matching] ${message}`);

const dir = mkdtempSync(join(tmpdir(), 'exchange-bench-matching-'));
const server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir, fast: true });
try {
  const url = server.url('postgres');
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

  log('institutions, agreement, programme');
  await dataSource.query(`INSERT INTO institutions (name, short_name, city, country, kind, timezone)
    SELECT 'Institution ' || i, 'I' || i, 'City ' || i, 'RU', 'school', 'Europe/Moscow' FROM generate_series(1, 50) i`);
  const institutions: { id: string }[] = await dataSource.query(`SELECT id FROM institutions ORDER BY name`);
  const sending = institutions[0].id;
  const receiving = institutions[1].id;
  const [agreement] = await dataSource.query(`INSERT INTO agreements (title, status, starts_on, ends_on, created_by) VALUES ('Bench', 'active', '2026-01-01', '2031-01-01', gen_random_uuid()) RETURNING id`);
  const [program] = await dataSource.query(
    `INSERT INTO programs (agreement_id, title, sending_institution_id, receiving_institution_id, academic_year, starts_on, ends_on, application_opens_at, application_closes_at, seats, status, accommodation, language_requirement, created_by)
     VALUES ($1, 'Homestay', $2, $3, '2027/2028', '2027-09-01', '2027-12-20', now() - interval '1 day', now() + interval '60 days', 50000, 'published', 'host_family', '{"language":"ru","minLevel":"A2"}', gen_random_uuid()) RETURNING id`,
    [agreement.id, sending, receiving],
  );
  await dataSource.query(`INSERT INTO users (email, full_name, role, institution_id, password_hash) VALUES ('coordinator@bench.example', 'Coordinator', 'coordinator', $1, $2)`, [receiving, hash]);

  log(`${FAMILIES} families (${HERE} managed by the receiving institution)`);
  // Deterministic variety from the row number: ~1/3 with pets, 1/4 smoking, 1/5 not accepting minors, 1/6 with a gender preference,
  // 1/10 not vetted, 1/12 with an expired vetting, 1/8 not available over the stay.
  await dataSource.query(
    `INSERT INTO host_families (institution_id, display_name, contact_email, contact_phone, address, capacity, languages, has_pets, pet_types, smoking_household,
       diets_supported, accepts_minors, gender_preference, available_from, available_to, commute_minutes, status, vetting_expires_on)
     SELECT CASE WHEN i <= $2 THEN $1::uuid ELSE (SELECT id FROM institutions ORDER BY name OFFSET 2 + i % 48 LIMIT 1) END,
       'Family ' || i, 'family' || i || '@bench.example', '+7 861 000 00 00', '{"line1":"1 Main St","city":"Krasnodar","postalCode":"350000","country":"RU"}',
       1 + i % 3,
       CASE i % 4 WHEN 0 THEN ARRAY['ru'] WHEN 1 THEN ARRAY['ru','fr'] WHEN 2 THEN ARRAY['ru','en'] ELSE ARRAY['ru','de','en'] END,
       i % 3 = 0, CASE WHEN i % 3 = 0 THEN (CASE i % 2 WHEN 0 THEN ARRAY['cat'] ELSE ARRAY['dog'] END) ELSE ARRAY[]::text[] END,
       i % 4 = 0,
       CASE i % 5 WHEN 0 THEN ARRAY['vegetarian'] WHEN 1 THEN ARRAY['vegetarian','halal'] ELSE ARRAY[]::text[] END,
       i % 5 <> 0,
       (CASE i % 6 WHEN 0 THEN 'female' WHEN 3 THEN 'male' ELSE 'any' END)::host_family_gender_preference,
       CASE WHEN i % 8 = 0 THEN DATE '2027-10-01' ELSE DATE '2027-06-01' END, DATE '2028-07-31',
       5 + i % 70,
       (CASE WHEN i % 10 = 0 THEN 'pending_vetting' ELSE 'approved' END)::host_family_status,
       CASE WHEN i % 10 = 0 THEN NULL WHEN i % 12 = 0 THEN CURRENT_DATE - 1 ELSE CURRENT_DATE + 300 END
     FROM generate_series(1, $3::int) i`,
    [receiving, HERE, FAMILIES],
  );

  log(`${PLACEMENTS} students, accepted applications and placements`);
  await dataSource.query(`INSERT INTO users (email, full_name, role, institution_id) SELECT 's' || i || '@bench.example', 'Student ' || i, 'student', $1 FROM generate_series(1, $2::int + 1) i`, [sending, PLACEMENTS]);
  await dataSource.query(
    `INSERT INTO applications (program_id, student_id, sending_institution_id, receiving_institution_id, status, submitted_at, nominated_at, accepted_at, date_of_birth, gender, matching_profile)
     SELECT $1, id, $2, $3, 'accepted', now(), now(), now(), DATE '2010-04-01', 'female', '{"languages":["fr","en"],"diet":["vegetarian"],"allergies":["cats"],"smoker":false,"notes":""}'
     FROM users WHERE email LIKE 's%@bench.example'`,
    [program.id, sending, receiving],
  );
  // Placements spread over all families (so about a tenth with the receiving institution's), proposed and accepted, in stays overlapping the programme's.
  await dataSource.query(
    `WITH f AS (SELECT id, institution_id, row_number() OVER (ORDER BY display_name) AS n FROM host_families),
          a AS (SELECT id, student_id, row_number() OVER (ORDER BY id) AS n FROM applications OFFSET 1)
     INSERT INTO placements (application_id, host_family_id, student_id, receiving_institution_id, starts_on, ends_on, status, accepted_at)
     SELECT a.id, f.id, a.student_id, f.institution_id, DATE '2027-09-01' + (a.n % 60)::int, DATE '2027-09-01' + (a.n % 60)::int + 10 + (a.n % 50)::int,
       (CASE WHEN a.n % 2 = 0 THEN 'accepted' ELSE 'proposed' END)::placement_status, CASE WHEN a.n % 2 = 0 THEN now() END
     FROM a JOIN f ON f.n = 1 + (a.n * 7919) % $1::int`,
    [FAMILIES],
  );
  const [target] = await dataSource.query(`SELECT id FROM applications ORDER BY id LIMIT 1`);
  await dataSource.query('ANALYZE');
  if (process.env.BENCH_EXPLAIN) {
    // The plan of the hard rules' query for the benchmarked application (a minor, female, allergic to cats).
    const plan: { 'QUERY PLAN': string }[] = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${MATCHING_CANDIDATES}`, [receiving, new Date().toISOString().slice(0, 10), '2027-09-01', '2027-12-20', false, ['cat'], true, 'female', true, target.id]);
    console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
  }
  await dataSource.destroy();

  const settings = loadSettings({ NODE_ENV: 'production', JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789', DATABASE_URL: url, DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  const app = await createApp(settings, url, createLogger(settings));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'coordinator@bench.example', password: PASSWORD }) });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const path = `/api/v1/applications/${target.id}/host-family-matches`;
  const sample = (await (await fetch(base + path, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { score: number }[] };
  log(`the answer: ${sample.items.length} families, best score ${sample.items[0]?.score ?? '-'}`);

  const rows = [];
  for (const connections of [1, 4]) {
    const result = await autocannon({ url: base + path, connections, duration: SECONDS, headers: { authorization: `Bearer ${token}` } });
    rows.push({ route: `GET host-family-matches (${connections} conn.)`, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, non2xx: result.non2xx, errors: result.errors });
  }
  console.table(rows);
  await app.close();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
