import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { refusalOf, type RefusalRecorder } from '../common/access/refusals.js';
import { loggablePath } from '../common/http/loggable-path.js';
import type { DomainError } from '../common/errors/domain-error.js';
import { AuditLog } from './audit-log.js';

/** Refused requests into the audit log (`access.denied` for 403, `access.not_found` for 404). */
@Injectable()
export class AuditRefusals implements RefusalRecorder {
  constructor(private readonly audit: AuditLog) {}

  async refused(request: FastifyRequest, error: DomainError): Promise<void> {
    const refusal = refusalOf(request, error);
    if (!refusal) return;
    const path = loggablePath(request.url).slice(0, 300);
    await this.audit.recordRefusal({
      action: error.status === 403 ? 'access.denied' : 'access.not_found',
      targetType: refusal.resource,
      targetId: refusal.targetId,
      details: { method: request.method, path, status: error.status, code: error.code },
    });
  }
}
