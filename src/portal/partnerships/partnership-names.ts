import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/http/caller.js';
import type { InstitutionView } from '../../institutions/dto/institution.dto.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { UsersRepository } from '../../users/users.repository.js';

/**
 * Names for the ids the agreements' and programmes' answers carry: institutions (public
 * reference data, as on the registration form) and the people who approved or changed an
 * agreement the caller may already see. Presentation only.
 */
@Injectable()
export class PartnershipNames {
  constructor(
    private readonly institutions: InstitutionsService,
    private readonly users: UsersRepository,
  ) {}

  /** Every institution, by name (the API's list, page after page). */
  async allInstitutions(): Promise<InstitutionView[]> {
    const all: InstitutionView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.institutions.list({ limit: 100, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** id → institution, for the templates (`names.institution(id)`), and the list for the selects. */
  async institutionNames(): Promise<{ list: InstitutionView[]; name: (id: string) => string; short: (id: string) => string }> {
    const list = await this.allInstitutions();
    const byId = new Map(list.map((i) => [i.id, i]));
    return { list, name: (id) => byId.get(id)?.name ?? id, short: (id) => byId.get(id)?.shortName ?? id };
  }

  /** id → full name of these users (an id that is no user shows as itself). */
  async people(ids: readonly (string | null | undefined)[]): Promise<(id: string | null | undefined) => string> {
    const names = await this.users.fullNamesOf(ids.filter((id): id is string => !!id));
    return (id) => (id ? (names.get(id) ?? id) : '');
  }

  /**
   * The zone in which the caller reads and writes programme times: its institution's, UTC
   * for an admin (who belongs to none).
   */
  async zoneOf(caller: Caller): Promise<string> {
    if (!caller.institutionId) return 'UTC';
    return (await this.institutions.get(caller.institutionId)).timezone;
  }
}
