import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { HostFamiliesModule } from '../host-families/host-families.module.js';
import { ErasureService } from './erasure.service.js';
import { ExportRepository } from './export.repository.js';
import { HostFamilyPrivacyController, PrivacyController } from './privacy.controller.js';
import { PrivacyRepository } from './privacy.repository.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionService } from './retention.service.js';

/**
 * Exports, erasure and retention of personal data. It reads the other domains' tables and
 * acts through their services (a student's withdrawals, a family's suspension); none of
 * them imports it. The audit log and the token service are global.
 */
@Module({
  imports: [ApplicationsModule, HostFamiliesModule],
  controllers: [PrivacyController, HostFamilyPrivacyController],
  providers: [PrivacyService, ErasureService, RetentionService, PrivacyRepository, ExportRepository],
  exports: [RetentionService, PrivacyService],
})
export class PrivacyModule {}
