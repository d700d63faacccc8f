import { Body, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationTransitionDto } from '../../applications/dto/application.dto.js';
import { ApplicationsService } from '../../applications/applications.service.js';
import { ArrivalsService } from '../../arrivals/arrivals.service.js';
import { CalendarFeedsService } from '../../arrivals/calendar-feeds.service.js';
import { localDate } from '../../arrivals/deadlines.js';
import { ArrivalsFeedQuery, ArrivalsQuery, type ArrivalView } from '../../arrivals/dto/arrival.dto.js';
import { addDays } from '../../common/calendar.js';
import { CommonErrors } from '../../common/errors/domain-error.js';
import type { Caller } from '../../common/http/caller.js';
import { isUuid } from '../../common/validation/uuid.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { SETTINGS, type Settings } from '../../config/settings.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { field, localeOf, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { OpenPage, PortalRoles } from '../portal-session.guard.js';
import { attempt, backTo, invalid, param, queryString, type Refusal } from './forms.js';
import { localToInstant, zonedDateTime } from '../zoned-time.js';

/** The board's ready-made views: arriving today, in the next seven days, and what is overdue. */
export const BOARD_VIEWS = ['today', 'week', 'overdue'] as const;
type BoardView = (typeof BOARD_VIEWS)[number] | 'dates';

const BOARD = '/portal/arrivals';
const PAGE_SIZE = '50';

/**
 * The arrivals board of a receiving institution (its host-school staff and coordinators;
 * admins any): who arrives when, with travel, pickup, family and checklist progress, a
 * check-in button, and the calendar link to subscribe to it. Everything from
 * ArrivalsService.board and ApplicationsService.transition, as the API's routes.
 */
/** A typed check-in time read on the institution's clocks, or as typed for the API's validator to name. */
function localOrTyped(value: string | undefined, zone: string): string | undefined {
  return value === undefined ? undefined : (localToInstant(value, zone) ?? value);
}

@PortalController('portal')
export class ArrivalsPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly arrivals: ArrivalsService,
    private readonly feeds: CalendarFeedsService,
    private readonly applications: ApplicationsService,
    private readonly institutions: InstitutionsService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @PortalRoles('host_school', 'coordinator', 'admin')
  @Get('arrivals')
  async board(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.showBoard(request, reply, request.query as Record<string, unknown>);
  }

  /** Check-in (confirmed → arrived), now or at the time given in the institution's zone. */
  @PortalRoles('host_school', 'coordinator', 'admin')
  @Post('arrivals/:id/check-in')
  async checkIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const back = backTo(field(body, 'back'), BOARD, BOARD);
    const shownAgain = (refusal: Refusal) => this.showBoard(request, reply, Object.fromEntries(new URL(back, 'http://portal').searchParams), { failed: { id, ...refusal } }, refusal.status);
    // The time typed is a time of the receiving institution's zone (404 here for an application the caller does not see).
    const application = await this.applications.visible(caller, id);
    const { timezone } = await this.institutions.get(application.receivingInstitutionId);
    const form = await this.pages.validate(request, ApplicationTransitionDto, withoutEmpty({ arrivedAt: localOrTyped(optionalField(body, 'arrivedAt'), timezone) }));
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(this.pages, request, reply, { back, done: 'arrival.checkedIn' }, () => this.applications.transition(caller, id, 'check-in', form.value), shownAgain);
  }

  /** A new calendar link: the one given before stops working. */
  @PortalRoles('host_school', 'coordinator', 'admin')
  @Post('arrivals/feed')
  async renewFeed(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.feeds.renew(request.caller!);
    reply.redirect(`${BOARD}?done=arrival.feedRenewed#calendar`, 303);
  }

  /**
   * The calendar feed behind a subscription link: no session (a calendar application has
   * none), the secret in the path; the same filters as GET /api/v1/arrivals.ics.
   */
  @OpenPage()
  @Get('arrivals/feed/:file')
  async feed(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('file') file: string): Promise<void> {
    const token = /^(.+)\.ics$/.exec(file)?.[1];
    if (!token) throw CommonErrors.notFound('calendar_feed');
    const form = await this.pages.validate(request, ArrivalsFeedQuery, { ...(request.query as Record<string, unknown>) });
    if ('errors' in form) throw CommonErrors.validation(Object.entries(form.errors).map(([name, message]) => ({ field: name, key: null, message })));
    const calendar = await this.feeds.feed(token, form.value);
    reply.header('Cache-Control', 'private, max-age=300').header('Content-Disposition', 'inline; filename="arrivals.ics"').type('text/calendar; charset=utf-8').send(calendar);
  }

  private async showBoard(request: FastifyRequest, reply: FastifyReply, query: Record<string, unknown>, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const institutionId = caller.role === 'admin' ? param(query, 'institutionId') : undefined;
    const timezone = await this.zoneOf(caller, institutionId);
    const today = localDate(new Date(), timezone);
    const from = param(query, 'from');
    const to = param(query, 'to');
    const requested = param(query, 'view');
    const view: BoardView = from || to ? 'dates' : (BOARD_VIEWS as readonly string[]).includes(requested ?? '') ? (requested as BoardView) : 'today';
    const filters = view === 'today' ? { from: today, to: today } : view === 'week' ? { from: today, to: addDays(today, 6) } : view === 'overdue' ? { status: 'overdue' } : { from, to };
    const shown = { view, from: from ?? '', to: to ?? '', institutionId: institutionId ?? '' };
    const here = `${BOARD}${queryString({ view: view === 'dates' ? undefined : view, from, to, institutionId, cursor: param(query, 'cursor') })}`;

    const form = await this.pages.validate(request, ArrivalsQuery, withoutEmpty({ ...filters, institutionId, cursor: param(query, 'cursor'), limit: PAGE_SIZE }));
    let rows: ArrivalView[] = [];
    let next: string | null = null;
    let errors = {};
    if ('errors' in form) {
      errors = form.errors;
      status = 400;
    } else {
      const page = await this.arrivals.board(caller, form.value);
      rows = page.items;
      next = page.nextCursor ? `${BOARD}${queryString({ view: view === 'dates' ? undefined : view, from, to, institutionId, cursor: page.nextCursor })}` : null;
    }
    const link = await this.feeds.linkOf(caller);
    await this.pages.render(
      request,
      reply,
      'host-school/arrivals',
      {
        title: t('arrivals.title'),
        rows,
        next,
        errors,
        shown,
        here,
        today,
        timezone,
        zoned: zonedDateTime(localeOf(request), timezone),
        institutions: caller.role === 'admin' ? (await this.institutions.list({ limit: 100 })).items : [],
        feed: link ? { url: `${this.settings.publicUrl}${BOARD}/feed/${link.token}.ics`, createdAt: link.createdAt } : null,
        failed: null,
        ...extra,
      },
      status,
    );
  }

  /** The zone the board's times are read in: the caller's institution's; an admin's, the one chosen (UTC across all). */
  private async zoneOf(caller: Caller, institutionId: string | undefined): Promise<string> {
    const id = caller.role === 'admin' ? institutionId : caller.institutionId;
    if (!id || !isUuid(id)) return 'UTC';
    return (await this.institutions.get(id).catch(() => null))?.timezone ?? 'UTC';
  }
}

/** The fields that were given (a form's empty field is no value for the API's DTO). */
function withoutEmpty<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}
