import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TransitionName } from '../../applications/application.state-machine.js';
import { ApplicationsService } from '../../applications/applications.service.js';
import { ApplicationFieldsDto, ApplicationTransitionDto } from '../../applications/dto/application.dto.js';
import { CEFR_LEVELS } from '../../common/languages.js';
import { StrictValidationPipe } from '../../common/validation/validation.pipe.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { GENDERS } from '../../applications/application.entity.js';
import { field, localeOf, optionalField, PortalPages, type FieldErrors } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { BLANK_ROWS, draftFormOf, draftValuesOf, type DraftValues } from './forms.js';
import { languageOptions, statusTone } from './present.js';
import { backTo, isShownOnPage, StudentViews, type ApplicationContext } from './student-views.js';

/** The transitions a student takes, each a POST from the buttons of `student/application-actions.eta`. */
export const STUDENT_TRANSITIONS = ['submit', 'confirm', 'decline', 'withdraw'] as const satisfies readonly TransitionName[];

/** The student's applications: the list, the draft's form, and the student's actions on an application. */
@PortalController('portal')
@PortalRoles('student')
export class StudentApplicationsPages {
  private readonly pipe = new StrictValidationPipe();

  constructor(
    private readonly pages: PortalPages,
    private readonly applications: ApplicationsService,
    private readonly views: StudentViews,
  ) {}

  @Get('my/applications')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const cursor = field(request.query, 'cursor');
    const page = await this.applications.list(caller, { limit: 20, ...(cursor ? { cursor } : {}) });
    const rows = [];
    for (const application of page.items) {
      const program = await this.applications.programOf(caller, application.id);
      rows.push({ application, program, tone: statusTone(application.status) });
    }
    const names = await this.views.institutionNames(rows.map((row) => row.program.receivingInstitutionId));
    await this.pages.render(request, reply, 'student/applications', {
      title: t('student.applications.title'),
      rows: rows.map((row) => ({ ...row, receivingName: names.get(row.program.receivingInstitutionId) })),
      nextCursor: page.nextCursor,
    });
  }

  private async editPage(request: FastifyRequest, reply: FastifyReply, context: ApplicationContext, values: DraftValues, errors: FieldErrors = {}, message?: string, status = 200): Promise<void> {
    const t = this.pages.t(request);
    const rows = [...values.languageLevels, ...Array.from({ length: BLANK_ROWS }, () => ({ language: '', level: '' }))];
    await this.pages.render(
      request,
      reply,
      'student/edit',
      {
        title: t('student.edit.title'),
        ...context,
        tab: 'edit',
        back: `/portal/applications/${context.application.id}/edit`,
        values,
        rows,
        errors,
        message,
        languages: languageOptions(localeOf(request), values.languageLevels.map((row) => row.language)),
        levels: [...CEFR_LEVELS, 'native'],
        genders: GENDERS,
      },
      status,
    );
  }

  @Get('applications/:id/edit')
  async edit(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const context = await this.views.applicationOf(request.caller!, id);
    await this.editPage(request, reply, context, draftValuesOf(context.application, context.program.accommodation === 'host_family'));
  }

  /** The draft saved through PATCH /applications/{id}'s DTO and service; field errors shown next to their fields. */
  @Post('applications/:id/edit')
  @HttpCode(200)
  async save(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const context = await this.views.applicationOf(caller, id);
    const { input, values } = draftFormOf(body, context.program.accommodation === 'host_family');
    const form = await this.pages.validate(request, ApplicationFieldsDto, input);
    if ('errors' in form) return this.editPage(request, reply, context, values, form.errors, this.pages.t(request)('form.errors'), 400);
    try {
      await this.applications.update(caller, id, form.value);
    } catch (error) {
      if (!isShownOnPage(error)) throw error;
      const { errors, message } = this.pages.errorsOf(request, error);
      return this.editPage(request, reply, context, values, errors, message, error.status);
    }
    reply.redirect(`/portal/applications/${id}/edit?done=saved`, 303);
  }

  private transition(request: FastifyRequest, reply: FastifyReply, id: string, name: (typeof STUDENT_TRANSITIONS)[number], body: Record<string, unknown>): Promise<void> {
    const back = backTo(id, field(body, 'back'));
    return this.pages.act(reply, back, `student.${name}`, async () => {
      const reason = optionalField(body, 'reason');
      const dto = (await this.pipe.transform(reason ? { reason } : {}, { type: 'body', metatype: ApplicationTransitionDto })) as ApplicationTransitionDto;
      return this.applications.transition(request.caller!, id, name, dto);
    });
  }

  @Post('applications/:id/submit')
  submit(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.transition(request, reply, id, 'submit', body);
  }

  @Post('applications/:id/confirm')
  confirm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.transition(request, reply, id, 'confirm', body);
  }

  @Post('applications/:id/decline')
  decline(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.transition(request, reply, id, 'decline', body);
  }

  @Post('applications/:id/withdraw')
  withdraw(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    return this.transition(request, reply, id, 'withdraw', body);
  }
}
