import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { scopeWhere } from '../common/access/scope.js';
import type { CalendarDate } from '../common/calendar.js';
import type { Caller } from '../common/http/caller.js';
import { paginate, type Page } from '../common/pagination/pagination.js';
import { RowLocks, type LockMode } from '../common/transactions/row-locks.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { HostFamily } from '../host-families/host-family.entity.js';
import type { ListPlacementsQuery } from './dto/placement.dto.js';
import { allergensOf, type MatchableFamily, type StudentProfile } from './matching.js';
import type { Stay } from './occupancy.js';
import { LIVE_PLACEMENT, Placement } from './placement.entity.js';
import { placementScope } from './placement.rules.js';

/** Live placements (LIVE_PLACEMENT) of family `f` over the stay, other than the application's own. */
const LIVE_OTHER = (alias: string) => `${alias}.host_family_id = f.id AND ${alias}.status IN ('proposed', 'accepted') AND ${alias}.application_id <> :applicationId`;

/**
 * The most beds family `f`'s live placements take on one day of the stay [:startsOn,
 * :endsOn]: the count on the first day of the stay and on the first day of each placement
 * starting within it (occupancy.ts `peakOccupancy`, in SQL).
 */
const PEAK = `COALESCE((
  SELECT max((SELECT count(*) FROM placements q WHERE ${LIVE_OTHER('q')}
               AND q.starts_on <= greatest(p.starts_on, CAST(:startsOn AS date)) AND q.ends_on >= greatest(p.starts_on, CAST(:startsOn AS date))))
  FROM placements p WHERE ${LIVE_OTHER('p')} AND p.starts_on <= :endsOn AND p.ends_on >= :startsOn), 0)::int`;

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

  /** The placements themselves, without their parts (what the access rules read). */
  byIds(ids: readonly string[]): Promise<Placement[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.tx.manager.find(Placement, { where: { id: In([...ids]) } });
  }

  /** The live (proposed or accepted) placement of an application, if any. */
  liveOf(applicationId: string): Promise<Placement | null> {
    return this.tx.manager.findOne(Placement, { where: { applicationId, status: In([...LIVE_PLACEMENT]) } });
  }

  /** The live placement of each application that has one, with its parts (shown on the application). */
  liveOfMany(applicationIds: string[]): Promise<Placement[]> {
    if (!applicationIds.length) return Promise.resolve([]);
    return this.withParts().where('placement.applicationId IN (:...applicationIds)', { applicationIds }).andWhere('placement.status IN (:...live)', { live: LIVE_PLACEMENT }).getMany();
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
  async candidates(input: { applicationId: string; institutionId: string; student: StudentProfile; stay: Stay; today: CalendarDate }): Promise<Candidate[]> {
    const { allergens, anyPet, knownPet } = allergensOf(input.student);
    const rows = await this.tx.manager
      .createQueryBuilder(HostFamily, 'f')
      .select([
        'f.id AS id',
        'f.display_name AS "displayName"',
        'f.status AS status',
        'f.vetting_expires_on::text AS "vettingExpiresOn"',
        'f.capacity AS capacity',
        'f.languages AS languages',
        'f.has_pets AS "hasPets"',
        'f.pet_types AS "petTypes"',
        'f.smoking_household AS "smokingHousehold"',
        'f.diets_supported AS "dietsSupported"',
        'f.accepts_minors AS "acceptsMinors"',
        'f.gender_preference AS "genderPreference"',
        'f.available_from::text AS "availableFrom"',
        'f.available_to::text AS "availableTo"',
        'f.commute_minutes AS "commuteMinutes"',
        `${PEAK} AS peak`,
      ])
      .where('f.institution_id = :institutionId', { institutionId: input.institutionId })
      .andWhere("f.status = 'approved' AND f.vetting_expires_on > :today", { today: input.today })
      .andWhere('f.available_from <= :startsOn AND f.available_to >= :endsOn', { startsOn: input.stay.startsOn, endsOn: input.stay.endsOn })
      .andWhere(`${PEAK} < f.capacity`)
      .andWhere('NOT (f.has_pets AND (:anyPet OR f.pet_types && CAST(:allergens AS text[]) OR (cardinality(f.pet_types) = 0 AND :knownPet)))', { anyPet, allergens, knownPet })
      .andWhere("(f.gender_preference = 'any' OR f.gender_preference::text = :gender)", { gender: input.student.gender ?? '' })
      .andWhere('(f.accepts_minors OR NOT :minor)', { minor: input.student.minor })
      .setParameter('applicationId', input.applicationId)
      .getRawMany<Candidate>();
    return rows;
  }
}
