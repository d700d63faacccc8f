import { Module } from '@nestjs/common';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { AdminPagesModule } from './admin/admin-pages.module.js';
import { ApplicationsPagesModule } from './applications/applications-pages.module.js';
import { CoordinatorPagesModule } from './coordinator/coordinator-pages.module.js';
import { FamilyPagesModule } from './family/family-pages.module.js';
import { HostSchoolPagesModule } from './host-school/host-school-pages.module.js';
import { HomePage } from './pages/home.controller.js';
import { PortalNotFound } from './pages/not-found.controller.js';
import { PartnershipsPagesModule } from './partnerships/partnerships-pages.module.js';
import { SignInPages } from './pages/sign-in.controller.js';
import { PortalCoreModule } from './portal-core.module.js';
import { StudentPagesModule } from './student/student-pages.module.js';

/**
 * The web portal: server-rendered pages (Eta templates in views/, labels in i18n/) for
 * every role, at `/` and under `/portal/`. Presentation only: each page calls the same
 * services as the API, so no business rule, validation or access decision is written
 * twice. Each role's pages are a module of their own (student/, coordinator/, …).
 */
@Module({
  imports: [PortalCoreModule, InstitutionsModule, PartnershipsPagesModule, HostSchoolPagesModule, FamilyPagesModule, AdminPagesModule, CoordinatorPagesModule, ApplicationsPagesModule, StudentPagesModule],
  controllers: [SignInPages, HomePage, PortalNotFound],
})
export class PortalModule {}
