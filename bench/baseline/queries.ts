/**
 * The baseline's SQL: for each route the bench measures, exactly the statements the API
 * sends for it, in the same order and by the same protocol (a simple query when there are
 * no parameters, the extended protocol's unnamed statement when there are, a named
 * prepared statement when the API names it, under the same name), and the little logic
 * that links them.
 *
 * The API's hot reads are named prepared statements (src/common/database/prepared-statements.ts):
 * the name is the family's and a digest of the text, so the texts below are the API's to
 * the byte (indentation included), built the same way from the same pieces.
 *
 * The bench captures the API's statements from PostgreSQL's log at every run and compares
 * them with what this file sends: when the API's SQL changes, the bench says so (and
 * writes the API's new statements in bench/results/latest.md); this file is then the only
 * one to update.
 */

import { createHash } from 'node:crypto';
import { todayUtc } from '../../src/common/calendar.js';
import { isUuid } from '../../src/common/validation/uuid.js';
// How the API turns an application into the matching query's parameters, and the score's points: the product's own code, so that both send the same values and text.
import { allergensOf, COMMUTE_FULL, COMMUTE_NONE, MAX_POINTS, studentProfileOf } from '../../src/placements/matching.js';

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
  /** The token's claims (verified), or null without a valid token: its subject and its session. */
  claims: { sub?: unknown; sid?: unknown } | null;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request's If-None-Match header. */
  ifNoneMatch?: string;
}

export interface Answer {
  status: number;
  /** Serialized by the server. */
  body?: unknown;
  /** Or sent as it is (an answer kept serialized). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Route {
  /** The bench's scenario this route answers. */
  scenario: string;
  method: 'GET' | 'POST';
  pattern: RegExp;
  auth: boolean;
  handle(db: Db, request: Request): Promise<Answer>;
}

// ---- The statements, as the API writes them (src/**/*.repository.ts).

/** A named prepared statement, named as the API names them: `<family>_<16 characters of the base64url SHA-256 of the text>`. */
export function prepared(family: string, text: string): { name: string; text: string } {
  return { name: `${family}_${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`, text };
}

/** The statements of a query whose text depends on which filters are given, each written (and named) once per combination. */
function variants(family: string): (key: string, text: () => string) => { name: string; text: string } {
  const byKey = new Map<string, { name: string; text: string }>();
  return (key, text) => {
    let statement = byKey.get(key);
    if (!statement) byKey.set(key, (statement = prepared(family, text())));
    return statement;
  };
}

/** The caller of a bearer token while its session (`sid`) is open (users.repository.ts CALLER_IN_SESSION): $1 the subject, $2 the session. */
export const CALLER_IN_SESSION = prepared(
  'users_caller_in_session',
  `SELECT u.id, u.role, u.institution_id AS "institutionId", u.host_family_id AS "hostFamilyId", u.locale FROM users u
    WHERE u.id = $1 AND u.erased_at IS NULL
      AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL)`,
);

/** A programme's columns as its answer shows them (programs.repository.ts SHOWN_COLUMNS). */
const PROGRAM_COLUMNS = `p.id, p.agreement_id AS "agreementId", p.title, p.description, p.sending_institution_id AS "sendingInstitutionId",
  p.receiving_institution_id AS "receivingInstitutionId", p.academic_year AS "academicYear", p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn",
  p.application_opens_at AS "applicationOpensAt", p.application_closes_at AS "applicationClosesAt", p.seats, p.language_requirement AS "languageRequirement",
  p.required_documents AS "requiredDocuments", p.accommodation, p.requires_learning_agreement AS "requiresLearningAgreement", p.status,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

/** programs.repository.ts OPEN: `now()` is the statement's. */
const PROGRAMS_OPEN = "p.status = 'published' AND p.application_opens_at <= now() AND p.application_closes_at > now()";

const programsPages = variants('programs_page');

/**
 * A student's programmes (ProgramsRepository.listVisible, the scope `open_to_me` of program.rules.ts), `open` as asked:
 * $1 'published', $2 the request's time (a JavaScript Date), $3 the home institution, after the cursor's two values; the page's size in the text.
 */
export const studentPrograms = (open: 'true' | 'false' | null, cursor: boolean, limit: number) =>
  programsPages(`open_to_me(status =,applicationClosesAt >,sendingInstitutionId =) status: open:${open ?? ''} cursor:${cursor} limit:${limit}`, () => {
    let n = 0;
    const next = () => `$${++n}`;
    const where = [
      `((p.status = ${next()} AND p.application_closes_at > ${next()} AND p.sending_institution_id = ${next()}))`,
      open === 'true' ? PROGRAMS_OPEN : open === 'false' ? `NOT (${PROGRAMS_OPEN})` : null,
      cursor && `(p.starts_on, p.id) > (${next()}, ${next()})`,
    ].filter(Boolean);
    return `SELECT ${PROGRAM_COLUMNS} FROM programs p WHERE ${where.join(' AND ')} ORDER BY p.starts_on, p.id LIMIT ${limit + 1}`;
  });

/** An application's columns every answer shows (applications.repository.ts SHOWN_COLUMNS, ALL_COLUMNS). */
const APPLICATION_COLUMNS = `a.id, a.program_id AS "programId", a.student_id AS "studentId", a.sending_institution_id AS "sendingInstitutionId",
  a.receiving_institution_id AS "receivingInstitutionId", a.status, a.motivation, a.language_levels AS "languageLevels",
  a.date_of_birth::text AS "dateOfBirth", a.gender, a.matching_profile AS "matchingProfile", a.submitted_at AS "submittedAt",
  a.arrived_at AS "arrivedAt", a.travel, a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;
const APPLICATION_ALL_COLUMNS = `${APPLICATION_COLUMNS}, a.nominated_at AS "nominatedAt", a.accepted_at AS "acceptedAt", a.expected_arrival_at AS "expectedArrivalAt"`;

/** Instants as milliseconds since the epoch (placements.repository.ts epochMs). */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/** The live placement of the application `a` with its family, as one JSON value (placements.repository.ts LIVE_PLACEMENT_OF_APPLICATION). */
const LIVE_PLACEMENT_OF_APPLICATION = `SELECT json_build_object('id', pl.id, 'applicationId', pl.application_id, 'hostFamilyId', pl.host_family_id,
    'studentId', pl.student_id, 'receivingInstitutionId', pl.receiving_institution_id, 'startsOn', pl.starts_on, 'endsOn', pl.ends_on,
    'status', pl.status, 'acceptedAt', ${epochMs('pl.accepted_at')}, 'endedOn', pl.ended_on, 'reason', pl.reason,
    'createdAt', ${epochMs('pl.created_at')}, 'updatedAt', ${epochMs('pl.updated_at')},
    'family', json_build_object('id', f.id, 'displayName', f.display_name, 'address', f.address, 'contactEmail', f.contact_email, 'contactPhone', f.contact_phone))
  FROM placements pl JOIN host_families f ON f.id = pl.host_family_id
  WHERE pl.application_id = a.id AND pl.status IN ('proposed', 'accepted')`;

/** The parts other domains add to an application's statement (ApplicationDetails.columns(): placements' `placement`, the one registered). */
const APPLICATION_PARTS = `, (${LIVE_PLACEMENT_OF_APPLICATION}) AS "part_placement"`;

const applicationsPages = variants('applications_page');

/**
 * A coordinator's incoming applications, newest first, with their students' names, programmes' requirements and live
 * placements (ApplicationsRepository.listVisible, branch `incoming`): $1 the institution, after the cursor $2 $3; the page's size in the text.
 */
export const incomingApplications = (cursor: boolean, limit: number) =>
  applicationsPages(`incoming(receivingInstitutionId =,nominatedAt not null) status:false program:false cursor:${cursor} limit:${limit}`, () => {
    let n = 0;
    const next = () => `$${++n}`;
    const where = `a.receiving_institution_id = ${next()} AND a.nominated_at IS NOT NULL`;
    const filters = cursor ? ` AND (a.created_at, a.id) < (${next()}, ${next()})` : '';
    const size = String(limit + 1);
    const range = `(SELECT ${APPLICATION_COLUMNS} FROM applications a WHERE ${where}${filters} ORDER BY a.created_at DESC, a.id DESC LIMIT ${size})`;
    return `SELECT a.*, u.full_name AS "studentName", p.language_requirement AS "languageRequirement"${APPLICATION_PARTS}
        FROM (${range}) a
        LEFT JOIN users u ON u.id = a."studentId" JOIN programs p ON p.id = a."programId"
        ORDER BY a."createdAt" DESC, a.id DESC LIMIT ${size}`;
  });

/** One application with everything its answer shows (ApplicationsRepository.findForAnswer). */
export const APPLICATION_ANSWER = prepared(
  'applications_answer',
  `SELECT ${APPLICATION_COLUMNS}, a.nominated_at AS "nominatedAt", a.accepted_at AS "acceptedAt", u.full_name AS "studentName", p.language_requirement AS "languageRequirement"${APPLICATION_PARTS}
         FROM applications a LEFT JOIN users u ON u.id = a.student_id JOIN programs p ON p.id = a.program_id
        WHERE a.id = $1`,
);

/** One application with its programme's stay (ApplicationsRepository.findWithStay). */
export const APPLICATION_WITH_STAY = prepared(
  'applications_with_stay',
  `SELECT ${APPLICATION_ALL_COLUMNS}, u.full_name AS "studentName", p.starts_on::text AS "programStartsOn", p.ends_on::text AS "programEndsOn",
          p.accommodation AS "programAccommodation", p.language_requirement AS "programLanguageRequirement"
     FROM applications a LEFT JOIN users u ON u.id = a.student_id JOIN programs p ON p.id = a.program_id
    WHERE a.id = $1`,
);

/** institutions.repository.ts SHOWN_COLUMNS. */
const INSTITUTION_COLUMNS = `i.id, i.name, i.short_name AS "shortName", i.city, i.country, i.kind, i.timezone, i.schac_code AS "schacCode", i.erasmus_code AS "erasmusCode"`;

/** The institutions table's version, which a trigger moves on every write (InstitutionsRepository.version). */
export const INSTITUTIONS_VERSION = prepared('institutions_version', `SELECT version FROM table_versions WHERE table_name = 'institutions'`);

const institutionsPages = variants('institutions_page');

/** The public list of institutions, by name (InstitutionsRepository.listPage, no filter): after the cursor $1 $2, then limit + 1. */
export const institutionsPage = (cursor: boolean) =>
  institutionsPages(`country:false kind:false cursor:${cursor}`, () =>
    cursor ? `SELECT ${INSTITUTION_COLUMNS} FROM institutions i WHERE (i.name, i.id) > ($1, $2) ORDER BY i.name, i.id LIMIT $3` : `SELECT ${INSTITUTION_COLUMNS} FROM institutions i ORDER BY i.name, i.id LIMIT $1`,
  );

/** arrivals.repository.ts BOARD_STATUS. */
const BOARD_STATUS = `CASE
  WHEN a.status = 'confirmed' AND a.expected_arrival_at < now() - interval '24 hours' THEN 'overdue'
  WHEN a.status = 'arrived' AND EXISTS (SELECT 1 FROM checklist_items o WHERE o.application_id = a.id AND o.completed_at IS NULL AND o.due_on < (now() AT TIME ZONE i.timezone)::date) THEN 'overdue'
  WHEN a.status = 'confirmed' THEN 'expected'
  ELSE 'arrived' END`;

const boards = variants('arrivals_board');

/**
 * The arrivals board of one institution (ArrivalsRepository.board): which of its filters are given
 * (institution, programme, from, to, the cursor's two values, status), their values in that order; the page's size in the text.
 */
export const arrivalsBoard = (given: { programId: boolean; from: boolean; to: boolean; cursor: boolean; status: boolean }, limit: number) =>
  boards(`${[true, given.programId, given.from, given.to, given.cursor, given.cursor, given.status].map((g) => (g ? 1 : 0)).join('')} limit:${limit}`, () => {
    let n = 0;
    const next = () => `$${++n}`;
    const where = [`a.expected_arrival_at IS NOT NULL`, `a.status IN ('confirmed', 'arrived')`];
    where.push(`a.receiving_institution_id = ${next()}`);
    if (given.programId) where.push(`a.program_id = ${next()}`);
    // The days are the institution's; the same bounds a day wider in UTC (no zone is 24 hours off) let the index range serve them.
    if (given.from) {
      const from = next();
      where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date >= ${from}::date`, `a.expected_arrival_at >= (${from}::date - 1)::timestamp AT TIME ZONE 'UTC'`);
    }
    if (given.to) {
      const to = next();
      where.push(`(a.expected_arrival_at AT TIME ZONE i.timezone)::date <= ${to}::date`, `a.expected_arrival_at < (${to}::date + 2)::timestamp AT TIME ZONE 'UTC'`);
    }
    if (given.cursor) where.push(`(a.expected_arrival_at, a.id) > (${next()}::timestamptz, ${next()}::uuid)`);
    const status = given.status ? `WHERE board.status = ${next()}` : '';
    const size = String(limit + 1);
    return `SELECT b.id AS "applicationId", b.program_id AS "programId", p.title AS "programTitle", b.student_id AS "studentId", u.full_name AS "studentName",
                b.application_status AS "applicationStatus", b.status, b.travel, b.expected_arrival_at AS "expectedArrivalAt", b.arrived_at AS "arrivedAt",
                f.id AS "familyId", f.display_name AS "familyName", f.address AS "familyAddress", f.contact_phone AS "familyPhone",
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id) AS total,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id AND c.completed_at IS NOT NULL) AS done,
                (SELECT count(*)::int FROM checklist_items c WHERE c.application_id = b.id AND c.completed_at IS NULL AND c.due_on < (now() AT TIME ZONE b.timezone)::date) AS overdue
         FROM (
           SELECT board.* FROM (
             SELECT a.id, a.program_id, a.student_id, a.status AS application_status, ${BOARD_STATUS} AS status, a.travel,
                    a.expected_arrival_at, a.arrived_at, a.updated_at, i.timezone
             FROM applications a
             JOIN institutions i ON i.id = a.receiving_institution_id
             WHERE ${where.join(' AND ')}
           ) board ${status}
           ORDER BY board.expected_arrival_at, board.id
           LIMIT ${size}
         ) b
         JOIN programs p ON p.id = b.program_id
         JOIN users u ON u.id = b.student_id
         LEFT JOIN placements pl ON pl.application_id = b.id AND pl.status = 'accepted'
         LEFT JOIN host_families f ON f.id = pl.host_family_id
         ORDER BY b.expected_arrival_at, b.id`;
  });

/** The soft criteria's points in SQL (placements.repository.ts MATCH_SCORE), from matching.ts's constants. */
const MATCH_SCORE = `
  (CASE WHEN cardinality($11::text[]) = 0 THEN 0 WHEN c.languages && $11::text[] THEN ${MAX_POINTS.languages} ELSE 0 END)
  + (CASE WHEN $12::text IS NULL OR $12::text = ANY(c.languages) THEN ${MAX_POINTS.programme_language} ELSE 0 END)
  + (CASE WHEN cardinality($13::text[]) = 0 THEN ${MAX_POINTS.diet}
          ELSE round(${MAX_POINTS.diet} * (SELECT count(*) FROM unnest($13::text[]) d WHERE d = ANY(c."dietsSupported"))::numeric / cardinality($13::text[])) END)
  + (CASE WHEN NOT c."smokingHousehold" THEN ${MAX_POINTS.smoking} WHEN $14::boolean THEN round(${MAX_POINTS.smoking} * 2 / 3.0) ELSE 0 END)
  + (CASE WHEN c."commuteMinutes" IS NULL THEN 0
          ELSE round(${MAX_POINTS.commute} * (${COMMUTE_NONE} - LEAST(GREATEST(c."commuteMinutes", ${COMMUTE_FULL}), ${COMMUTE_NONE}))::numeric / ${COMMUTE_NONE - COMMUTE_FULL}) END)`;

/** The families that pass the hard rules, scored and ranked (placements.repository.ts MATCHING_CANDIDATES). */
export const MATCHING_CANDIDATES = prepared(
  'placements_matching',
  `
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
SELECT c.*, COALESCE(o.peak, 0)::int AS peak, (${MATCH_SCORE})::int AS score
FROM candidate c LEFT JOIN occupancy o ON o.host_family_id = c.id
WHERE COALESCE(o.peak, 0) < c.capacity
ORDER BY score DESC, c.id
LIMIT $15`,
);

// ---- The routes.

/** `?limit=` as the API's lists read it (src/common/pagination: 1 to 100, 20 by default). */
function limitOf(query: URLSearchParams): number {
  const limit = Number(query.get('limit') ?? 20);
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 20;
}

/** The lists' cursors (src/common/pagination/pagination.ts): base64url of the JSON array of the last row's keys. */
export const cursors = {
  encode: (values: (string | number)[]) => Buffer.from(JSON.stringify(values)).toString('base64url'),
  decode: (cursor: string, arity: number): (string | number)[] | null => {
    try {
      const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      return Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number') ? (values as (string | number)[]) : null;
    } catch {
      return null;
    }
  },
};

/** pagination.ts pageOf: the first `limit` rows read with limit + 1, and the cursor after the last when there was one more. */
function pageOf(rows: Row[], limit: number, keyOf: (row: Row) => (string | number)[]): { items: Row[]; nextCursor: string | null } {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursors.encode(keyOf(last)) : null };
}

const unauthorized: Answer = { status: 401, body: { code: 'auth.invalid_token' } };
const notFound: Answer = { status: 404, body: { code: 'not_found' } };
const badCursor: Answer = { status: 400, body: { code: 'validation', field: 'cursor' } };

/** The caller of the token (src/auth/jwt.strategy.ts): its subject and session must be UUIDs, and the session open. */
async function caller(db: Db, request: Request): Promise<Row | null> {
  const { sub, sid } = request.claims ?? {};
  if (!isUuid(sub) || !isUuid(sid)) return null;
  return (await db.query(CALLER_IN_SESSION, [sub.toLowerCase(), sid.toLowerCase()]))[0] ?? null;
}

/** application.rules.ts applicationScope for a coordinator: outgoing once submitted, incoming once nominated. */
const coordinatorSees = (user: Row, application: Row) =>
  (application.sendingInstitutionId === user.institutionId && application.submittedAt !== null) || (application.receivingInstitutionId === user.institutionId && application.nominatedAt !== null);

/** An application's row as its answer: its columns, its student's name, its live placement (the API's view reads the same). */
function applicationItem(row: Row): Row {
  const { part_placement: placement, ...application } = row;
  if (placement) application.placement = placement;
  return application;
}

/** A representation kept serialized with its entity tag (src/common/http/representations.ts). */
interface Representation {
  etag: string;
  body: string;
}

/** The institutions' answers, kept as long as the table's version read at each request is the one they were read at (VersionedRepresentations). */
const institutionAnswers = { version: -1n, byKey: new Map<string, Representation>() };

export const routes: Route[] = [
  {
    scenario: 'programs-open',
    method: 'GET',
    pattern: /^\/api\/v1\/programs$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request);
      if (!user) return unauthorized;
      if (user.role !== 'student' || !user.institutionId) return { status: 501, body: { code: 'baseline.students_only' } };
      const limit = limitOf(request.query);
      const open = request.query.get('open');
      const cursorText = request.query.get('cursor');
      const after = cursorText ? cursors.decode(cursorText, 2) : [];
      if (!after) return badCursor;
      const values = ['published', new Date(), user.institutionId, ...after];
      const rows = await db.query(studentPrograms(open === 'true' || open === 'false' ? open : null, !!cursorText, limit), values);
      return { status: 200, body: pageOf(rows, limit, (last) => [last.startsOn, last.id]) };
    },
  },
  {
    scenario: 'incoming',
    method: 'GET',
    pattern: /^\/api\/v1\/applications$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request);
      if (!user) return unauthorized;
      if (user.role !== 'coordinator' || !user.institutionId || request.query.get('direction') !== 'incoming') return { status: 501, body: { code: 'baseline.incoming_only' } };
      const limit = limitOf(request.query);
      const cursorText = request.query.get('cursor');
      const after = cursorText ? cursors.decode(cursorText, 2) : [];
      if (!after) return badCursor;
      const rows = await db.query(incomingApplications(!!cursorText, limit), [user.institutionId, ...after]);
      const page = pageOf(rows, limit, (last) => [(last.createdAt as Date).toISOString(), last.id]);
      return { status: 200, body: { items: page.items.map(applicationItem), nextCursor: page.nextCursor } };
    },
  },
  {
    scenario: 'arrivals',
    method: 'GET',
    pattern: /^\/api\/v1\/arrivals$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request);
      if (!user) return unauthorized;
      if (user.role !== 'coordinator' || !user.institutionId) return { status: 501, body: { code: 'baseline.coordinators_only' } };
      const limit = limitOf(request.query);
      const [programId, from, to, status, cursorText] = ['programId', 'from', 'to', 'status', 'cursor'].map((name) => request.query.get(name) || null);
      const after = cursorText ? cursors.decode(cursorText, 2) : [];
      if (!after) return badCursor;
      const values = [user.institutionId, programId, from, to, ...after, status].filter((value) => value);
      const rows = await db.query(arrivalsBoard({ programId: !!programId, from: !!from, to: !!to, cursor: !!cursorText, status: !!status }, limit), values);
      return { status: 200, body: pageOf(rows, limit, (last) => [new Date(last.expectedArrivalAt).toISOString(), last.applicationId]) };
    },
  },
  {
    scenario: 'matches',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/(?<id>[0-9a-f-]{36})\/host-family-matches$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request);
      if (!user) return unauthorized;
      const [application] = await db.query(APPLICATION_WITH_STAY, [request.params.id]);
      if (!application || user.role !== 'coordinator' || !coordinatorSees(user, application)) return notFound;
      if (application.receivingInstitutionId !== user.institutionId) return { status: 403, body: { code: 'forbidden' } };
      if (!['accepted', 'confirmed', 'arrived'].includes(application.status)) return { status: 409, body: { code: 'placement.application_not_placeable' } };
      if (application.programAccommodation !== 'host_family') return { status: 409, body: { code: 'placement.no_host_family_accommodation' } };
      const startsOn = application.programStartsOn as string;
      const endsOn = application.programEndsOn as string;
      const student = studentProfileOf(application as Parameters<typeof studentProfileOf>[0], startsOn);
      const { allergens, anyPet, knownPet } = allergensOf(student);
      const rows = await db.query(MATCHING_CANDIDATES, [
        application.receivingInstitutionId,
        todayUtc(),
        startsOn,
        endsOn,
        anyPet,
        allergens,
        knownPet,
        student.gender ?? '',
        student.minor,
        application.id,
        student.languages,
        application.programLanguageRequirement?.language ?? null,
        student.diet,
        student.smoker,
        limitOf(request.query),
      ]);
      const items = rows.map((f) => ({ hostFamilyId: f.id, displayName: f.displayName, score: f.score, freeBeds: f.capacity - f.peak, commuteMinutes: f.commuteMinutes, vettingExpiresOn: f.vettingExpiresOn }));
      return { status: 200, body: { applicationId: application.id, startsOn, endsOn, items } };
    },
  },
  {
    scenario: 'application',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/(?<id>[0-9a-f-]{36})$/,
    auth: true,
    async handle(db, request) {
      const user = await caller(db, request);
      if (!user) return unauthorized;
      const [row] = await db.query(APPLICATION_ANSWER, [request.params.id]);
      if (!row || user.role !== 'coordinator' || !coordinatorSees(user, row)) return notFound;
      return { status: 200, body: applicationItem(row) };
    },
  },
  {
    scenario: 'institutions',
    method: 'GET',
    pattern: /^\/api\/v1\/institutions$/,
    auth: false,
    async handle(db, request) {
      const limit = limitOf(request.query);
      const cursorText = request.query.get('cursor');
      const after = cursorText ? cursors.decode(cursorText, 2) : [];
      if (!after) return badCursor;
      // The version first, then the rows (only when not kept at that version).
      const current = BigInt((await db.query(INSTITUTIONS_VERSION, []))[0]?.version ?? '0');
      if (current > institutionAnswers.version) {
        institutionAnswers.byKey.clear();
        institutionAnswers.version = current;
      }
      const key = JSON.stringify([limit, cursorText]);
      let kept = current === institutionAnswers.version ? institutionAnswers.byKey.get(key) : undefined;
      if (!kept) {
        const rows = await db.query(institutionsPage(!!cursorText), [...after, limit + 1]);
        const body = JSON.stringify(pageOf(rows, limit, (last) => [last.name, last.id]));
        kept = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
        if (current === institutionAnswers.version) {
          if (institutionAnswers.byKey.size >= 100) institutionAnswers.byKey.delete(institutionAnswers.byKey.keys().next().value!);
          institutionAnswers.byKey.set(key, kept);
        }
      }
      const headers = { etag: kept.etag, 'cache-control': 'no-cache' };
      const held = request.ifNoneMatch?.split(',').some((tag) => [kept.etag, `W/${kept.etag}`, '*'].includes(tag.trim()));
      return held ? { status: 304, headers } : { status: 200, raw: kept.body, headers };
    },
  },
];
