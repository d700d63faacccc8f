import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import type { Caller } from '../../common/http/caller.js';
import { HostFamiliesModule } from '../../host-families/host-families.module.js';
import { InstitutionsModule } from '../../institutions/institutions.module.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { MailQueue } from '../../notifications/mail-queue.js';
import { UsersService } from '../../users/users.service.js';
import { Dashboards } from '../dashboards.js';
import { PortalCoreModule } from '../portal-core.module.js';
import { AuditPages } from './audit.controller.js';
import { InstitutionPages } from './institutions.controller.js';
import { UserPages } from './users.controller.js';

/** The admins' pages: institutions, staff accounts (coordinators too, for their host staff), the audit log, the admin's home page. */
@Module({
  imports: [PortalCoreModule, InstitutionsModule, HostFamiliesModule],
  controllers: [InstitutionPages, UserPages, AuditPages],
})
export class AdminPagesModule implements OnModuleInit {
  constructor(
    private readonly dashboards: Dashboards,
    private readonly institutions: InstitutionsService,
    private readonly users: UsersService,
    private readonly mail: MailQueue,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.dashboards.register('admin', (caller) => this.dashboard(caller));
  }

  /** The platform at a glance: institutions, accounts by role, mails given up, and the last check of the audit chain. */
  private async dashboard(caller: Caller) {
    const [institutions, users, mail, checks] = await Promise.all([
      this.institutions.count(),
      this.users.countByRole(caller),
      this.mail.overview(),
      this.audit.list(caller, { action: 'audit.verify', limit: 1 }),
    ]);
    const last = checks.items[0] ?? null;
    return {
      template: 'admin/dashboard',
      data: {
        counts: { institutions, users },
        mail: { counts: mail.counts, dead: mail.dead.slice(0, 5) },
        lastCheck: last ? { at: last.at, valid: last.details?.valid === true, checked: last.details?.checked ?? null, firstBroken: (last.details?.firstBroken as { seq: string; reason: string } | undefined) ?? null } : null,
      },
    };
  }
}
