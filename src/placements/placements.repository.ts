import { Injectable } from '@nestjs/common';
import { In, LessThanOrEqual } from 'typeorm';
import { scopeWhere } from '../common/access/scope.js';
import type { CalendarDate } from '../common/calendar.js';
import type { Caller } from '../common/http/caller.js';
import { prepared, PreparedStatements } from '../common/database/prepared-statements.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { Application, ApplicationStatus } from '../applications/application.entity.js';
import type { DetailSubject } from '../applications/application.details.js';
import type { HostFamily } from '../host-families/host-family.entity.js';
import type { ListPlacementsQuery } from './dto/placement.dto.js';
import { allergensOf, COMMUTE_FULL, COMMUTE_NONE, MAX_POINTS, type MatchableFamily, type StudentProfile } from './matching.js';
import type { Stay } from './occupancy.js';
import { LIVE_PLACEMENT, Placement } from './placement.entity.js';
import { placementScope } from './placement.rules.js';

/** Instants as milliseconds since the epoch: read back exactly, whatever the session's time zone. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/**
 * The live (proposed or accepted) placement of the application `a` with its family, as one
 * JSON value (null when it has none): a column of the application's own statement (its
 * part `placement`, see ApplicationDetails), with what a placement's answer shows.
 * UQ_placements_live_application makes it one row at most.
 */
export const LIVE_PLACEMENT_OF_APPLICATION = `SELECT json_build_object('id', pl.id, 'applicationId', pl.application_id, 'hostFamilyId', pl.host_family_id,
    'studentId', pl.student_id, 'receivingInstitutionId', pl.receiving_institution_id, 'startsOn', pl.starts_on, 'endsOn', pl.ends_on,
    'status', pl.status, 'acceptedAt', ${epochMs('pl.accepted_at')}, 'endedOn', pl.ended_on, 'reason', pl.reason,
    'createdAt', ${epochMs('pl.created_at')}, 'updatedAt', ${epochMs('pl.updated_at')},
    'family', json_build_object('id', f.id, 'displayName', f.display_name, 'address', f.address, 'contactEmail', f.contact_email, 'contactPhone', f.contact_phone))
  FROM placements pl JOIN host_families f ON f.id = pl.host_family_id
  WHERE pl.application_id = a.id AND pl.status IN ('proposed', 'accepted')`;

type LivePlacementJson = Omit<Placement, 'acceptedAt' | 'createdAt' | 'updatedAt' | 'application' | 'hostFamily' | 'proposedById'> & {
  acceptedAt: number | null;
  createdAt: number;
  updatedAt: number;
  family: Pick<HostFamily, 'id' | 'displayName' | 'address' | 'contactEmail' | 'contactPhone'>;
};

/** The placement of LIVE_PLACEMENT_OF_APPLICATION's value, with its application (the one it was read with) and family, as `placementView` reads it. */
export function livePlacementOf(value: unknown, application: DetailSubject): Placement {
  const json = value as LivePlacementJson;
  return {
    id: json.id,
    applicationId: json.applicationId,
    hostFamilyId: json.hostFamilyId,
    studentId: json.studentId,
    receivingInstitutionId: json.receivingInstitutionId,
    startsOn: json.startsOn,
    endsOn: json.endsOn,
    status: json.status,
    acceptedAt: json.acceptedAt === null ? null : new Date(json.acceptedAt),
    endedOn: json.endedOn,
    reason: json.reason,
    proposedById: null,
    createdAt: new Date(json.createdAt),
    updatedAt: new Date(json.updatedAt),
    application: {
      student: { fullName: application.studentName ?? '' },
      dateOfBirth: application.dateOfBirth,
      gender: application.gender,
      matchingProfile: application.matchingProfile,
      travel: application.travel,
    } as Application,
    hostFamily: json.family as HostFamily,
  };
}

/** A family that passes every hard rule, with what scoring reads. */
export interface Candidate extends MatchableFamily {
  id: string;
  displayName: string;
  /** the most beds other live placements take on one day of the stay */
  peak: number;
}

@Injectable()
export class PlacementsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly locks: RowLocks,
    private readonly statements: PreparedStatements,
  ) {}

  /** With the application (and its student's name) and the family: what every view of a placement shows. */
  private withParts() {
    return this.tx.manager
      .createQueryBuilder(Placement, 'placement')
      .innerJoinAndSelect('placement.application', 'application')
      .innerJoin('application.student', 'student')
      .addSelect(['student.id', 'student.fullName'])
      .innerJoinAndSelect('placement.hostFamily', 'family');
  }

  findById(id: string): Promise<Placement | null> {
    return this.withParts().where('placement.id = :id', { id }).getOne();
  }

  lock(id: string, mode: LockMode = 'write'): Promise<Placement | null> {
    return this.locks.lock('placement', Placement, id, mode);
  }

  /** Proposals made before `cutoff` and still unanswered, oldest first, at most `limit`. */
  async proposedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.tx.manager.find(Placement, { select: { id: true }, where: { status: 'proposed', createdAt: LessThanOrEqual(cutoff) }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
    return rows.map((row) => row.id);
  }

  /** The placements themselves, without their parts (what the access rules read). */
  byIds(ids: readonly string[]): Promise<Placement[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.tx.manager.find(Placement, { where: { id: In([...ids]) } });
  }

  /** The live (proposed or accepted) placement of an application, if any. */
  liveOf(applicationId: string): Promise<Placement | null> {
    return this.tx.manager.findOne(Placement, { where: { applicationId, status: In([...LIVE_PLACEMENT]) } });
  }

  /** The days the family's live placements take within [from, to] (index on host_family_id, starts_on, ends_on, live only). */
  liveStaysOf(hostFamilyId: string, from: CalendarDate, to: CalendarDate): Promise<Stay[]> {
    return this.tx.manager
      .createQueryBuilder(Placement, 'placement')
      .select(['placement.startsOn', 'placement.endsOn'])
      .where('placement.hostFamilyId = :hostFamilyId', { hostFamilyId })
      .andWhere('placement.status IN (:...live)', { live: LIVE_PLACEMENT })
      .andWhere('placement.startsOn <= :to AND placement.endsOn >= :from', { from, to })
      .getMany();
  }

  /** Every live placement of the family (its availability must keep covering them). */
  liveRangeOf(hostFamilyId: string): Promise<{ startsOn: CalendarDate | null; endsOn: CalendarDate | null }> {
    return this.tx.manager
      .createQueryBuilder(Placement, 'placement')
      .select('min(placement.startsOn)::text', 'startsOn')
      .addSelect('max(placement.endsOn)::text', 'endsOn')
      .where('placement.hostFamilyId = :hostFamilyId', { hostFamilyId })
      .andWhere('placement.status IN (:...live)', { live: LIVE_PLACEMENT })
      .getRawOne<{ startsOn: CalendarDate | null; endsOn: CalendarDate | null }>()
      .then((row) => row ?? { startsOn: null, endsOn: null });
  }

  /** The first and last day of the programme's live placements (its stay must keep covering them). */
  liveRangeOfProgram(programId: string): Promise<{ startsOn: CalendarDate | null; endsOn: CalendarDate | null }> {
    return this.tx.manager
      .createQueryBuilder(Placement, 'placement')
      .innerJoin('placement.application', 'application')
      .select('min(placement.startsOn)::text', 'startsOn')
      .addSelect('max(placement.endsOn)::text', 'endsOn')
      .where('application.programId = :programId', { programId })
      .andWhere('placement.status IN (:...live)', { live: LIVE_PLACEMENT })
      .getRawOne<{ startsOn: CalendarDate | null; endsOn: CalendarDate | null }>()
      .then((row) => row ?? { startsOn: null, endsOn: null });
  }

  /**
   * Declined placements whose student still needs a family: the application is still
   * placeable (`statuses`) and has no live placement since. The newest decline of each
   * application, newest first, at most `limit`, and how many applications there are.
   */
  async declinedToReplace(caller: Caller, statuses: readonly ApplicationStatus[], limit: number): Promise<{ total: number; items: Placement[] }> {
    const q = this.withParts().where('placement.status = :declined', { declined: 'declined' }).andWhere('application.status IN (:...statuses)', { statuses: [...statuses] });
    scopeWhere(q, 'placement', placementScope(caller));
    q.andWhere(`NOT EXISTS (SELECT 1 FROM placements live WHERE live.application_id = placement.application_id AND live.status IN (:...live))`, { live: LIVE_PLACEMENT });
    q.andWhere(`NOT EXISTS (SELECT 1 FROM placements later WHERE later.application_id = placement.application_id AND later.status = 'declined' AND (later.created_at, later.id) > (placement.created_at, placement.id))`);
    const total = await q.clone().getCount();
    const items = await q.orderBy('placement.createdAt', 'DESC').addOrderBy('placement.id', 'DESC').limit(limit).getMany();
    return { total, items };
  }

  async list(caller: Caller, query: ListPlacementsQuery): Promise<Page<Placement>> {
    const q = this.withParts().where('TRUE');
    scopeWhere(q, 'placement', placementScope(caller));
    if (query.status) q.andWhere('placement.status = :status', { status: query.status });
    if (query.hostFamilyId) q.andWhere('placement.hostFamilyId = :hostFamilyId', { hostFamilyId: query.hostFamilyId });
    if (query.applicationId) q.andWhere('placement.applicationId = :applicationId', { applicationId: query.applicationId });
    return paginate(
      q,
      query,
      [
        ['placement.createdAt', (p) => p.createdAt.toISOString()],
        ['placement.id', (p) => p.id],
      ],
      'DESC',
    );
  }

  /**
   * The families of the institution that pass every hard rule of matching (matching.ts
   * `hardRuleViolations`, here in SQL so that the database filters, not this process):
   * approved with a vetting valid today; available over the whole stay; a free bed on
   * every day of it (the peak, counted as `peakOccupancy` counts it, on the first day of
   * the stay and of each live placement starting within it, other than this application's
   * own); no pets the student is allergic to; the gender preference; minors accepted.
   * Reads only what scoring needs; the partial index IDX_host_families_matching bounds it
   * to the institution's approved families.
   */
  /**
   * The best `limit` families for the student: those that pass every hard rule, ranked by
   * the score of the soft criteria computed in SQL (MATCH_SCORE, the same points as
   * matching.ts `evaluateMatch`), ties by id. Only these rows leave the database.
   */
  async candidates(input: { applicationId: string; institutionId: string; student: StudentProfile; stay: Stay; today: CalendarDate; programmeLanguage: string | null; limit: number }): Promise<(Candidate & { score: number })[]> {
    const { allergens, anyPet, knownPet } = allergensOf(input.student);
    const { startsOn, endsOn } = input.stay;
    return this.statements.rows(CANDIDATES, [
      input.institutionId,
      input.today,
      startsOn,
      endsOn,
      anyPet,
      allergens,
      knownPet,
      input.student.gender ?? '',
      input.student.minor,
      input.applicationId,
      input.student.languages,
      input.programmeLanguage,
      input.student.diet,
      input.student.smoker,
      input.limit,
    ]);
  }
}

/**
 * The soft criteria's points in SQL, criterion by criterion as matching.ts `evaluateMatch`
 * gives them (MAX_POINTS; commute full up to COMMUTE_FULL minutes, none from COMMUTE_NONE);
 * the e2e tests of matching compare the ranking with the scores shown. Over the columns of
 * `candidate` (c): $11 the student's languages, $12 the programme's language (null: none),
 * $13 the student's diets, $14 whether the student smokes.
 */
const MATCH_SCORE = `
  (CASE WHEN cardinality($11::text[]) = 0 THEN 0 WHEN c.languages && $11::text[] THEN ${MAX_POINTS.languages} ELSE 0 END)
  + (CASE WHEN $12::text IS NULL OR $12::text = ANY(c.languages) THEN ${MAX_POINTS.programme_language} ELSE 0 END)
  + (CASE WHEN cardinality($13::text[]) = 0 THEN ${MAX_POINTS.diet}
          ELSE round(${MAX_POINTS.diet} * (SELECT count(*) FROM unnest($13::text[]) d WHERE d = ANY(c."dietsSupported"))::numeric / cardinality($13::text[])) END)
  + (CASE WHEN NOT c."smokingHousehold" THEN ${MAX_POINTS.smoking} WHEN $14::boolean THEN round(${MAX_POINTS.smoking} * 2 / 3.0) ELSE 0 END)
  + (CASE WHEN c."commuteMinutes" IS NULL THEN 0
          ELSE round(${MAX_POINTS.commute} * (${COMMUTE_NONE} - LEAST(GREATEST(c."commuteMinutes", ${COMMUTE_FULL}), ${COMMUTE_NONE}))::numeric / ${COMMUTE_NONE - COMMUTE_FULL}) END)`;

/**
 * The hard rules in SQL. `candidate`: the families that pass the rules on their own
 * columns (one range of IDX_host_families_matching, then column tests). `change`: the
 * live placements of those families over the stay, other than this application's own, as
 * +1 on their first day within the stay and −1 on the day after their last;
 * `occupancy`: the running sum per family, in day order with −1 first on a day (a bed is
 * free again the day after a stay ends), is the beds taken on each day, its maximum the
 * peak (occupancy.ts `peakOccupancy`, computed set-wise). A family is kept when its peak
 * leaves a bed free.
 *   $1 institution, $2 today, $3 $4 the stay, $5 allergic to any pet, $6 the allergens,
 *   $7 allergic to a known pet, $8 gender ('' when not given), $9 minor, $10 application;
 *   $11–$14 the score's (MATCH_SCORE), $15 how many.
 */
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
SELECT c.*, COALESCE(o.peak, 0)::int AS peak, (${MATCH_SCORE})::int AS score
FROM candidate c LEFT JOIN occupancy o ON o.host_family_id = c.id
WHERE COALESCE(o.peak, 0) < c.capacity
ORDER BY score DESC, c.id
LIMIT $15`;

const CANDIDATES = prepared<Candidate & { score: number }>('placements_matching', MATCHING_CANDIDATES);
