import { Module, type OnModuleInit } from '@nestjs/common';
import { ApplicationsModule } from '../../applications/applications.module.js';
import { ArrivalsModule } from '../../arrivals/arrivals.module.js';
import { DocumentsModule } from '../../documents/documents.module.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { LearningAgreementsModule } from '../../learning-agreements/learning-agreements.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { PrivacyModule } from '../../privacy/privacy.module.js';
import { ProgramsModule } from '../../programs/programs.module.js';
import { Dashboards } from '../dashboards.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { AccountPages } from './account.controller.js';
import { StudentApplicationsPages } from './applications.controller.js';
import { StudentDocumentsPages } from './documents.controller.js';
import { StudentMobilityPages } from './mobility.controller.js';
import { StudentProgramsPages } from './programs.controller.js';
import { StudentDashboard } from './student-dashboard.js';
import { StudentViews } from './student-views.js';

/**
 * The student's pages: programmes open to it, applying, the draft, documents, the
 * student's actions (submit, confirm, decline, withdraw), the learning agreement, travel
 * details and host family; and everyone's notifications and personal data. Presentation
 * only: each page calls the services the API's routes call, as the signed-in caller.
 */
@Module({
  imports: [PortalCoreModule, ApplicationsModule, ProgramsModule, InstitutionsModule, DocumentsModule, LearningAgreementsModule, ArrivalsModule, NotificationsModule, PrivacyModule],
  controllers: [StudentProgramsPages, StudentApplicationsPages, StudentDocumentsPages, StudentMobilityPages, AccountPages],
  providers: [StudentViews, StudentDashboard],
})
export class StudentPagesModule implements OnModuleInit {
  constructor(
    private readonly dashboards: Dashboards,
    private readonly dashboard: StudentDashboard,
  ) {}

  onModuleInit(): void {
    this.dashboards.register('student', (caller) => this.dashboard.of(caller));
  }
}
