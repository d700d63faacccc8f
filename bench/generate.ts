/**
 * The bench's data: at scale 1, 200 institutions with agreements between them, 2,000
 * programmes, 100,000 students, 1,000,000 applications in every status with their history,
 * 50,000 host families (vetted, with capacities, languages, pets, availability), their
 * placements, and for the students who arrived their checklists; sizes follow `scale`.
 *
 * Written server-side (INSERT … SELECT over generate_series) by one superuser connection,
 * with foreign-key triggers off and the secondary indexes built after the rows, which is
 * what makes a million applications take minutes rather than hours. Ids are derived from
 * numbers (see uid), so that each table is written without reading another back.
 *
 * One institution (number 0, "the bench's") is the one whose coordinator the scenarios
 * act as: it receives 2% of the applications (20,000 at scale 1; never fewer than the
 * 50 pages of 20 the deep page needs), has 5,000 arrivals in the board's window and manages
 * a tenth of the families.
 *
 * Run alone: `node dist/bench/generate.js --scale 0.1` (a throw-away cluster; prints the
 * rows per second of each table).
 */
import argon2 from 'argon2';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { createDataSource } from '../src/database/data-source.js';
import { openCluster, protectAudit, type BenchCluster } from './lib/cluster.js';

export const PASSWORD = 'bench-password-2026';
/** argon2id with the product's parameters (src/auth/password.service.ts). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The id of the n-th row of a kind, as the SQL writes it (pg_temp.uid('kind:n')): the md5
 * of `kind:n` shaped as a version-4 UUID (the API refuses ids of no version).
 */
export function uid(kind: string, n: number): string {
  const hex = createHash('md5').update(`${kind}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const UID_FUNCTION = `CREATE FUNCTION pg_temp.uid(text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`;

export interface Sizes {
  institutions: number;
  programs: number;
  /** programmes received by the bench's institution */
  benchPrograms: number;
  /** applications per programme */
  perProgram: number;
  applications: number;
  students: number;
  /** students per institution */
  studentsPerInstitution: number;
  families: number;
  /** families managed by the bench's institution */
  benchFamilies: number;
}

export function sizesFor(scale: number): Sizes {
  const institutions = Math.max(10, Math.round(200 * scale));
  // Ten programmes an institution at every scale, as at scale 1: a student's list of open programmes has the same length.
  const programs = Math.max(10 * institutions, Math.round(2000 * scale));
  const perProgram = Math.max(1, Math.ceil(Math.max(2000, Math.round(1_000_000 * scale)) / programs));
  const applications = programs * perProgram;
  // Every application of a programme is by another student of its sending institution.
  const studentsPerInstitution = Math.max(Math.ceil((100_000 * scale) / institutions), perProgram);
  // 2% of the programmes, and enough for 1,500 applications (about three in four are from nomination on: page 50 of the
  // incoming list, full, needs 1,000).
  const benchPrograms = Math.min(Math.floor(programs / 3), Math.max(2, Math.ceil(0.02 * programs), Math.ceil(1500 / perProgram)));
  const families = Math.max(500, Math.round(50_000 * scale));
  return {
    institutions,
    programs,
    benchPrograms,
    perProgram,
    applications,
    students: studentsPerInstitution * institutions,
    studentsPerInstitution,
    families,
    benchFamilies: Math.round(families / 10),
  };
}

export interface Fixtures {
  scale: number;
  generatedAt: string;
  /** The day the data was made for (programme windows and arrivals are around it), YYYY-MM-DD. */
  today: string;
  sizes: Sizes;
  /** Rows per table after generation. */
  rows: Record<string, number>;
  password: string;
  institutionId: string;
  coordinator: { id: string; email: string };
  student: { id: string; email: string };
  /** An incoming application the coordinator reads (`GET /applications/{id}`). */
  applicationId: string;
  /** An accepted application of a host-family programme (`host-family-matches`). */
  matchApplicationId: string;
  /** The arrivals board's window (days of the institution's zone) and how many arrivals it holds. */
  arrivals: { from: string; to: string; inWindow: number };
  /** Applications the coordinator's incoming list holds (from nomination on). */
  incomingVisible: number;
  /** Applications in `nominated`, each with its receiving coordinator: the write scenario's. */
  nominated: { applicationId: string; coordinatorId: string }[];
}

type Log = (line: string) => void;

const COUNTRIES = [
  { country: 'FR', timezone: 'Europe/Paris', language: 'fr', cities: ['Nancy', 'Metz', 'Strasbourg', 'Lyon', 'Lille'] },
  { country: 'RU', timezone: 'Europe/Moscow', language: 'ru', cities: ['Krasnodar', 'Rostov', 'Kazan', 'Samara', 'Sochi'] },
  { country: 'DE', timezone: 'Europe/Berlin', language: 'de', cities: ['Karlsruhe', 'Mannheim', 'Freiburg', 'Stuttgart', 'Heidelberg'] },
];

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** The academic year a stay starting on `day` belongs to ("2027/2028" from September on). */
function academicYear(day: string): string {
  const year = Number(day.slice(0, 4));
  const first = Number(day.slice(5, 7)) >= 8 ? year : year - 1;
  return `${first}/${first + 1}`;
}

class Progress {
  constructor(private readonly log: Log) {}

  async table(name: string, total: number, chunk: number, write: (from: number, to: number) => Promise<number>): Promise<number> {
    const started = Date.now();
    let rows = 0;
    for (let from = 0; from < total; from += chunk) {
      const to = Math.min(total, from + chunk) - 1;
      rows += await write(from, to);
      const seconds = (Date.now() - started) / 1000;
      if (total > chunk) this.log(`  ${name}: ${(to + 1).toLocaleString('en')}/${total.toLocaleString('en')} → ${rows.toLocaleString('en')} rows, ${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s`);
    }
    const seconds = (Date.now() - started) / 1000;
    this.log(`${name}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s)`);
    return rows;
  }
}

/** Tables whose secondary indexes are dropped during the load and built again after it. */
const BULK_TABLES = ['users', 'applications', 'application_history', 'placements', 'checklist_items', 'host_families', 'host_family_vettings'];

/**
 * Fills the `exchange` database of a cluster whose migrations have run. Returns what the
 * scenarios need (ids, the arrivals window, the write scenario's applications).
 */
export async function generate(cluster: BenchCluster, scale: number, log: Log): Promise<Fixtures> {
  const sizes = sizesFor(scale);
  const { institutions: I, programs: P, benchPrograms: B, applications: N, studentsPerInstitution: M, families: F, benchFamilies: F0 } = sizes;
  const now = new Date();
  const today = isoDay(now);
  const windowFrom = addDays(today, -7);
  const windowTo = addDays(today, 22);
  log(`scale ${scale}: ${I} institutions, ${P} programmes (${B} to the bench's institution), ${N.toLocaleString('en')} applications, ${sizes.students.toLocaleString('en')} students, ${F.toLocaleString('en')} families`);
  const hash = await argon2.hash(PASSWORD, ARGON2_OPTIONS);
  const progress = new Progress(log);

  return cluster.admin(async (db: pg.Client) => {
    await db.query(`SET session_replication_role = replica`); // no foreign-key triggers: the rows are consistent by construction
    await db.query(`SET synchronous_commit = off`);
    await db.query(`SET TimeZone = 'UTC'`);
    await db.query(UID_FUNCTION);
    await db.query(`SET maintenance_work_mem = '1GB'`);
    await db.query(`SET max_parallel_maintenance_workers = 2`);
    await db.query(`SET work_mem = '256MB'`);
    const { rows: indexes } = await db.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [BULK_TABLES],
    );
    for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);

    const gen = now.toISOString();
    // ---- institutions, agreements, programmes: small, made here and sent as arrays.
    const institutions = Array.from({ length: I }, (_, i) => {
      const c = COUNTRIES[i % 3];
      const city = c.cities[Math.floor(i / 3) % c.cities.length];
      const kind = i % 4 === 3 ? 'school' : 'university';
      return { id: uid('inst', i), name: `${kind === 'school' ? 'Lycée' : 'University'} ${city} ${i}`, short: `${city.slice(0, 3).toUpperCase()}${i}`, city, ...c, kind };
    });
    await progress.table('institutions', 1, 1, async () => {
      const result = await db.query(
        `INSERT INTO institutions (id, name, short_name, city, country, kind, timezone, erasmus_code, created_at, updated_at)
         SELECT id, name, short, city, country, kind::institution_kind, tz, 'F  ' || upper(short), $8, $8
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, name, short, city, country, kind, tz)`,
        [institutions.map((x) => x.id), institutions.map((x) => x.name), institutions.map((x) => x.short), institutions.map((x) => x.city), institutions.map((x) => x.country), institutions.map((x) => x.kind), institutions.map((x) => x.timezone), gen],
      );
      return result.rowCount ?? 0;
    });

    // Programme p: the first B are received by institution 0; the others go from p % I to one of five neighbours.
    const programs = Array.from({ length: P }, (_, p) => {
      let sending: number;
      let receiving: number;
      if (p < B) {
        receiving = 0;
        sending = 1 + (p % (I - 1));
      } else {
        sending = p % I;
        receiving = (sending + 1 + (Math.floor(p / I) % 5)) % I;
        if (receiving === 0) receiving = (sending + 6) % I;
      }
      const next = p % 2 === 1; // next year's: open for applications now; this year's: under way
      const startsOn = next ? addDays(today, 270) : addDays(today, -95);
      const endsOn = addDays(startsOn, p % 3 === 0 ? 300 : 150);
      const accommodation = p % 5 <= 1 ? 'host_family' : p % 5 === 2 ? 'residence' : 'none';
      const status = p >= B && p % 20 === 11 ? 'closed' : p >= B && p % 20 === 13 ? 'cancelled' : 'published';
      return {
        p,
        id: uid('prog', p),
        sending,
        receiving,
        title: `${p % 3 === 0 ? 'Academic year' : 'Semester'} in ${institutions[receiving].city} (${institutions[sending].short} → ${institutions[receiving].short}) #${p}`,
        startsOn,
        endsOn,
        year: academicYear(startsOn),
        opensAt: next ? addDays(today, -30) : addDays(today, -300),
        closesAt: next ? addDays(today, 100) : addDays(today, -150),
        accommodation,
        status,
        language: institutions[receiving].language,
        offset: (p * 7) % M,
      };
    });
    const pairs = new Map<string, { id: string; a: number; b: number }>();
    for (const program of programs) {
      const [a, b] = [program.sending, program.receiving].sort((x, y) => x - y);
      const key = `${a}-${b}`;
      if (!pairs.has(key)) pairs.set(key, { id: uid('agreement', pairs.size), a, b });
    }
    const agreements = [...pairs.values()];
    await progress.table('agreements', 1, 1, async () => {
      const ids = agreements.map((x) => x.id);
      const inst = (n: number) => institutions[n];
      let rows = (
        await db.query(
          `INSERT INTO agreements (id, title, status, starts_on, ends_on, created_by, created_at, updated_at)
           SELECT id, title, 'active', $3::date, $4::date, creator, $5, $5 FROM unnest($1::uuid[], $2::text[], $6::uuid[]) AS t(id, title, creator)`,
          [ids, agreements.map((x) => `${inst(x.a).name} – ${inst(x.b).name}`), addDays(today, -730), addDays(today, 1095), gen, agreements.map((x) => uid('coord', x.a))],
        )
      ).rowCount!;
      rows += (
        await db.query(
          `INSERT INTO agreement_partners (agreement_id, institution_id, position)
           SELECT id, unnest(ARRAY[a, b]), unnest(ARRAY[0, 1]) FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS t(id, a, b)`,
          [ids, agreements.map((x) => uid('inst', x.a)), agreements.map((x) => uid('inst', x.b))],
        )
      ).rowCount!;
      rows += (
        await db.query(
          `INSERT INTO agreement_approvals (agreement_id, institution_id, approved_by, approved_at)
           SELECT id, unnest(ARRAY[a, b]), unnest(ARRAY[ca, cb]), $6::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS t(id, a, b, ca, cb)`,
          [ids, agreements.map((x) => uid('inst', x.a)), agreements.map((x) => uid('inst', x.b)), agreements.map((x) => uid('coord', x.a)), agreements.map((x) => uid('coord', x.b)), addDays(today, -700)],
        )
      ).rowCount!;
      return rows;
    });
    await progress.table('programs', 1, 1, async () => {
      const col = <T>(read: (x: (typeof programs)[number]) => T) => programs.map(read);
      return (
        await db.query(
          `INSERT INTO programs (id, agreement_id, title, description, sending_institution_id, receiving_institution_id, academic_year, starts_on, ends_on,
                                 application_opens_at, application_closes_at, seats, language_requirement, required_documents, accommodation, requires_learning_agreement, status, created_by, created_at, updated_at)
           SELECT id, agreement, title, 'An exchange between partner institutions: courses, a tutor, and a place to live. ' || title, sending, receiving, year, starts, ends,
                  opens::timestamptz, closes::timestamptz, 1, jsonb_build_object('language', lang, 'minLevel', 'B1'), ARRAY['transcript', 'passport']::text[], accommodation::program_accommodation,
                  p % 3 = 0, status::program_status, creator, $16, $16
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::date[], $8::date[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::uuid[], $15::int[])
                  AS t(id, agreement, title, sending, receiving, year, starts, ends, opens, closes, lang, accommodation, status, creator, p)`,
          [
            col((x) => x.id),
            col((x) => pairs.get([x.sending, x.receiving].sort((a, b) => a - b).join('-'))!.id),
            col((x) => x.title),
            col((x) => uid('inst', x.sending)),
            col((x) => uid('inst', x.receiving)),
            col((x) => x.year),
            col((x) => x.startsOn),
            col((x) => x.endsOn),
            col((x) => `${x.opensAt}T08:00:00Z`),
            col((x) => `${x.closesAt}T22:00:00Z`),
            col((x) => x.language),
            col((x) => x.accommodation),
            col((x) => x.status),
            col((x) => uid('coord', x.sending)),
            col((x) => x.p),
            gen,
          ],
        )
      ).rowCount!;
    });
    // The programmes as the big statements below join them.
    await db.query(`CREATE TEMP TABLE bp (p int PRIMARY KEY, id uuid, sending int, receiving int, host_family boolean, starts_on date, ends_on date, country text, off int)`);
    await db.query(
      `INSERT INTO bp SELECT * FROM unnest($1::int[], $2::uuid[], $3::int[], $4::int[], $5::boolean[], $6::date[], $7::date[], $8::text[], $9::int[])`,
      [programs.map((x) => x.p), programs.map((x) => x.id), programs.map((x) => x.sending), programs.map((x) => x.receiving), programs.map((x) => x.accommodation === 'host_family'), programs.map((x) => x.startsOn), programs.map((x) => x.endsOn), programs.map((x) => institutions[x.receiving].country), programs.map((x) => x.offset)],
    );
    await db.query(`CREATE TEMP TABLE bi (i int PRIMARY KEY, country text, language text)`);
    await db.query(`INSERT INTO bi SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [institutions.map((_, i) => i), institutions.map((x) => x.country), institutions.map((x) => x.language)]);

    // ---- host families (before the users: family accounts point at them), and their vettings.
    const familyInstitution = `(CASE WHEN f < ${F0} THEN 0 ELSE 1 + (f - ${F0}) % ${I - 1} END)`;
    await progress.table('host_families', F, 100_000, async (from, to) =>
      (
        await db.query(
          `INSERT INTO host_families (id, institution_id, display_name, contact_email, contact_phone, address, capacity, languages, has_pets, pet_types, smoking_household,
             diets_supported, accepts_minors, gender_preference, available_from, available_to, commute_minutes, status, vetting_expires_on, created_at, updated_at)
           SELECT pg_temp.uid('family:' || f), pg_temp.uid('inst:' || inst),
             (ARRAY['Martin','Bernard','Ivanov','Petrova','Müller','Schmidt','Dubois','Smirnov','Weber','Leroy'])[1 + f % 10] || ' family ' || f,
             'family' || f || '@bench.example', '+33 3 83 00 ' || lpad((f % 10000)::text, 4, '0'),
             jsonb_build_object('line1', (1 + f % 200) || ' Main Street', 'city', 'City ' || inst, 'postalCode', lpad((f % 99999)::text, 5, '0'), 'country', bi.country),
             1 + f % 3,
             CASE f % 4 WHEN 0 THEN ARRAY[bi.language] WHEN 1 THEN ARRAY[bi.language, 'en'] WHEN 2 THEN ARRAY[bi.language, 'fr'] ELSE ARRAY[bi.language, 'de', 'en'] END,
             f % 3 = 0, CASE WHEN f % 3 = 0 THEN (CASE f % 2 WHEN 0 THEN ARRAY['cat'] ELSE ARRAY['dog'] END) ELSE ARRAY[]::text[] END,
             f % 4 = 0,
             CASE f % 5 WHEN 0 THEN ARRAY['vegetarian'] WHEN 1 THEN ARRAY['vegetarian', 'halal'] ELSE ARRAY[]::text[] END,
             f % 5 <> 0,
             (CASE f % 6 WHEN 0 THEN 'female' WHEN 3 THEN 'male' ELSE 'any' END)::host_family_gender_preference,
             CASE WHEN f % 8 = 0 THEN $1::date + 120 ELSE $1::date - 200 END, $1::date + 700,
             5 + f % 70,
             (CASE WHEN f % 10 = 0 THEN 'pending_vetting' WHEN f % 37 = 0 THEN 'rejected' ELSE 'approved' END)::host_family_status,
             CASE WHEN f % 10 = 0 THEN NULL WHEN f % 12 = 0 THEN $1::date - 1 - f % 30 ELSE $1::date + 30 + f % 300 END,
             $2::timestamptz - (f % 700) * interval '1 day', $2::timestamptz
           FROM generate_series($3::int, $4::int) f CROSS JOIN LATERAL (SELECT ${familyInstitution} AS inst) x JOIN bi ON bi.i = x.inst`,
          [today, gen, from, to],
        )
      ).rowCount!,
    );
    await progress.table('host_family_vettings', 1, 1, async () =>
      (
        await db.query(
          `INSERT INTO host_family_vettings (host_family_id, background_check_on, home_visit_on, outcome, notes, expires_on, recorded_by, recorder_role, recorded_at)
           SELECT id, vetting_expires_on - 365, vetting_expires_on - 360, 'approved', 'Home visited, references checked.', vetting_expires_on,
                  pg_temp.uid('coord:' || bi.i), 'coordinator', (vetting_expires_on - 360)::timestamptz
             FROM host_families f JOIN bi ON pg_temp.uid('inst:' || bi.i) = f.institution_id WHERE vetting_expires_on IS NOT NULL`,
        )
      ).rowCount!,
    );

    // ---- users: an admin, two coordinators and a host-school account per institution, the students, one account per family.
    const S = sizes.students;
    const firstNames = `ARRAY['Anna','Louis','Olga','Jonas','Chloé','Dmitri','Lena','Hugo','Maria','Felix','Sofia','Ivan','Emma','Paul','Alina','Lukas','Inès','Artem','Mia','Noah']`;
    const lastNames = `ARRAY['Moreau','Kuznetsova','Fischer','Lefebvre','Popov','Wagner','Garcia','Sokolova','Becker','Roux','Volkov','Hoffmann','Fournier','Orlova','Schulz','Girard','Lebedev','Koch','Bonnet','Novikova','Richter','Lambert','Morozov','Klein','Fontaine']`;
    await progress.table('users (staff)', 1, 1, async () => {
      let rows = (await db.query(`INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ($1, 'admin@bench.example', $2, 'Bench Admin', 'admin', $3)`, [uid('admin', 0), hash, gen])).rowCount!;
      rows += (
        await db.query(
          `INSERT INTO users (id, email, password_hash, full_name, role, institution_id, locale, created_at)
           SELECT pg_temp.uid(kind || ':' || i), kind || i || '@bench.example', $1, initcap(kind) || ' ' || i, role::user_role, pg_temp.uid('inst:' || i), (ARRAY['fr','ru','en'])[1 + i % 3]::user_locale, $2
             FROM generate_series(0, $3::int - 1) i, (VALUES ('coord', 'coordinator'), ('coordb', 'coordinator'), ('school', 'host_school')) AS k(kind, role)`,
          [hash, gen, I],
        )
      ).rowCount!;
      return rows;
    });
    await progress.table('users (students)', S, 200_000, async (from, to) =>
      (
        await db.query(
          `INSERT INTO users (id, email, password_hash, full_name, role, institution_id, locale, created_at, updated_at)
           SELECT pg_temp.uid('student:' || j), 'student' || j || '@bench.example', $1, (${firstNames})[1 + j % 20] || ' ' || (${lastNames})[1 + (j / 20) % 25],
                  'student', pg_temp.uid('inst:' || (j / $2::int)), (ARRAY['en','fr','ru'])[1 + j % 3]::user_locale, $3::timestamptz - (j % 900) * interval '1 day', $3::timestamptz
             FROM generate_series($4::int, $5::int) j`,
          [hash, M, gen, from, to],
        )
      ).rowCount!,
    );
    await progress.table('users (families)', F, 200_000, async (from, to) =>
      (
        await db.query(
          `INSERT INTO users (id, email, password_hash, full_name, role, institution_id, host_family_id, created_at)
           SELECT pg_temp.uid('familyuser:' || f), 'familyuser' || f || '@bench.example', $1, 'Family member ' || f, 'host_family', pg_temp.uid('inst:' || ${familyInstitution}), pg_temp.uid('family:' || f), $2
             FROM generate_series($3::int, $4::int) f`,
          [hash, gen, from, to],
        )
      ).rowCount!,
    );

    // ---- applications, in every status. One SELECT describes an application a (program a % P, its (a / P)-th applicant);
    // the history, placements and checklists below are written from the same description.
    const statusOf = `CASE
        WHEN h < 80 THEN 'draft' WHEN h < 180 THEN 'submitted' WHEN h < 310 THEN 'nominated' WHEN h < 340 THEN 'waitlisted'
        WHEN h < 450 THEN 'accepted' WHEN h < 575 THEN 'confirmed' WHEN h < 700 THEN 'arrived' WHEN h < 850 THEN 'completed'
        WHEN h < 910 THEN 'rejected' WHEN h < 930 THEN 'declined' WHEN h < 970 THEN 'withdrawn' ELSE 'cancelled' END`;
    const described = (extra = '') => `
      SELECT g.a, g.h, g.t, bp.*, s.status, pg_temp.uid('app:' || g.a) AS app_id,
             pg_temp.uid('student:' || (bp.sending * ${M} + (bp.off + g.t) % ${M})) AS student_id,
             c.created,
             CASE WHEN s.status NOT IN ('confirmed', 'arrived', 'completed') THEN NULL
                  WHEN bp.receiving = 0 AND s.status = 'confirmed' THEN ($1::date + 7)::timestamptz + ((g.a::bigint * 13) % ((${Math.max(1, daysBetween(windowFrom, windowTo) - 7)}) * 86400)) * interval '1 second' + interval '6 hours'
                  WHEN bp.receiving = 0 AND s.status = 'arrived' THEN $1::date::timestamptz + ((g.a::bigint * 13) % (7 * 86400)) * interval '1 second'
                  WHEN s.status = 'confirmed' THEN ($2::date + 1)::timestamptz + ((g.a::bigint * 13) % (60 * 86400)) * interval '1 second'
                  WHEN s.status = 'arrived' THEN $2::date::timestamptz - ((g.a::bigint * 13) % (60 * 86400)) * interval '1 second'
                  ELSE ($1::date - 40)::timestamptz - ((g.a::bigint * 13) % (200 * 86400)) * interval '1 second' END AS arrival,
             (bp.host_family AND g.t % 10 < 6 AND s.status IN ('accepted', 'confirmed', 'arrived', 'completed')) AS placed,
             CASE WHEN bp.receiving = 0 THEN (g.a::bigint * 7919) % ${F0}
                  ELSE ${F0} + ((g.a::bigint * 7919) % ${Math.max(1, Math.floor((F - F0) / (I - 1)))}) * ${I - 1} + (bp.receiving - 1) END AS family
             ${extra}
        FROM (SELECT a, a % ${P} AS p, a / ${P} AS t, (a::bigint * 2654435761 % 4294967296) % 1000 AS h FROM generate_series($3::int, $4::int) a) g
        JOIN bp ON bp.p = g.p
        CROSS JOIN LATERAL (SELECT ${statusOf} AS status) s
        CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', $5::timestamptz - interval '30 days' - ((g.a::bigint * 7919) % 31536000) * interval '1 second' - (g.a % 997) * interval '1 millisecond') AS created) c`;
    const window = (from: number, to: number) => [windowFrom, today, from, to, gen];
    const chunk = Math.max(10_000, Math.min(250_000, Math.ceil(N / 8)));
    await progress.table('applications', N, chunk, async (from, to) =>
      (
        await db.query(
          `INSERT INTO applications (id, program_id, student_id, sending_institution_id, receiving_institution_id, status, motivation, language_levels, date_of_birth, gender, matching_profile,
             submitted_at, nominated_at, accepted_at, arrived_at, created_at, updated_at, travel, expected_arrival_at)
           SELECT d.app_id, d.id, d.student_id, pg_temp.uid('inst:' || d.sending), pg_temp.uid('inst:' || d.receiving), d.status::application_status,
             'I would like to study at your institution for a semester: its courses match my studies, and I want to improve my language and meet students from another country. #' || d.a,
             jsonb_build_array(jsonb_build_object('language', (ARRAY['fr','ru','de','en'])[1 + d.a % 4], 'level', (ARRAY['A2','B1','B2','C1'])[1 + d.h % 4])),
             DATE '2001-01-01' + (d.a % 3650)::int,
             (ARRAY['female','male','other'])[1 + d.h % 3]::application_gender,
             jsonb_build_object('languages', CASE d.a % 3 WHEN 0 THEN '["fr","en"]'::jsonb WHEN 1 THEN '["ru"]'::jsonb ELSE '["de","en"]'::jsonb END,
                                'diet', CASE WHEN d.a % 7 = 0 THEN '["vegetarian"]'::jsonb ELSE '[]'::jsonb END,
                                'allergies', CASE WHEN d.a % 11 = 0 THEN '["cats"]'::jsonb ELSE '[]'::jsonb END,
                                'smoker', d.a % 13 = 0, 'notes', ''),
             CASE WHEN d.status <> 'draft' THEN d.created + interval '1 day' END,
             CASE WHEN d.status IN ('nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived', 'completed', 'declined', 'cancelled') OR (d.status = 'rejected' AND d.h % 2 = 0) THEN d.created + interval '5 days' END,
             CASE WHEN d.status IN ('accepted', 'confirmed', 'arrived', 'completed', 'declined', 'cancelled') THEN d.created + interval '10 days' END,
             CASE WHEN d.status IN ('arrived', 'completed') THEN date_trunc('milliseconds', d.arrival + interval '2 hours') END,
             d.created, d.created + interval '12 days',
             CASE WHEN d.arrival IS NOT NULL THEN jsonb_build_object('arrivalAt', to_char(d.arrival AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'transportMode', (ARRAY['plane','train','bus','car'])[1 + d.a % 4], 'reference', 'AF' || (1000 + d.a % 9000), 'arrivalPoint', 'Central station', 'needsPickup', d.a % 2 = 0) END,
             date_trunc('milliseconds', d.arrival)
           FROM (${described()}) d`,
          window(from, to),
        )
      ).rowCount!,
    );

    // The history: one entry per transition, along each status's path.
    await db.query(`CREATE TEMP TABLE paths (status text, rejected_by_receiving boolean, n int, action text, from_s text, to_s text, who text)`);
    const path = (status: string, steps: [string, string | null, string, string][], byReceiving: boolean | null = null) =>
      steps.map(([action, from, to, who], n) => `('${status}', ${byReceiving}, ${n}, '${action}', ${from ? `'${from}'` : 'NULL'}, '${to}', '${who}')`);
    const create: [string, string | null, string, string] = ['create', null, 'draft', 's'];
    const submit: [string, string | null, string, string] = ['submit', 'draft', 'submitted', 's'];
    const nominate: [string, string | null, string, string] = ['nominate', 'submitted', 'nominated', 'c'];
    const accept: [string, string | null, string, string] = ['accept', 'nominated', 'accepted', 'r'];
    const confirm: [string, string | null, string, string] = ['confirm', 'accepted', 'confirmed', 's'];
    const checkIn: [string, string | null, string, string] = ['check-in', 'confirmed', 'arrived', 'r'];
    await db.query(
      `INSERT INTO paths VALUES ${[
        ...path('draft', [create]),
        ...path('submitted', [create, submit]),
        ...path('nominated', [create, submit, nominate]),
        ...path('waitlisted', [create, submit, nominate, ['waitlist', 'nominated', 'waitlisted', 'r']]),
        ...path('accepted', [create, submit, nominate, accept]),
        ...path('confirmed', [create, submit, nominate, accept, confirm]),
        ...path('arrived', [create, submit, nominate, accept, confirm, checkIn]),
        ...path('completed', [create, submit, nominate, accept, confirm, checkIn, ['complete', 'arrived', 'completed', 'r']]),
        ...path('rejected', [create, submit, nominate, ['reject', 'nominated', 'rejected', 'r']], true),
        ...path('rejected', [create, submit, ['reject', 'submitted', 'rejected', 'c']], false),
        ...path('declined', [create, submit, nominate, accept, ['decline', 'accepted', 'declined', 's']]),
        ...path('withdrawn', [create, submit, ['withdraw', 'submitted', 'withdrawn', 's']]),
        ...path('cancelled', [create, submit, nominate, accept, ['cancel', 'accepted', 'cancelled', 'r']]),
      ].join(', ')}`,
    );
    await progress.table('application_history', N, chunk, async (from, to) =>
      (
        await db.query(
          `INSERT INTO application_history (application_id, action, from_status, to_status, actor_id, actor_role, comment, reason, created_at)
           SELECT d.app_id, x.action, x.from_s, x.to_s,
                  CASE x.who WHEN 's' THEN d.student_id WHEN 'c' THEN pg_temp.uid('coord:' || d.sending) ELSE pg_temp.uid('coord:' || d.receiving) END,
                  CASE x.who WHEN 's' THEN 'student' ELSE 'coordinator' END,
                  CASE WHEN x.action = 'nominate' THEN 'Good grades, motivated.' END,
                  CASE WHEN x.action IN ('reject', 'cancel') THEN 'The places were given to other students.' END,
                  CASE x.action WHEN 'create' THEN d.created WHEN 'submit' THEN d.created + interval '1 day' WHEN 'nominate' THEN d.created + interval '5 days'
                    WHEN 'accept' THEN d.created + interval '10 days' WHEN 'check-in' THEN date_trunc('milliseconds', d.arrival + interval '2 hours')
                    WHEN 'complete' THEN date_trunc('milliseconds', d.arrival + interval '150 days') ELSE d.created + interval '12 days' END
             FROM (${described()}) d
             JOIN paths x ON x.status = d.status AND (x.rejected_by_receiving IS NULL OR x.rejected_by_receiving = (d.h % 2 = 0))
            ORDER BY d.a, x.n`,
          window(from, to),
        )
      ).rowCount!,
    );
    await progress.table('placements', N, chunk, async (from, to) =>
      (
        await db.query(
          `INSERT INTO placements (application_id, host_family_id, student_id, receiving_institution_id, starts_on, ends_on, status, accepted_at, ended_on, proposed_by, created_at, updated_at)
           SELECT d.app_id, pg_temp.uid('family:' || d.family), d.student_id, pg_temp.uid('inst:' || d.receiving), d.starts_on, d.ends_on,
                  (CASE WHEN d.status = 'completed' THEN 'ended' WHEN d.status = 'accepted' AND d.h % 2 = 1 THEN 'proposed' ELSE 'accepted' END)::placement_status,
                  CASE WHEN NOT (d.status = 'accepted' AND d.h % 2 = 1) THEN d.created + interval '13 days' END,
                  CASE WHEN d.status = 'completed' THEN d.ends_on END,
                  pg_temp.uid('coord:' || d.receiving), d.created + interval '11 days', d.created + interval '13 days'
             FROM (${described()}) d WHERE d.placed`,
          window(from, to),
        )
      ).rowCount!,
    );
    await progress.table('checklist_items', N, chunk, async (from, to) =>
      (
        await db.query(
          `INSERT INTO checklist_items (application_id, code, sequence, due_on, responsible, host_family_id, completed_at, completed_by, completed_by_role, created_at)
           SELECT d.app_id, x.code, x.seq, (d.arrival AT TIME ZONE 'UTC')::date + x.days, x.responsible::checklist_responsible,
                  CASE WHEN x.responsible = 'host_family' THEN pg_temp.uid('family:' || d.family) END,
                  CASE WHEN d.status = 'completed' OR ((d.arrival AT TIME ZONE 'UTC')::date + x.days < $2::date AND (d.a + x.seq + length(x.code)) % 10 < 7)
                       THEN date_trunc('milliseconds', d.arrival + (x.days - 1) * interval '1 day') END,
                  CASE WHEN d.status = 'completed' OR ((d.arrival AT TIME ZONE 'UTC')::date + x.days < $2::date AND (d.a + x.seq + length(x.code)) % 10 < 7)
                       THEN pg_temp.uid('school:' || d.receiving) END,
                  CASE WHEN d.status = 'completed' OR ((d.arrival AT TIME ZONE 'UTC')::date + x.days < $2::date AND (d.a + x.seq + length(x.code)) % 10 < 7)
                       THEN 'host_school' END,
                  date_trunc('milliseconds', d.arrival + interval '2 hours')
             FROM (${described()}) d
             JOIN LATERAL (VALUES ('orientation', 1, 7, 'host_school', true), ('welfare_check', 1, 30, 'host_school', true), ('welfare_check', 2, 60, 'host_school', true),
                                  ('host_family_welcome_check', 1, 3, 'host_family', d.placed), ('migration_registration', 1, 9, CASE WHEN d.placed THEN 'host_family' ELSE 'host_school' END, d.country = 'RU'),
                                  ('visa_validation', 1, 90, 'host_school', d.country = 'FR'), ('address_registration', 1, 14, 'host_school', d.country = 'DE'))
                  AS x(code, seq, days, responsible, applies) ON x.applies
            WHERE d.status IN ('arrived', 'completed')`,
          window(from, to),
        )
      ).rowCount!,
    );

    // Seats: every programme holds its seat-holders and room for all it has nominated or waitlisted (the write scenario accepts them);
    // the agreements' quotas are the seats of their directions.
    await progress.table('seats and quotas', 1, 1, async () => {
      await db.query(
        `UPDATE programs p SET seats = GREATEST(1, c.n + 10)
           FROM (SELECT program_id, count(*) FILTER (WHERE status IN ('accepted', 'confirmed', 'arrived', 'completed', 'nominated', 'waitlisted'))::int AS n FROM applications GROUP BY program_id) c
          WHERE c.program_id = p.id`,
      );
      return (
        await db.query(
          `INSERT INTO agreement_quotas (agreement_id, from_institution_id, to_institution_id, academic_year, seats)
           SELECT agreement_id, sending_institution_id, receiving_institution_id, academic_year, sum(seats) FROM programs GROUP BY 1, 2, 3, 4`,
        )
      ).rowCount!;
    });

    const indexStarted = Date.now();
    for (const index of indexes) await db.query(index.def);
    log(`indexes: ${indexes.length} built again in ${((Date.now() - indexStarted) / 1000).toFixed(1)} s`);
    await db.query(`RESET session_replication_role`);
    const vacuumStarted = Date.now();
    await db.query(`VACUUM (ANALYZE)`);
    log(`VACUUM ANALYZE in ${((Date.now() - vacuumStarted) / 1000).toFixed(1)} s`);

    // ---- what the scenarios need.
    const institutionId = uid('inst', 0);
    const { rows: tables } = await db.query<{ name: string; rows: string }>(
      `SELECT c.relname AS name, c.reltuples::bigint AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('public', 'audit') AND c.reltuples > 0 ORDER BY c.reltuples DESC`,
    );
    const one = async (sql: string, params: unknown[]) => {
      const { rows } = await db.query(sql, params);
      if (!rows.length) throw new Error(`the generated data has no row for: ${sql}`);
      return rows[0] as Record<string, string>;
    };
    const student = await one(
      `SELECT u.id, u.email FROM users u WHERE u.role = 'student' AND u.institution_id = $1
         AND EXISTS (SELECT 1 FROM programs p WHERE p.sending_institution_id = u.institution_id AND p.status = 'published' AND p.application_opens_at <= now() AND p.application_closes_at > now())
       ORDER BY u.email LIMIT 1`,
      [uid('inst', 1)],
    );
    const application = await one(
      `SELECT a.id FROM applications a WHERE a.receiving_institution_id = $1 AND a.status = 'confirmed' AND a.travel IS NOT NULL ORDER BY a.id LIMIT 1`,
      [institutionId],
    );
    const match = await one(
      `SELECT a.id FROM applications a JOIN programs p ON p.id = a.program_id
        WHERE a.receiving_institution_id = $1 AND a.status = 'accepted' AND p.accommodation = 'host_family' AND a.matching_profile -> 'allergies' = '[]' AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.application_id = a.id)
        ORDER BY a.id LIMIT 1`,
      [institutionId],
    );
    const arrivals = await one(
      `SELECT count(*)::int AS n FROM applications a JOIN institutions i ON i.id = a.receiving_institution_id
        WHERE a.receiving_institution_id = $1 AND a.status IN ('confirmed', 'arrived') AND a.expected_arrival_at IS NOT NULL
          AND (a.expected_arrival_at AT TIME ZONE i.timezone)::date BETWEEN $2::date AND $3::date`,
      [institutionId, windowFrom, windowTo],
    );
    const incoming = await one(`SELECT count(*)::int AS n FROM applications WHERE receiving_institution_id = $1 AND nominated_at IS NOT NULL`, [institutionId]);
    const { rows: nominated } = await db.query<{ applicationId: string; coordinatorId: string }>(
      `SELECT a.id AS "applicationId", pg_temp.uid('coord:' || bi.i) AS "coordinatorId" FROM applications a JOIN bi ON pg_temp.uid('inst:' || bi.i) = a.receiving_institution_id
        WHERE a.status = 'nominated' ORDER BY md5(a.id::text) LIMIT 50000`,
    );
    // The sessions the bench's access tokens belong to (their `sid`, see bench/scenarios.ts): one open refresh-token family per
    // coordinator and for the student measured, whose id is the user's.
    await db.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, created_at)
       SELECT id, id, encode(sha256(convert_to('bench session ' || id, 'UTF8')), 'hex'), $2::timestamptz + interval '10 years', $2 FROM users WHERE role = 'coordinator' OR id = $1`,
      [student.id, gen],
    );
    await db.query(`DROP TABLE bp, bi, paths`);
    return {
      scale,
      generatedAt: gen,
      today,
      sizes,
      rows: Object.fromEntries(tables.map((t) => [t.name, Number(t.rows)])),
      password: PASSWORD,
      institutionId,
      coordinator: { id: uid('coord', 0), email: 'coord0@bench.example' },
      student: { id: student.id, email: student.email },
      applicationId: application.id,
      matchApplicationId: match.id,
      arrivals: { from: windowFrom, to: windowTo, inWindow: Number(arrivals.n) },
      incomingVisible: Number(incoming.n),
      nominated,
    };
  });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Migrations as the application's role (as the API runs them at start), then the audit log handed to its owner. */
export async function migrate(cluster: BenchCluster, log: Log): Promise<void> {
  const started = Date.now();
  const dataSource = createDataSource(cluster.appUrl);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  await protectAudit(cluster);
  log(`migrations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Alone: a throw-away cluster at the given scale, to see how fast each table is written.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--scale');
  const scale = at > 0 ? Number(process.argv[at + 1]) : 0.01;
  const dir = mkdtempSync(join(tmpdir(), 'exchange-bench-generate-'));
  const log = (line: string) => console.log(`[generate] ${line}`);
  const cluster = await openCluster(dir, { fast: true, log });
  try {
    await migrate(cluster, log);
    const started = Date.now();
    const fixtures = await generate(cluster, scale, log);
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify({ ...fixtures, nominated: fixtures.nominated.length })}`);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
