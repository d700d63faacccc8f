import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgreementsService } from '../../agreements/agreements.service.js';
import type { AgreementView } from '../../agreements/dto/agreement.dto.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { Caller } from '../../common/http/caller.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { CreateProgramDto, ListProgramsQuery, UpdateProgramDto, type ProgramView } from '../../programs/dto/program.dto.js';
import { ACCOMMODATIONS, CEFR_LEVELS, DOCUMENT_TYPES, PROGRAM_STATUSES } from '../../programs/program.entity.js';
import type { ProgramTransitionName } from '../../programs/program.state-machine.js';
import { ProgramsService } from '../../programs/programs.service.js';
import { localeOf, optionalField, PortalPages, type FieldErrors } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { isFormRefusal, shownErrors } from './form-errors.js';
import { PartnershipNames } from './partnership-names.js';
import { zonedDateTime } from '../zoned-time.js';
import { createProgramFields, emptyProgramForm, programFormErrors, programFormFrom, programFormOf, updateProgramFields, type ProgramForm } from './program-form.js';

/**
 * Programmes (calls for applications) of the caller's institution, sending or receiving:
 * the list, a new one under an active agreement, one programme (edit while the API allows,
 * publish, close, cancel). Every read and change is ProgramsService's.
 */
@PortalController('portal/programs')
@PortalRoles('coordinator', 'admin')
export class ProgramPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly programs: ProgramsService,
    private readonly agreements: AgreementsService,
    private readonly names: PartnershipNames,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    const filter = { status: optionalField(query, 'status'), agreementId: optionalField(query, 'agreementId'), cursor: optionalField(query, 'cursor') };
    const shown = { title: t('programs.title'), statuses: PROGRAM_STATUSES, filter, institutions: await this.names.institutionNames() };
    const valid = await this.pages.validate(request, ListProgramsQuery, filter);
    if ('errors' in valid) return this.pages.render(request, reply, 'partnerships/programs', { ...shown, items: [], nextCursor: null, errors: valid.errors }, 400);
    const page = await this.programs.list(request.caller!, valid.value);
    await this.pages.render(request, reply, 'partnerships/programs', { ...shown, items: page.items, nextCursor: page.nextCursor, errors: {} });
  }

  /** The active agreements the caller may open programmes under (the API's list, page after page). */
  private async activeAgreements(caller: Caller): Promise<AgreementView[]> {
    const all: AgreementView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.agreements.list(caller, { status: 'active', limit: 100, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  private async formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { program?: ProgramView; form: ProgramForm; zone: string; errors?: FieldErrors; message?: string },
    status = 200,
  ): Promise<void> {
    const t = this.pages.t(request);
    const caller = request.caller!;
    const agreements = page.program ? [] : await this.activeAgreements(caller);
    // The sides offered: the partners of those agreements (which pair is a partner's is the API's to check).
    const sides = [...new Set(agreements.flatMap((a) => a.partnerInstitutionIds))];
    await this.pages.render(
      request,
      reply,
      'partnerships/program-form',
      {
        title: page.program ? t('programs.editTitle', { title: page.program.title }) : t('programs.newTitle'),
        program: page.program ?? null,
        action: page.program ? `/portal/programs/${page.program.id}/edit` : '/portal/programs',
        form: page.form,
        zone: page.zone,
        errors: page.errors ?? {},
        message: page.message ?? null,
        agreements,
        sides,
        institutions: await this.names.institutionNames(),
        levels: CEFR_LEVELS,
        documentTypes: DOCUMENT_TYPES,
        accommodations: ACCOMMODATIONS,
      },
      status,
    );
  }

  @Get('new')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const form = emptyProgramForm({ agreementId: optionalField(query, 'agreementId') ?? '', sendingInstitutionId: caller.institutionId ?? '' });
    await this.formPage(request, reply, { form, zone: await this.names.zoneOf(caller) });
  }

  @Post()
  @HttpCode(200)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const zone = await this.names.zoneOf(caller);
    const form = programFormOf(body);
    const again = (errors: FieldErrors, message: string, status: number) => this.formPage(request, reply, { form, zone, errors: programFormErrors(errors), message }, status);
    const valid = await this.pages.validate(request, CreateProgramDto, createProgramFields(form, zone));
    if ('errors' in valid) return again(valid.errors, this.pages.t(request)('form.errors'), 400);
    try {
      const created = await this.programs.create(caller, valid.value);
      reply.redirect(`/portal/programs/${created.id}?done=programCreated`, 303);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const shown = shownErrors(this.pages, request, error);
      await again(shown.errors, shown.message, error.status);
    }
  }

  @Get(':id')
  async detail(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const program = await this.programs.get(caller, id);
    const zone = await this.names.zoneOf(caller);
    await this.pages.render(request, reply, 'partnerships/program', {
      title: program.title,
      program,
      agreement: await this.agreementOf(caller, program),
      zone,
      when: zonedDateTime(localeOf(request), zone),
      institutions: await this.names.institutionNames(),
    });
  }

  /** The programme's agreement, when the caller may see it (every coordinator of a side may). */
  private async agreementOf(caller: Caller, program: ProgramView): Promise<AgreementView | null> {
    try {
      return await this.agreements.get(caller, program.agreementId);
    } catch (error) {
      if (error instanceof DomainError && error.status === 404) return null;
      throw error;
    }
  }

  @Get(':id/edit')
  async editForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const program = await this.programs.get(request.caller!, id);
    const zone = await this.names.zoneOf(request.caller!);
    await this.formPage(request, reply, { program, form: programFormFrom(program, zone), zone });
  }

  @Post(':id/edit')
  @HttpCode(200)
  async update(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    // Out of the caller's scope: 404 before the form is even read.
    const program = await this.programs.get(caller, id);
    const zone = await this.names.zoneOf(caller);
    const current = programFormFrom(program, zone);
    const form = { ...programFormOf(body), agreementId: program.agreementId, sendingInstitutionId: program.sendingInstitutionId, receivingInstitutionId: program.receivingInstitutionId };
    const again = (errors: FieldErrors, message: string, status: number) => this.formPage(request, reply, { program, form, zone, errors: programFormErrors(errors), message }, status);
    const valid = await this.pages.validate(request, UpdateProgramDto, updateProgramFields(form, current, zone));
    if ('errors' in valid) return again(valid.errors, this.pages.t(request)('form.errors'), 400);
    try {
      await this.programs.update(caller, id, valid.value);
      reply.redirect(`/portal/programs/${id}?done=programSaved`, 303);
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      const shown = shownErrors(this.pages, request, error);
      await again(shown.errors, shown.message, error.status);
    }
  }

  private transition(request: FastifyRequest, reply: FastifyReply, id: string, name: ProgramTransitionName, done: string): Promise<void> {
    return this.pages.act(reply, `/portal/programs/${id}`, done, () => this.programs.transition(request.caller!, id, name));
  }

  @Post(':id/publish')
  publish(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.transition(request, reply, id, 'publish', 'programPublished');
  }

  @Post(':id/close')
  close(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.transition(request, reply, id, 'close', 'programClosed');
  }

  @Post(':id/cancel')
  cancel(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.transition(request, reply, id, 'cancel', 'programCancelled');
  }
}
