import { Module, type OnModuleInit } from '@nestjs/common';
import { ApplicationsModule } from '../../applications/applications.module.js';
import { ArrivalsModule } from '../../arrivals/arrivals.module.js';
import { ArrivalsService } from '../../arrivals/arrivals.service.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { Dashboards } from '../dashboards.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { ArrivalsPages } from './arrivals.controller.js';
import { ChecklistPages } from './checklist.controller.js';

/** The host school's pages: the arrivals board with check-in and its calendar link, the students' checklists, its home page. */
@Module({
  imports: [PortalCoreModule, ApplicationsModule, ArrivalsModule, InstitutionsModule],
  controllers: [ArrivalsPages, ChecklistPages],
})
export class HostSchoolPagesModule implements OnModuleInit {
  constructor(
    private readonly dashboards: Dashboards,
    private readonly arrivals: ArrivalsService,
  ) {}

  onModuleInit(): void {
    // What the host school looks at first: who arrives today, who is overdue, what is past due.
    this.dashboards.register('host_school', async (caller) => ({ template: 'host-school/dashboard', data: { arrivalCounts: await this.arrivals.summary(caller) } }));
  }
}
