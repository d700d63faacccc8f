import { Body, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APPLICATION_STATUSES } from '../../applications/application.entity.js';
import type { TransitionName } from '../../applications/application.state-machine.js';
import { ApplicationsService } from '../../applications/applications.service.js';
import { ApplicationTransitionDto, ListApplicationsQuery, type ApplicationView } from '../../applications/dto/application.dto.js';
import { DocumentsService } from '../../documents/documents.service.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import type { ProgramView } from '../../programs/dto/program.dto.js';
import { ProgramsService } from '../../programs/programs.service.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { languageName } from '../../placements/matching.texts.js';
import { field, localeOf, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { checked } from './checked.js';
import { PortalRoles } from '../portal-session.guard.js';

/**
 * The transitions staff take from the application's page (the student's own — submit,
 * confirm, decline, withdraw — are posted to the student's pages), by their route's name
 * and the key of the message shown once done.
 */
export const STAFF_ACTIONS: Partial<Record<TransitionName, string>> = {
  nominate: 'coordinator.nominated',
  accept: 'coordinator.accepted',
  waitlist: 'coordinator.waitlisted',
  reject: 'coordinator.rejected',
  cancel: 'coordinator.cancelled',
  'check-in': 'coordinator.checkedIn',
  complete: 'coordinator.completed',
};

/** Query values as the list's DTO reads them: the empty choice of a filter is no filter. */
function filters(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['direction', 'status', 'programId', 'limit', 'cursor']) {
    const value = query[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

/**
 * The applications as the people who handle them read them: the coordinators' queues
 * (outgoing and incoming, with filters), and the application's own page for everyone who
 * may see it, with its documents, its history and the actions the reader may take.
 */
@PortalController('portal/applications')
export class ApplicationPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly applications: ApplicationsService,
    private readonly documents: DocumentsService,
    private readonly programs: ProgramsService,
    private readonly institutions: InstitutionsService,
  ) {}

  @Get()
  @PortalRoles('coordinator', 'admin')
  async queue(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const chosen = filters(query);
    const form = await this.pages.validate(request, ListApplicationsQuery, chosen);
    const programs = await this.programs.list(caller, { limit: 100 });
    let items: ApplicationView[] = [];
    let nextCursor: string | null = null;
    if ('value' in form) ({ items, nextCursor } = await this.applications.list(caller, form.value));
    const titles = await this.programTitles(caller, programs.items, items);
    const keep = { ...chosen };
    delete keep.cursor;
    const next = nextCursor ? `/portal/applications?${new URLSearchParams({ ...keep, cursor: nextCursor })}` : null;
    const here = (direction?: string) => `/portal/applications${direction ? `?direction=${direction}` : ''}`;
    await this.pages.render(
      request,
      reply,
      'applications/queue',
      {
        title: t('queue.title'),
        filters: chosen,
        errors: 'errors' in form ? form.errors : {},
        message: 'errors' in form ? form.message : null,
        statuses: APPLICATION_STATUSES,
        programs: programs.items,
        items: items.map((a) => ({ ...a, programTitle: titles.get(a.programId) ?? '' })),
        next,
        tabs: caller.role === 'coordinator' ? [undefined, 'outgoing', 'incoming'].map((direction) => ({ direction, href: here(direction), current: chosen.direction === direction })) : [],
      },
      'errors' in form ? 400 : 200,
    );
  }

  /** The titles of the programmes of a page of applications (those not among the first hundred read one by one). */
  private async programTitles(caller: NonNullable<FastifyRequest['caller']>, known: ProgramView[], items: ApplicationView[]): Promise<Map<string, string>> {
    const titles = new Map(known.map((p) => [p.id, p.title]));
    for (const id of new Set(items.map((a) => a.programId))) if (!titles.has(id)) titles.set(id, (await this.programs.get(caller, id)).title);
    return titles;
  }

  @Get(':id')
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    // 404 for whoever may not see it, as the API's GET /applications/{id}.
    const application = await this.applications.get(caller, id);
    const [program, history, documents] = await Promise.all([this.applications.programOf(caller, id), this.applications.history(caller, id), this.documents.list(caller, id)]);
    const [sending, receiving] = await Promise.all([this.institutions.get(application.sendingInstitutionId), this.institutions.get(application.receivingInstitutionId)]);
    const receivingSide = caller.role === 'admin' || (caller.role === 'coordinator' && caller.institutionId === application.receivingInstitutionId);
    const placement = application.placement as { id: string; status: string; startsOn: string; endsOn: string; family: { displayName: string } } | undefined;
    await this.pages.render(request, reply, 'applications/show', {
      title: t('applicationPage.title', { name: application.studentName }),
      application,
      program,
      sending,
      receiving,
      documents: documents.items,
      history: history.items,
      placement: placement ?? null,
      staffActions: caller.role === 'student' ? [] : application.allowedTransitions.filter((name) => name in STAFF_ACTIONS),
      // Matching is the receiving side's, for a stay with a family not yet found (the matches page asks the service again).
      findFamily: receivingSide && program.accommodation === 'host_family' && ['accepted', 'confirmed'].includes(application.status) && !placement,
      hasChecklist: ['arrived', 'completed'].includes(application.status) || application.arrivedAt !== null,
      lang: (code: string) => languageName(code, localeOf(request)),
    });
  }

  @Post(':id/transitions/:name')
  @PortalRoles('coordinator', 'admin', 'host_school')
  async transition(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Param('name') name: string, @Body() body: unknown): Promise<void> {
    const done = STAFF_ACTIONS[name as TransitionName];
    if (!done) throw new NotFoundException();
    const back = `/portal/applications/${id}`;
    await this.pages.act(reply, back, done, async () => {
      const dto = await checked(ApplicationTransitionDto, { comment: optionalField(body, 'comment'), reason: field(body, 'reason') });
      return this.applications.transition(request.caller!, id, name as TransitionName, dto);
    });
  }
}
