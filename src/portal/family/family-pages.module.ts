import { Module, type OnModuleInit } from '@nestjs/common';
import type { Caller } from '../../common/http/caller.js';
import { HostFamiliesModule } from '../../host-families/host-families.module.js';
import { HostFamiliesService } from '../../host-families/host-families.service.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { PlacementsModule } from '../../placements/placements.module.js';
import { PlacementsService } from '../../placements/placements.service.js';
import { Dashboards } from '../dashboards.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { languageNames } from '../host-school/zones.js';
import { zonedDateTime } from '../zoned-time.js';
import { MyFamilyPages } from './my-family.controller.js';
import { PlacementPages } from './placements.controller.js';

/** The host family's pages: its placements (accept, decline), its own record and availability, its home page. */
@Module({
  imports: [PortalCoreModule, PlacementsModule, HostFamiliesModule, InstitutionsModule],
  controllers: [PlacementPages, MyFamilyPages],
})
export class FamilyPagesModule implements OnModuleInit {
  constructor(
    private readonly dashboards: Dashboards,
    private readonly placements: PlacementsService,
    private readonly families: HostFamiliesService,
    private readonly institutions: InstitutionsService,
  ) {}

  onModuleInit(): void {
    this.dashboards.register('host_family', (caller) => this.dashboard(caller));
  }

  /** The students proposed to the family (to answer) and those it accepted, with what it needs to welcome them. */
  private async dashboard(caller: Caller) {
    const [proposed, accepted] = await Promise.all([this.placements.list(caller, { status: 'proposed', limit: 100 }), this.placements.list(caller, { status: 'accepted', limit: 100 })]);
    const family = caller.hostFamilyId ? await this.families.get(caller, caller.hostFamilyId) : null;
    // Arrival times in the zone of the institution that manages the family (where the student arrives).
    const timezone = family ? (await this.institutions.get(family.institutionId)).timezone : 'UTC';
    return {
      template: 'family/dashboard',
      data: { proposed: proposed.items, accepted: accepted.items, family, timezone, zoned: zonedDateTime(caller.locale, timezone), languages: languageNames(caller.locale) },
    };
  }
}
