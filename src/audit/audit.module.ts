import { Global, Module } from '@nestjs/common';
import { REFUSAL_RECORDER } from '../common/access/refusals.js';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditRefusals } from './audit-refusals.js';

/**
 * The audit log: global, since every domain records its changes through `AuditLog`
 * (infrastructure, like TransactionHost). The lifecycles' transitions are recorded by
 * AuditHooksModule on their hooks; other changes are recorded by their services.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditRepository, AuditService, { provide: REFUSAL_RECORDER, useClass: AuditRefusals }],
  exports: [AuditLog, AuditRepository, AuditService, REFUSAL_RECORDER],
})
export class AuditModule {}
