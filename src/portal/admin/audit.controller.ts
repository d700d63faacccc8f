import { Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../../audit/audit.service.js';
import type { AuditVerificationView } from '../../audit/dto/audit.dto.js';
import { ListAuditQuery } from '../../audit/dto/audit.dto.js';
import { PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { param, queryString } from '../host-school/forms.js';

const PAGE = '/portal/admin/audit';
const FILTERS = ['actorId', 'targetId', 'action', 'from', 'to'] as const;

/**
 * The audit log for admins, newest first, with the API's filters and keyset pages
 * (AuditService.list), and the check of its hash chain (AuditService.verify): intact, or
 * the first entry found changed, removed or inserted.
 */
@PortalController('portal/admin')
@PortalRoles('admin')
export class AuditPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly audit: AuditService,
  ) {}

  @Get('audit')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.show(request, reply, null);
  }

  /** The check is itself recorded in the log: a POST (with its CSRF token), whose answer is the verdict. */
  @Post('audit/verify')
  async verify(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.show(request, reply, await this.audit.verify());
  }

  private async show(request: FastifyRequest, reply: FastifyReply, verification: AuditVerificationView | null): Promise<void> {
    const t = this.pages.t(request);
    const query = request.method === 'GET' ? request.query : {};
    const shown = Object.fromEntries(FILTERS.map((name) => [name, param(query, name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
    // The instants are typed as UTC times (datetime-local fields): the API wants them with their offset.
    const asInstant = (value: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value);
    const given = Object.fromEntries(Object.entries({ ...shown, from: asInstant(shown.from), to: asInstant(shown.to) }).filter(([, value]) => value !== ''));
    const form = await this.pages.validate(request, ListAuditQuery, { ...given, ...(param(query, 'cursor') ? { cursor: param(query, 'cursor') } : {}), limit: '50' });
    const page = 'errors' in form ? { items: [], nextCursor: null } : await this.audit.list(request.caller!, form.value);
    await this.pages.render(
      request,
      reply,
      'admin/audit',
      {
        title: t('audit.title'),
        items: page.items,
        shown,
        errors: 'errors' in form ? form.errors : {},
        verification,
        next: page.nextCursor ? `${PAGE}${queryString({ ...shown, cursor: page.nextCursor })}` : null,
      },
      'errors' in form ? 400 : 200,
    );
  }
}
