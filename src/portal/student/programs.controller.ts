import { Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationsService } from '../../applications/applications.service.js';
import { CreateApplicationDto } from '../../applications/dto/application.dto.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { ProgramsService } from '../../programs/programs.service.js';
import { field, localeOf, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { closingIn, requirementOf } from './present.js';
import { isShownOnPage, redirectWithError, StudentViews } from './student-views.js';

/** The programmes open to the student, and applying to one. */
@PortalController('portal')
@PortalRoles('student')
export class StudentProgramsPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly programs: ProgramsService,
    private readonly applications: ApplicationsService,
    private readonly views: StudentViews,
  ) {}

  @Get('my/programs')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const locale = localeOf(request);
    const cursor = field(request.query, 'cursor');
    // What GET /programs?open=true answers the student: the published programmes of its home institution, window open now.
    const page = await this.programs.list(caller, { open: 'true', limit: 20, ...(cursor ? { cursor } : {}) });
    const seatsLeft = await this.applications.seatsLeft(
      caller,
      page.items.map((p) => p.id),
    );
    // Where the student has applied already: a link to that application instead of "Apply".
    const mine = await this.applications.list(caller, { limit: 100 });
    const applied = new Map(mine.items.map((a) => [a.programId, a.id]));
    const names = await this.views.institutionNames(page.items.flatMap((p) => [p.sendingInstitutionId, p.receivingInstitutionId]));
    const now = new Date();
    const programs = page.items.map((program) => ({
      ...program,
      sendingName: names.get(program.sendingInstitutionId),
      receivingName: names.get(program.receivingInstitutionId),
      seatsLeft: seatsLeft.get(program.id) ?? program.seats,
      closing: closingIn(t, locale, program.applicationClosesAt, now),
      requirement: requirementOf(t, locale, program),
      applicationId: applied.get(program.id) ?? null,
    }));
    await this.pages.render(request, reply, 'student/programs', { title: t('student.programs.title'), programs, nextCursor: page.nextCursor });
  }

  /** "Apply": the draft is created (POST /applications) and the student goes on to fill it in. */
  @Post('programs/:id/apply')
  async apply(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) programId: string): Promise<void> {
    const form = await this.pages.validate(request, CreateApplicationDto, { programId });
    if ('errors' in form) return void reply.redirect('/portal/my/programs?error=validation.failed', 303);
    try {
      const created = await this.applications.create(request.caller!, form.value);
      reply.redirect(`/portal/applications/${created.id}/edit?done=student.applied`, 303);
    } catch (error) {
      if (!isShownOnPage(error)) throw error;
      redirectWithError(reply, '/portal/my/programs', error);
    }
  }
}
