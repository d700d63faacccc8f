import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { Dashboards } from './dashboards.js';
import { PortalPages } from './page.js';
import { PortalErrorFilter } from './portal.filter.js';
import { PortalSessionGuard } from './portal-session.guard.js';

/** What every pages module of the portal uses: rendering, the session guard, the error pages, the dashboards. */
@Module({
  imports: [AuthModule, UsersModule],
  providers: [PortalPages, PortalSessionGuard, PortalErrorFilter, Dashboards],
  exports: [PortalPages, PortalSessionGuard, PortalErrorFilter, Dashboards, AuthModule, UsersModule],
})
export class PortalCoreModule {}
