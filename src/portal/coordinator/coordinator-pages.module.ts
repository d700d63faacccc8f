import { Module } from '@nestjs/common';
import { AgreementsModule } from '../../agreements/agreements.module.js';
import { ApplicationsModule } from '../../applications/applications.module.js';
import { ArrivalsModule } from '../../arrivals/arrivals.module.js';
import { HostFamiliesModule } from '../../host-families/host-families.module.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { PlacementsModule } from '../../placements/placements.module.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { CoordinatorDashboard } from './coordinator-dashboard.js';
import { HostFamilyPages } from './host-family-pages.controller.js';

/** The coordinator's pages: its dashboard (what waits for it) and the host families of its institution. */
@Module({
  imports: [PortalCoreModule, ApplicationsModule, AgreementsModule, PlacementsModule, ArrivalsModule, HostFamiliesModule, InstitutionsModule],
  controllers: [HostFamilyPages],
  providers: [CoordinatorDashboard],
})
export class CoordinatorPagesModule {}
