/**
 * The baseline's SQL: for each route the bench measures, exactly the statements the API
 * sends for it, in the same order and by the same protocol (a simple query when there are
 * no parameters, the extended protocol's unnamed statement when there are, a named
 * prepared statement when the API names it), and the little logic that links them.
 *
 * The bench captures the API's statements from PostgreSQL's log at every run and compares
 * them with what this file sends: when the API's SQL changes, the bench says so (and
 * writes the API's new statements in bench/results/latest.md); this file is then the only
 * one to update.
 */

import { todayUtc } from '../../src/common/calendar.js';
// How the API turns an application into the matching query's parameters: the product's own code, so that both send the same values.
import { allergensOf, studentProfileOf } from '../../src/placements/matching.js';

/** The access tokens' checks (src/auth/token.service.ts). */
export const JWT = { algorithm: 'HS256', issuer: 'exchange-api', audience: 'exchange-api' } as const;

/** A statement: its text, or a named prepared statement. */
export type Sql = string | { name: string; text: string };

export type Row = Record<string, any>;

export interface Db {
  query(sql: Sql, values?: unknown[]): Promise<Row[]>;
  /** START TRANSACTION … COMMIT on one connection. */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

export interface Request {
  /** The token's subject (verified), or null without a token. */
  sub: string | null;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface Route {
  /** The bench's scenario this route answers. */
  scenario: string;
  method: 'GET' | 'POST';
  pattern: RegExp;
  auth: boolean;
  handle(db: Db, request: Request): Promise<Answer>;
}

// ---- The statements. TypeORM's select lists ("alias"."column" AS "alias_column") are written from the columns.

const select = (alias: string, columns: readonly string[]) => columns.map((c) => `"${alias}"."${c}" AS "${alias}_${c}"`).join(', ');
const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

const USER_CALLER = ['id', 'role', 'institution_id', 'host_family_id', 'locale'];
const PROGRAM = ['id', 'agreement_id', 'title', 'description', 'sending_institution_id', 'receiving_institution_id', 'academic_year', 'starts_on', 'ends_on', 'application_opens_at', 'application_closes_at', 'seats', 'language_requirement', 'required_documents', 'accommodation', 'requires_learning_agreement', 'status', 'created_by', 'created_at', 'updated_at'];
const APPLICATION = ['id', 'program_id', 'student_id', 'sending_institution_id', 'receiving_institution_id', 'status', 'motivation', 'language_levels', 'date_of_birth', 'gender', 'matching_profile', 'submitted_at', 'nominated_at', 'accepted_at', 'arrived_at', 'travel', 'expected_arrival_at', 'created_at', 'updated_at'];
const PLACEMENT = ['id', 'application_id', 'host_family_id', 'student_id', 'receiving_institution_id', 'starts_on', 'ends_on', 'status', 'accepted_at', 'ended_on', 'reason', 'proposed_by', 'created_at', 'updated_at'];
const FAMILY = ['id', 'institution_id', 'display_name', 'contact_email', 'contact_phone', 'address', 'capacity', 'languages', 'has_pets', 'pet_types', 'smoking_household', 'diets_supported', 'accepts_minors', 'gender_preference', 'available_from', 'available_to', 'commute_minutes', 'status', 'vetting_expires_on', 'suspension_reason', 'created_at', 'updated_at'];
const INSTITUTION = ['id', 'name', 'short_name', 'city', 'country', 'kind', 'timezone', 'schac_code', 'erasmus_code', 'created_at', 'updated_at'];
const STUDENT = `"student"."id" AS "student_id", "student"."full_name" AS "student_full_name"`;

/** The caller, reloaded on every authenticated request (src/auth/jwt.strategy.ts → UsersRepository.findCaller). */
export const CALLER = `SELECT ${select('User', USER_CALLER)} FROM "users" "User" WHERE (("User"."id" = $1) AND ("User"."erased_at" IS NULL)) LIMIT 1`;

/** A student's programmes open for applications (ProgramsRepository.listVisible, scope of program.rules.ts): $1 'published', $2 now, $3 the home institution. */
export const programsOpenForStudent = (limit: number) =>
  `SELECT ${select('program', PROGRAM)} FROM "programs" "program" WHERE TRUE AND ((TRUE AND "program"."status" = $1 AND "program"."application_closes_at" > $2 AND "program"."sending_institution_id" = $3)) AND "program"."status" = 'published' AND "program"."application_opens_at" <= now() AND "program"."application_closes_at" > now() ORDER BY "program"."starts_on" ASC, "program"."id" ASC LIMIT ${limit + 1}`;

/** A coordinator's incoming applications, newest first (ApplicationsRepository.page, branch `incoming`): $1 the institution, after the cursor $2, $3. */
export const incomingApplications = (limit: number, cursor: boolean) =>
  `SELECT ${select('application', APPLICATION)}, ${STUDENT} FROM "applications" "application" LEFT JOIN "users" "student" ON "student"."id"="application"."student_id" WHERE TRUE AND "application"."receiving_institution_id" = $1 AND "application"."nominated_at" IS NOT NULL${cursor ? ` AND ("application"."created_at", "application"."id") < ($2, $3)` : ''} ORDER BY "application"."created_at" DESC, "application"."id" DESC LIMIT ${limit + 1}`;

/** The programmes of a page of applications (ProgramsRepository.findByIds). */
export const programsByIds = (count: number) => `SELECT ${select('Program', PROGRAM)} FROM "programs" "Program" WHERE (("Program"."id" IN (${placeholders(1, count)})))`;

/** The live placements of a page of applications (the `placement` detail of the application's answer): then 'proposed', 'accepted'. */
export const placementsOf = (count: number) =>
  `SELECT ${select('placement', PLACEMENT)}, ${select('application', APPLICATION)}, ${STUDENT}, ${select('family', FAMILY)} FROM "placements" "placement" INNER JOIN "applications" "application" ON "application"."id"="placement"."application_id" INNER JOIN "users" "student" ON "student"."id"="application"."student_id"  INNER JOIN "host_families" "family" ON "family"."id"="placement"."host_family_id" WHERE "placement"."application_id" IN (${placeholders(1, count)}) AND "placement"."status" IN (${placeholders(count + 1, 2)})`;

/** One application with its student's name (ApplicationsRepository.findById). */
export const APPLICATION_BY_ID = `SELECT ${select('application', APPLICATION)}, ${STUDENT} FROM "applications" "application" LEFT JOIN "users" "student" ON "student"."id"="application"."student_id" WHERE "application"."id" = $1`;

/** One programme (ProgramsRepository.findById). */
export const PROGRAM_BY_ID = `SELECT ${select('Program', PROGRAM)} FROM "programs" "Program" WHERE (("Program"."id" = $1)) LIMIT 1`;

/** The public list of institutions, by name (no parameter: a simple query). */
export const institutionsPage = (limit: number) => `SELECT ${select('institution', INSTITUTION)} FROM "institutions" "institution" ORDER BY "institution"."name" ASC, "institution"."id" ASC LIMIT ${limit + 1}`;

/** The arrivals board of one institution (ArrivalsRepository.board), `where` its conditions and `limitParam` the limit's placeholder. */
export const arrivalsBoard = (where: string, limitParam: string) => `SELECT board.* FROM (
         SELECT a.id AS "applicationId", a.program_id AS "programId", p.title AS "programTitle", a.student_id AS "studentId", u.full_name AS "studentName",
                a.status AS "applicationStatus", CASE
  WHEN a.status = 'confirmed' AND a.expected_arrival_at < now() - interval '24 hours' THEN 'overdue'
  WHEN a.status = 'arrived' AND EXISTS (SELECT 1 FROM checklist_items o WHERE o.application_id = a.id AND o.completed_at IS NULL AND o.due_on < (now() AT TIME ZONE i.timezone)::date) THEN 'overdue'
  WHEN a.status = 'confirmed' THEN 'expected'
  ELSE 'arrived' END AS status, a.travel, a.expected_arrival_at AS "expectedArrivalAt", a.arrived_at AS "arrivedAt",
                f.id AS "familyId", f.display_name AS "familyName", f.address AS "familyAddress", f.contact_phone AS "familyPhone",
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = a.id) AS total,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = a.id AND c.completed_at IS NOT NULL) AS done,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = a.id AND c.completed_at IS NULL AND c.due_on < (now() AT TIME ZONE i.timezone)::date) AS overdue,
                a.updated_at AS "updatedAt"
         FROM applications a
         JOIN institutions i ON i.id = a.receiving_institution_id
         JOIN programs p ON p.id = a.program_id
         JOIN users u ON u.id = a.student_id
         LEFT JOIN placements pl ON pl.application_id = a.id AND pl.status = 'accepted'
         LEFT JOIN host_families f ON f.id = pl.host_family_id
         WHERE ${where}
         ORDER BY a.expected_arrival_at, a.id
       ) board 
       ORDER BY board."expectedArrivalAt", board."applicationId"
       LIMIT ${limitParam}`;

/** The families that pass the hard rules, scored and ranked (placements.repository.ts MATCHING_CANDIDATES). */
export const MATCHING_CANDIDATES = `
WITH candidate AS (
  SELECT f.id, f.display_name AS "displayName", f.status, f.vetting_expires_on::text AS "vettingExpiresOn", f.capacity, f.languages,
         f.has_pets AS "hasPets", f.pet_types AS "petTypes", f.smoking_household AS "smokingHousehold", f.diets_supported AS "dietsSupported",
         f.accepts_minors AS "acceptsMinors", f.gender_preference AS "genderPreference", f.available_from::text AS "availableFrom",
         f.available_to::text AS "availableTo", f.commute_minutes AS "commuteMinutes"
  FROM host_families f
  WHERE f.institution_id = $1 AND f.status = 'approved' AND f.vetting_expires_on > $2::date
    AND f.available_from <= $3::date AND f.available_to >= $4::date
    AND NOT (f.has_pets AND ($5 OR f.pet_types && $6::text[] OR (cardinality(f.pet_types) = 0 AND $7)))
    AND (f.gender_preference = 'any' OR f.gender_preference::text = $8)
    AND (f.accepts_minors OR NOT $9)
),
stay AS (
  SELECT p.host_family_id, greatest(p.starts_on, $3::date) AS first_day, p.ends_on + 1 AS free_again
  FROM placements p JOIN candidate c ON c.id = p.host_family_id
  -- a family's placements are all of its managing institution's students: one range of IDX_placements_institution
  WHERE p.receiving_institution_id = $1 AND p.status IN ('proposed', 'accepted') AND p.application_id <> $10 AND p.starts_on <= $4::date AND p.ends_on >= $3::date
),
change AS (
  SELECT host_family_id, first_day AS day, 1 AS delta FROM stay
  UNION ALL
  SELECT host_family_id, free_again, -1 FROM stay
),
occupancy AS (
  SELECT host_family_id, max(taken) AS peak
  FROM (SELECT host_family_id, sum(delta) OVER (PARTITION BY host_family_id ORDER BY day, delta ROWS UNBOUNDED PRECEDING) AS taken FROM change) running
  GROUP BY host_family_id
)
SELECT c.*, COALESCE(o.peak, 0)::int AS peak, (
  (CASE WHEN cardinality($11::text[]) = 0 THEN 0 WHEN c.languages && $11::text[] THEN 25 ELSE 0 END)
  + (CASE WHEN $12::text IS NULL OR $12::text = ANY(c.languages) THEN 25 ELSE 0 END)
  + (CASE WHEN cardinality($13::text[]) = 0 THEN 20
          ELSE round(20 * (SELECT count(*) FROM unnest($13::text[]) d WHERE d = ANY(c."dietsSupported"))::numeric / cardinality($13::text[])) END)
  + (CASE WHEN NOT c."smokingHousehold" THEN 15 WHEN $14::boolean THEN round(15 * 2 / 3.0) ELSE 0 END)
  + (CASE WHEN c."commuteMinutes" IS NULL THEN 0
          ELSE round(15 * (60 - LEAST(GREATEST(c."commuteMinutes", 20), 60))::numeric / 40) END))::int AS score
FROM candidate c LEFT JOIN occupancy o ON o.host_family_id = c.id
WHERE COALESCE(o.peak, 0) < c.capacity
ORDER BY score DESC, c.id
LIMIT $15`;

// ---- The routes.

const rowsOf = (rows: Row[], alias: string) =>
  rows.map((row) => {
    const item: Row = {};
    for (const [key, value] of Object.entries(row)) if (key.startsWith(`${alias}_`)) item[key.slice(alias.length + 1).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
    return item;
  });

function limitOf(query: URLSearchParams): number {
  const limit = Number(query.get('limit') ?? 20);
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 20;
}

/** The lists' cursors (src/common/pagination/pagination.ts): base64url of the JSON array of the last row's keys. */
export const cursors = {
  encode: (values: (string | number)[]) => Buffer.from(JSON.stringify(values)).toString('base64url'),
  decode: (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as (string | number)[],
};

const notFound: Answer = { status: 404, body: { code: 'not_found' } };

async function caller(db: Db, sub: string): Promise<Row | null> {
  return (await db.query(CALLER, [sub]))[0] ?? null;
}

/** The live placements of applications, by application id. */
async function placementsByApplication(db: Db, applications: Row[]): Promise<Map<string, Row>> {
  const rows = await db.query(placementsOf(applications.length), [...applications.map((a) => a.application_id), 'proposed', 'accepted']);
  return new Map(rowsOf(rows, 'placement').map((p) => [p.applicationId as string, p]));
}

export const routes: Route[] = [
  {
    scenario: 'programs-open',
    method: 'GET',
    pattern: /^\/api\/v1\/programs$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request.sub!);
      if (!user) return { status: 401, body: { code: 'auth.invalid_token' } };
      const limit = limitOf(request.query);
      const rows = await db.query(programsOpenForStudent(limit), ['published', new Date(), user.User_institution_id]);
      const items = rowsOf(rows.slice(0, limit), 'program');
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > limit && last ? cursors.encode([last.startsOn, last.id]) : null } };
    },
  },
  {
    scenario: 'incoming',
    method: 'GET',
    pattern: /^\/api\/v1\/applications$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request.sub!);
      if (!user) return { status: 401, body: { code: 'auth.invalid_token' } };
      const limit = limitOf(request.query);
      const cursor = request.query.get('cursor');
      const after = cursor ? cursors.decode(cursor) : [];
      const rows = await db.query(incomingApplications(limit, !!cursor), [user.User_institution_id, ...after]);
      const page = rows.slice(0, limit);
      let items: Row[] = [];
      if (page.length) {
        const programIds = [...new Set(page.map((a) => a.application_program_id as string))];
        const programs = new Map(rowsOf(await db.query(programsByIds(programIds.length), programIds), 'Program').map((p) => [p.id as string, p]));
        const placements = await placementsByApplication(db, page);
        items = rowsOf(page, 'application').map((a) => Object.assign(a, { program: programs.get(a.programId), placement: placements.get(a.id) ?? null }));
      }
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > limit && last ? cursors.encode([(last.createdAt as Date).toISOString(), last.id]) : null } };
    },
  },
  {
    scenario: 'arrivals',
    method: 'GET',
    pattern: /^\/api\/v1\/arrivals$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request.sub!);
      if (!user) return { status: 401, body: { code: 'auth.invalid_token' } };
      const limit = limitOf(request.query);
      const params: unknown[] = [];
      const param = (value: unknown) => `$${params.push(value)}`;
      const where = [`a.expected_arrival_at IS NOT NULL`, `a.status IN ('confirmed', 'arrived')`, `a.receiving_institution_id = ${param(user.User_institution_id)}`];
      const from = request.query.get('from');
      const to = request.query.get('to');
      if (from) where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date >= ${param(from)}::date`);
      if (to) where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date <= ${param(to)}::date`);
      const rows = await db.query(arrivalsBoard(where.join(' AND '), param(limit + 1)), params);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > limit && last ? cursors.encode([new Date(last.expectedArrivalAt).toISOString(), last.applicationId]) : null } };
    },
  },
  {
    scenario: 'matches',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/(?<id>[0-9a-f-]{36})\/host-family-matches$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request.sub!);
      if (!user) return { status: 401, body: { code: 'auth.invalid_token' } };
      const [application] = await db.query(APPLICATION_BY_ID, [request.params.id]);
      if (!application || application.application_receiving_institution_id !== user.User_institution_id) return notFound;
      if (!['accepted', 'confirmed', 'arrived'].includes(application.application_status)) return { status: 409, body: { code: 'placement.application_not_placeable' } };
      const [program] = await db.query(PROGRAM_BY_ID, [application.application_program_id]);
      if (program.Program_accommodation !== 'host_family') return { status: 409, body: { code: 'placement.no_host_family_accommodation' } };
      const startsOn = program.Program_starts_on as string;
      const endsOn = program.Program_ends_on as string;
      const student = studentProfileOf({ matchingProfile: application.application_matching_profile, gender: application.application_gender, dateOfBirth: application.application_date_of_birth }, startsOn);
      const { allergens, anyPet, knownPet } = allergensOf(student);
      const rows = await db.query(MATCHING_CANDIDATES, [
        application.application_receiving_institution_id,
        todayUtc(),
        startsOn,
        endsOn,
        anyPet,
        allergens,
        knownPet,
        student.gender ?? '',
        student.minor,
        application.application_id,
        student.languages,
        program.Program_language_requirement?.language ?? null,
        student.diet,
        student.smoker,
        limitOf(request.query),
      ]);
      const items = rows.map((f) => ({ hostFamilyId: f.id, displayName: f.displayName, score: f.score, freeBeds: f.capacity - f.peak, commuteMinutes: f.commuteMinutes, vettingExpiresOn: f.vettingExpiresOn }));
      return { status: 200, body: { applicationId: application.application_id, startsOn, endsOn, items } };
    },
  },
  {
    scenario: 'application',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/(?<id>[0-9a-f-]{36})$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request.sub!);
      if (!user) return { status: 401, body: { code: 'auth.invalid_token' } };
      const [application] = await db.query(APPLICATION_BY_ID, [request.params.id]);
      const side = application && [application.application_receiving_institution_id, application.application_sending_institution_id].includes(user.User_institution_id);
      if (!side) return notFound;
      const [program] = await db.query(PROGRAM_BY_ID, [application.application_program_id]);
      const placements = await placementsByApplication(db, [application]);
      const [item] = rowsOf([application], 'application');
      return { status: 200, body: { ...item, program: rowsOf([program], 'Program')[0], placement: placements.get(item.id) ?? null } };
    },
  },
  {
    scenario: 'institutions',
    method: 'GET',
    pattern: /^\/api\/v1\/institutions$/,
    auth: false,
    async handle(db, request) {
      const limit = limitOf(request.query);
      const rows = await db.query(institutionsPage(limit));
      const items = rowsOf(rows.slice(0, limit), 'institution');
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: rows.length > limit && last ? cursors.encode([last.name, last.id]) : null } };
    },
  },
];
