import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { AGREEMENT_STATUSES } from '../../agreements/agreement.entity.js';
import { ApproveAgreementDto, CreateAgreementDto, ListAgreementsQuery, UpdateAgreementDto, type AgreementView } from '../../agreements/dto/agreement.dto.js';
import { TransitionDto } from '../../common/dto/transition.dto.js';
import type { Caller } from '../../common/http/caller.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { field, optionalField, PortalPages, type FieldErrors } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { agreementFields, agreementFormErrors, agreementFormFrom, agreementFormOf, emptyAgreementForm, quotaInput, type AgreementForm } from './agreement-form.js';
import { dtoOf, isFormRefusal, shownErrors } from './form-errors.js';
import { PartnershipNames } from './partnership-names.js';

/** A coordinator's own institution, which its agreement forms always include; none for an admin. */
const ownInstitution = (caller: Caller): string | null => (caller.role === 'coordinator' ? caller.institutionId : null);

/**
 * Partnership agreements: the list, a proposal with its quotas, one agreement (partners,
 * quotas, approvals, versions; approve, edit, terminate). `/portal/agreements/{id}` is the
 * page the notification e-mails link to. Every read and change is AgreementsService's.
 */
@PortalController('portal/agreements')
@PortalRoles('coordinator', 'admin')
export class AgreementPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly agreements: AgreementsService,
    private readonly names: PartnershipNames,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    const filter = { status: optionalField(query, 'status'), cursor: optionalField(query, 'cursor') };
    const shown = { title: t('agreements.title'), statuses: AGREEMENT_STATUSES, filter, institutions: await this.names.institutionNames() };
    const valid = await this.pages.validate(request, ListAgreementsQuery, filter);
    if ('errors' in valid) return this.pages.render(request, reply, 'partnerships/agreements', { ...shown, items: [], nextCursor: null, errors: valid.errors }, 400);
    const page = await this.agreements.list(request.caller!, valid.value);
    await this.pages.render(request, reply, 'partnerships/agreements', { ...shown, items: page.items, nextCursor: page.nextCursor, errors: {} });
  }

  private async formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { agreement?: AgreementView; form: AgreementForm; errors?: FieldErrors; message?: string },
    status = 200,
  ): Promise<void> {
    const t = this.pages.t(request);
    const caller = request.caller!;
    const own = ownInstitution(caller);
    await this.pages.render(
      request,
      reply,
      'partnerships/agreement-form',
      {
        title: page.agreement ? t('agreements.editTitle', { title: page.agreement.title }) : t('agreements.newTitle'),
        agreement: page.agreement ?? null,
        action: page.agreement ? `/portal/agreements/${page.agreement.id}/edit` : '/portal/agreements',
        form: page.form,
        own: own && page.form.partners[0] === own ? own : null,
        errors: page.errors ?? {},
        message: page.message ?? null,
        institutions: await this.names.institutionNames(),
        quotaInput,
      },
      status,
    );
  }

  @Get('new')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.formPage(request, reply, { form: emptyAgreementForm(ownInstitution(request.caller!)) });
  }

  @Post()
  @HttpCode(200)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const form = agreementFormOf(body, ownInstitution(caller));
    const { fields, partnerSlots, quotaRows } = agreementFields(form);
    const again = (errors: FieldErrors, message: string, status: number) =>
      this.formPage(request, reply, { form, errors: agreementFormErrors(errors, partnerSlots, quotaRows), message }, status);
    const valid = await this.pages.validate(request, CreateAgreementDto, fields);
    if ('errors' in valid) return again(valid.errors, this.pages.t(request)('form.errors'), 400);
    try {
      const created = await this.agreements.create(caller, valid.value);
      reply.redirect(`/portal/agreements/${created.id}?done=agreementProposed`, 303);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const shown = shownErrors(this.pages, request, error);
      await again(shown.errors, shown.message, error.status);
    }
  }

  @Get(':id')
  async detail(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const agreement = await this.agreements.get(caller, id);
    const versions = (await this.agreements.versions(caller, id)).items;
    const people = await this.names.people([
      agreement.createdBy,
      agreement.terminatedBy,
      ...versions.flatMap((version) => [version.supersededBy, ...version.approvals.map((approval) => approval.approvedBy)]),
    ]);
    // Which buttons to offer; whether the action is allowed stays the service's to decide.
    const mayApproveFor = agreement.status === 'terminated' ? [] : caller.role === 'admin' ? agreement.awaitingApprovalFrom : agreement.awaitingApprovalFrom.filter((partner) => partner === caller.institutionId);
    await this.pages.render(request, reply, 'partnerships/agreement', {
      title: agreement.title,
      agreement,
      versions,
      people,
      institutions: await this.names.institutionNames(),
      mayApproveFor,
      onBehalf: caller.role === 'admin',
    });
  }

  @Get(':id/edit')
  async editForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const agreement = await this.agreements.get(request.caller!, id);
    await this.formPage(request, reply, { agreement, form: agreementFormFrom(agreement, ownInstitution(request.caller!)) });
  }

  @Post(':id/edit')
  @HttpCode(200)
  async update(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    // Out of the caller's scope: 404 before the form is even read.
    const agreement = await this.agreements.get(caller, id);
    const own = ownInstitution(caller);
    const form = agreementFormOf(body, own && agreement.partnerInstitutionIds.includes(own) ? own : null);
    const { fields, partnerSlots, quotaRows } = agreementFields(form);
    // An emptied date is refused, not kept as it was; the same partners in another order are no change.
    fields.startsOn ??= '';
    fields.endsOn ??= '';
    const partners = fields.partnerInstitutionIds as string[];
    if (partners.length === agreement.partnerInstitutionIds.length && partners.every((p) => agreement.partnerInstitutionIds.includes(p))) delete fields.partnerInstitutionIds;
    const again = (errors: FieldErrors, message: string, status: number) =>
      this.formPage(request, reply, { agreement, form, errors: agreementFormErrors(errors, partnerSlots, quotaRows), message }, status);
    const valid = await this.pages.validate(request, UpdateAgreementDto, fields);
    if ('errors' in valid) return again(valid.errors, this.pages.t(request)('form.errors'), 400);
    try {
      await this.agreements.update(caller, id, valid.value);
      reply.redirect(`/portal/agreements/${id}?done=agreementSaved`, 303);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const shown = shownErrors(this.pages, request, error);
      await again(shown.errors, shown.message, error.status);
    }
  }

  @Post(':id/approve')
  async approve(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.pages.act(reply, `/portal/agreements/${id}`, 'agreementApproved', async () =>
      this.agreements.approve(request.caller!, id, await dtoOf(ApproveAgreementDto, { comment: optionalField(body, 'comment'), institutionId: optionalField(body, 'institutionId') })),
    );
  }

  @Post(':id/terminate')
  async terminate(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.pages.act(reply, `/portal/agreements/${id}`, 'agreementTerminated', async () =>
      this.agreements.terminate(request.caller!, id, await dtoOf(TransitionDto, { reason: field(body, 'reason') })),
    );
  }
}
