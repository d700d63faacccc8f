import { Injectable } from '@nestjs/common';
import { ApplicationsService } from '../../applications/applications.service.js';
import type { Caller } from '../../common/http/caller.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { ProgramsService } from '../../programs/programs.service.js';
import type { Dashboard } from '../dashboards.js';
import { translator } from '../i18n/index.js';
import { closingIn, statusTone } from './present.js';

/** The student's home page: its applications and where they stand, the programmes open to it, its unread notifications. */
@Injectable()
export class StudentDashboard {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly programs: ProgramsService,
    private readonly notifications: NotificationsService,
  ) {}

  async of(caller: Caller): Promise<Dashboard> {
    const t = translator(caller.locale);
    const mine = await this.applications.list(caller, { limit: 20 });
    const applications = [];
    for (const application of mine.items) {
      applications.push({ application, program: await this.applications.programOf(caller, application.id), tone: statusTone(application.status) });
    }
    const open = await this.programs.list(caller, { open: 'true', limit: 5 });
    const now = new Date();
    return {
      template: 'student/dashboard',
      data: {
        applications,
        moreApplications: mine.nextCursor !== null,
        programs: open.items.map((program) => ({ ...program, closing: closingIn(t, caller.locale, program.applicationClosesAt, now), applied: mine.items.some((a) => a.programId === program.id) })),
        morePrograms: open.nextCursor !== null,
        unread: await this.notifications.countUnread(caller),
      },
    };
  }
}
