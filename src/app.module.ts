import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from './applications/applications.module.js';
import { AgreementsModule } from './agreements/agreements.module.js';
import { ArrivalsModule } from './arrivals/arrivals.module.js';
import { AuditHooksModule } from './audit/audit.hooks.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthCoreModule } from './auth/auth-core.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { CommonModule } from './common/common.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { MultipartGuard } from './common/http/multipart.guard.js';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor.js';
import { StrictValidationPipe } from './common/validation/validation.pipe.js';
import { ConfigModule } from './config/config.module.js';
import type { Settings } from './config/settings.js';
import { dataSourceOptions } from './database/data-source.js';
import { StartupDataService } from './database/seed/startup-data.service.js';
import { DocumentsModule } from './documents/documents.module.js';
import { HealthController } from './health/health.controller.js';
import { HostFamiliesModule } from './host-families/host-families.module.js';
import { InstitutionsModule } from './institutions/institutions.module.js';
import { LearningAgreementsModule } from './learning-agreements/learning-agreements.module.js';
import { MailModule } from './notifications/mail.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PlacementsModule } from './placements/placements.module.js';
import { PortalModule } from './portal/portal.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { ProgramsModule } from './programs/programs.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  /** The whole application for these settings and this database; migrations run on start. */
  static forRoot(settings: Settings, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(settings),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), migrationsRun: true }),
        CommonModule,
        AuditModule,
        MailModule,
        AuthCoreModule,
        UsersModule,
        AuthModule,
        InstitutionsModule,
        AgreementsModule,
        ProgramsModule,
        ApplicationsModule,
        DocumentsModule,
        LearningAgreementsModule,
        HostFamiliesModule,
        NotificationsModule,
        PlacementsModule,
        ArrivalsModule,
        ReportsModule,
        PrivacyModule,
        AuditHooksModule,
        PortalModule,
      ],
      controllers: [HealthController],
      providers: [
        StartupDataService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: MultipartGuard },
        { provide: APP_PIPE, useClass: StrictValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // Bound to the POST routes only, by createApp (interceptPostRoutes).
        IdempotencyInterceptor,
      ],
    };
  }
}
