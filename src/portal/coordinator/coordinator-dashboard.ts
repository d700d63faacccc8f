import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { ApplicationsService } from '../../applications/applications.service.js';
import { ArrivalsService } from '../../arrivals/arrivals.service.js';
import type { Caller } from '../../common/http/caller.js';
import { MAX_LIMIT } from '../../common/pagination/pagination.js';
import { PlacementsService } from '../../placements/placements.service.js';
import { Dashboards, type Dashboard } from '../dashboards.js';

/** How many items of a list are shown on the dashboard under their count. */
const SHOWN = 5;

/**
 * A coordinator's home page: what waits for it, with counts and links — outgoing
 * applications to nominate, incoming ones to accept, agreements its institution has not
 * approved, placements a family declined whose student still needs one, overdue arrivals.
 * Every number comes from the services' own lists and counts, in the coordinator's scope.
 */
@Injectable()
export class CoordinatorDashboard implements OnModuleInit {
  constructor(
    private readonly dashboards: Dashboards,
    private readonly applications: ApplicationsService,
    private readonly agreements: AgreementsService,
    private readonly placements: PlacementsService,
    private readonly arrivals: ArrivalsService,
  ) {}

  onModuleInit(): void {
    this.dashboards.register('coordinator', (caller) => this.of(caller));
  }

  async of(caller: Caller): Promise<Dashboard> {
    const [toNominate, nominated, waitlisted, drafts, declined, overdue] = await Promise.all([
      this.applications.count(caller, { direction: 'outgoing', statuses: ['submitted'] }),
      this.applications.count(caller, { direction: 'incoming', statuses: ['nominated'] }),
      this.applications.count(caller, { direction: 'incoming', statuses: ['waitlisted'] }),
      this.agreements.list(caller, { status: 'draft', limit: MAX_LIMIT }),
      this.placements.declinedToReplace(caller, SHOWN),
      this.arrivals.board(caller, { status: 'overdue', limit: MAX_LIMIT }),
    ]);
    // A draft waits for this coordinator while its institution's approval of the current version is missing.
    const toApprove = drafts.items.filter((agreement) => caller.institutionId !== null && agreement.awaitingApprovalFrom.includes(caller.institutionId));
    return {
      template: 'coordinator/dashboard',
      data: {
        waiting: {
          toNominate,
          nominated,
          waitlisted,
          agreements: { count: toApprove.length, more: drafts.nextCursor !== null, items: toApprove.slice(0, SHOWN) },
          declined: { count: declined.total, items: declined.items },
          overdue: { count: overdue.items.length, more: overdue.nextCursor !== null, items: overdue.items.slice(0, SHOWN) },
        },
      },
    };
  }
}
