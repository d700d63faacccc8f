import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../../applications/applications.module.js';
import { DocumentsModule } from '../../documents/documents.module.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { PlacementsModule } from '../../placements/placements.module.js';
import { ProgramsModule } from '../../programs/programs.module.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { ApplicationPages } from './application-pages.controller.js';
import { DocumentPages } from './document-pages.controller.js';
import { MatchPages } from './match-pages.controller.js';

/**
 * The application's page, shared by everyone who may see an application (its student,
 * the coordinators of both sides, the host school, admins), the coordinators' queues,
 * document downloads, and the matches of an application with host families.
 */
@Module({
  imports: [PortalCoreModule, ApplicationsModule, DocumentsModule, ProgramsModule, InstitutionsModule, PlacementsModule],
  controllers: [ApplicationPages, DocumentPages, MatchPages],
})
export class ApplicationsPagesModule {}
