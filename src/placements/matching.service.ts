import { Injectable, Logger } from '@nestjs/common';
import { partiesOf } from '../applications/application.rules.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { todayUtc } from '../common/calendar.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import { DEFAULT_LIMIT } from '../common/pagination/pagination.js';
import type { Locale } from '../users/user.entity.js';
import type { MatchesQuery, MatchesView } from './dto/placement.dto.js';
import { evaluateMatch, explainMatch, studentProfileOf } from './matching.js';
import { PlacementErrors as Errors } from './placements.errors.js';
import { PlacementsRepository } from './placements.repository.js';
import type { ApplicationStatus } from '../applications/application.entity.js';

/** Applications matched with families: from acceptance on, until the stay is over. */
export const MATCHABLE: readonly ApplicationStatus[] = ['accepted', 'confirmed', 'arrived'];

/**
 * `GET /applications/{id}/host-family-matches`: the receiving institution's families that
 * pass every hard rule (filtered in SQL), scored by the soft criteria (matching.ts), best
 * first, ties by family id, each with its reasons and warnings in the caller's language.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger('Matching');

  constructor(
    private readonly applications: ApplicationsService,
    private readonly placements: PlacementsRepository,
  ) {}

  async matches(caller: Caller, applicationId: string, query: MatchesQuery, locale: Locale): Promise<MatchesView> {
    const { application, stay: program } = await this.applications.visibleWithStay(caller, applicationId);
    if (!partiesOf(caller, application).includes('receiving')) throw CommonErrors.forbidden();
    if (!MATCHABLE.includes(application.status)) throw Errors.applicationNotPlaceable(application.status);
    if (program.accommodation !== 'host_family') throw Errors.noHostFamilyAccommodation();

    const stay = { startsOn: program.startsOn, endsOn: program.endsOn };
    const student = studentProfileOf(application, stay.startsOn);
    const programmeLanguage = program.languageRequirement?.language ?? null;
    // Ranked and cut in the database; the reasons written here for the families shown.
    const best = await this.placements.candidates({ applicationId, institutionId: application.receivingInstitutionId, student, stay, today: todayUtc(), programmeLanguage, limit: query.limit ?? DEFAULT_LIMIT });
    const items = best
      .map((family) => {
        const evaluation = evaluateMatch(family, student, { programmeLanguage, stay, peak: family.peak });
        if (evaluation.score !== family.score) this.logger.error({ hostFamilyId: family.id, sql: family.score, js: evaluation.score }, 'matching scores differ between SQL and matching.ts');
        return { family, match: explainMatch(evaluation, locale) };
      })
      .map(({ family, match }) => ({
        hostFamilyId: family.id,
        displayName: family.displayName,
        score: match.score,
        reasons: match.reasons,
        warnings: match.warnings,
        criteria: match.criteria,
        freeBeds: family.capacity - family.peak,
        commuteMinutes: family.commuteMinutes,
        vettingExpiresOn: family.vettingExpiresOn!,
      }));
    return { applicationId, startsOn: stay.startsOn, endsOn: stay.endsOn, items };
  }
}
