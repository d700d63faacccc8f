import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArrivalsService } from '../../arrivals/arrivals.service.js';
import { CompleteItemDto } from '../../arrivals/dto/arrival.dto.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { field, localeOf, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { attempt, invalid, type Refusal } from './forms.js';
import { zonedDateTime } from '../zoned-time.js';

const CHECKLIST = /^\/portal\/applications\/([0-9a-f-]{36})\/checklist$/;

/**
 * A student's arrival checklist (the page the reminders link to): each formality with its
 * due date, who answers for it and its status, and "complete" with a note for whoever the
 * service lets complete it — the receiving institution's staff, admins, and the family the
 * student lives with for its own items. Everyone else: 404, as the API.
 */
@PortalController('portal')
export class ChecklistPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly arrivals: ArrivalsService,
  ) {}

  @Get('applications/:id/checklist')
  async checklist(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.show(request, reply, id);
  }

  @Post('checklist-items/:id/complete')
  async complete(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) itemId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const back = field(body, 'back') ?? '';
    const applicationId = CHECKLIST.exec(back)?.[1];
    const note = optionalField(body, 'note');
    const shownAgain = async (refusal: Refusal) => {
      if (!applicationId) return void reply.redirect('/', 303);
      await this.show(request, reply, applicationId, { failed: { id: itemId, note: note ?? '', ...refusal } }, refusal.status);
    };
    const form = await this.pages.validate(request, CompleteItemDto, note === undefined ? {} : { note });
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(this.pages, request, reply, { back: applicationId ? back : '/', done: 'checklist.completed' }, () => this.arrivals.complete(caller, itemId, form.value, localeOf(request)), shownAgain);
  }

  private async show(request: FastifyRequest, reply: FastifyReply, applicationId: string, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const locale = localeOf(request);
    const { application, items } = await this.arrivals.checklistFor(caller, applicationId, locale);
    await this.pages.render(
      request,
      reply,
      'host-school/checklist',
      {
        title: t('checklist.title', { name: application.studentName }),
        application,
        items,
        here: `/portal/applications/${application.id}/checklist`,
        zoned: zonedDateTime(locale, application.timezone),
        seesBoard: caller.role === 'host_school' || caller.role === 'coordinator' || caller.role === 'admin',
        failed: null,
        ...extra,
      },
      status,
    );
  }
}
