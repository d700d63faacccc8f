import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TRANSPORT_MODES } from '../../applications/application.entity.js';
import { ArrivalsService } from '../../arrivals/arrivals.service.js';
import { PutTravelDto } from '../../arrivals/dto/arrival.dto.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { Caller } from '../../common/http/caller.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { PutLearningAgreementDto, type LearningAgreementView } from '../../learning-agreements/dto/learning-agreement.dto.js';
import { SIGNATORIES } from '../../learning-agreements/learning-agreement.entity.js';
import { LearningAgreementsService } from '../../learning-agreements/learning-agreements.service.js';
import type { PlacementView } from '../../placements/dto/placement.dto.js';
import { PortalPages, type FieldErrors } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { instantToLocal } from '../zoned-time.js';
import { agreementFormOf, agreementValuesOf, BLANK_ROWS, travelFormOf, travelValuesOf, type AgreementValues, type ComponentValues, type TravelValues } from './forms.js';
import { isShownOnPage, StudentViews, type ApplicationContext } from './student-views.js';

const blankRows = (): ComponentValues[] => Array.from({ length: BLANK_ROWS }, () => ({ code: '', title: '', credits: '', term: '' }));

/** The student's side of the mobility: the learning agreement, the travel details, the host family. */
@PortalController('portal')
@PortalRoles('student')
export class StudentMobilityPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly agreements: LearningAgreementsService,
    private readonly arrivals: ArrivalsService,
    private readonly institutions: InstitutionsService,
    private readonly views: StudentViews,
  ) {}

  // -------------------------------------------------------------------------------------
  // Learning agreement

  /** The current version, or null before its first save. */
  private async currentAgreement(caller: Caller, id: string): Promise<LearningAgreementView | null> {
    try {
      return await this.agreements.get(caller, id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'learning_agreement.not_found') return null;
      throw error;
    }
  }

  private async agreementPage(request: FastifyRequest, reply: FastifyReply, context: ApplicationContext, values?: AgreementValues, errors: FieldErrors = {}, message?: string, status = 200): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const id = context.application.id;
    const required = context.program.requiresLearningAgreement;
    const agreement = required ? await this.currentAgreement(caller, id) : null;
    const versions = agreement ? (await this.agreements.versions(caller, id)).items.filter((v) => v.supersededAt !== null).reverse() : [];
    const shown = values ?? agreementValuesOf(agreement);
    const signed = new Set((agreement?.signatures ?? []).map((s) => s.party));
    await this.pages.render(
      request,
      reply,
      'student/learning-agreement',
      {
        title: t('student.agreement.title'),
        ...context,
        tab: 'learning-agreement',
        back: `/portal/applications/${id}/learning-agreement`,
        required,
        agreement,
        versions,
        values: { components: [...shown.components, ...blankRows()], recognizedComponents: [...shown.recognizedComponents, ...blankRows()] },
        errors,
        message,
        signatories: SIGNATORIES.map((party) => ({ party, signature: agreement?.signatures.find((s) => s.party === party) ?? null })),
        missing: SIGNATORIES.filter((party) => !signed.has(party)),
        iHaveSigned: signed.has('student'),
      },
      status,
    );
  }

  @Get('applications/:id/learning-agreement')
  async agreement(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.agreementPage(request, reply, await this.views.applicationOf(request.caller!, id));
  }

  /** Components saved through PUT /applications/{id}/learning-agreement's DTO and service (a change after a signature: a new version). */
  @Post('applications/:id/learning-agreement')
  @HttpCode(200)
  async saveAgreement(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const context = await this.views.applicationOf(caller, id);
    const { input, values } = agreementFormOf(body);
    const form = await this.pages.validate(request, PutLearningAgreementDto, input);
    if ('errors' in form) return this.agreementPage(request, reply, context, values, form.errors, this.pages.t(request)('form.errors'), 400);
    try {
      await this.agreements.put(caller, id, form.value);
    } catch (error) {
      if (!isShownOnPage(error)) throw error;
      const { errors, message } = this.pages.errorsOf(request, error);
      return this.agreementPage(request, reply, context, values, errors, message, error.status);
    }
    reply.redirect(`/portal/applications/${id}/learning-agreement?done=saved`, 303);
  }

  @Post('applications/:id/learning-agreement/sign')
  async sign(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.pages.act(reply, `/portal/applications/${id}/learning-agreement`, 'student.signed', () => this.agreements.sign(request.caller!, id, {}));
  }

  // -------------------------------------------------------------------------------------
  // Travel and host family

  private async travelPage(request: FastifyRequest, reply: FastifyReply, context: ApplicationContext, values?: TravelValues, errors: FieldErrors = {}, message?: string, status = 200): Promise<void> {
    const t = this.pages.t(request);
    const receiving = await this.institutions.get(context.program.receivingInstitutionId);
    const placement = (context.application.placement ?? null) as PlacementView | null;
    await this.pages.render(
      request,
      reply,
      'student/travel',
      {
        title: t('student.travel.title'),
        ...context,
        tab: 'travel',
        back: `/portal/applications/${context.application.id}/travel`,
        timeZone: receiving.timezone,
        values: values ?? travelValuesOf(context.application.travel, receiving.timezone),
        savedArrival: instantToLocal(context.application.travel?.arrivalAt, receiving.timezone).replace('T', ' '),
        modes: TRANSPORT_MODES,
        // The travel details are given once the place is confirmed, until check-in (the service says so when refused).
        canEdit: context.application.status === 'confirmed',
        family: placement && placement.status === 'accepted' ? { ...placement.family, startsOn: placement.startsOn, endsOn: placement.endsOn } : null,
        errors,
        message,
      },
      status,
    );
  }

  @Get('applications/:id/travel')
  async travel(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.travelPage(request, reply, await this.views.applicationOf(request.caller!, id));
  }

  /** Travel details through PUT /applications/{id}/travel's DTO and the arrivals service; the time read in the receiving institution's zone. */
  @Post('applications/:id/travel')
  @HttpCode(200)
  async saveTravel(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const context = await this.views.applicationOf(caller, id);
    const receiving = await this.institutions.get(context.program.receivingInstitutionId);
    const { input, values } = travelFormOf(body, receiving.timezone);
    const form = await this.pages.validate(request, PutTravelDto, input);
    if ('errors' in form) return this.travelPage(request, reply, context, values, form.errors, this.pages.t(request)('form.errors'), 400);
    try {
      await this.arrivals.putTravel(caller, id, form.value);
    } catch (error) {
      if (!isShownOnPage(error)) throw error;
      const { errors, message } = this.pages.errorsOf(request, error);
      return this.travelPage(request, reply, context, values, errors, message, error.status);
    }
    reply.redirect(`/portal/applications/${id}/travel?done=student.travelSaved`, 303);
  }
}
