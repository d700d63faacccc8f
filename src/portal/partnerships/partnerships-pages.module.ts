import { Module } from '@nestjs/common';
import { AgreementsModule } from '../../agreements/agreements.module.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { ProgramsModule } from '../../programs/programs.module.js';
import { ReportsModule } from '../../reports/reports.module.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { AgreementPages } from './agreement-pages.controller.js';
import { FlowsPages } from './flows-pages.controller.js';
import { PartnershipNames } from './partnership-names.js';
import { ProgramPages } from './program-pages.controller.js';

/** The coordinators' (and admins') pages of agreements, programmes and the flows report. */
@Module({
  imports: [PortalCoreModule, AgreementsModule, ProgramsModule, ReportsModule, InstitutionsModule],
  controllers: [AgreementPages, ProgramPages, FlowsPages],
  providers: [PartnershipNames],
})
export class PartnershipsPagesModule {}
