import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error.js';
import { TransitionDto } from '../../common/dto/transition.dto.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { CreateHostFamilyDto, ListHostFamiliesQuery, UpdateHostFamilyDto, VetHostFamilyDto, type HostFamilyView } from '../../host-families/dto/host-family.dto.js';
import { GENDER_PREFERENCES, HOST_FAMILY_STATUSES, VETTING_OUTCOMES } from '../../host-families/host-family.entity.js';
import { HostFamiliesService } from '../../host-families/host-families.service.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { PlacementsService } from '../../placements/placements.service.js';
import { field, optionalField, PortalPages, type FieldErrors } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { checked } from '../applications/checked.js';

/** What the family form shows: every field as typed (strings), whatever the DTO will make of them. */
export type FamilyFormValues = Record<string, string>;

const TEXT_FIELDS = ['displayName', 'contactEmail', 'contactPhone', 'address.line1', 'address.city', 'address.postalCode', 'address.country', 'capacity', 'languages', 'petTypes', 'dietsSupported', 'genderPreference', 'availableFrom', 'availableTo', 'commuteMinutes', 'institutionId'];
const CHECKBOXES = ['hasPets', 'smokingHousehold', 'acceptsMinors'];

/** The form as posted, kept to show it again. */
function formValues(body: unknown): FamilyFormValues {
  const values: FamilyFormValues = {};
  for (const name of TEXT_FIELDS) values[name] = field(body, name) ?? '';
  for (const name of CHECKBOXES) values[name] = field(body, name) ? 'true' : '';
  return values;
}

/** A whole number as a number; anything else as typed, for the DTO to refuse in its own words. */
function integer(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** `fr, en` or `fr en` → ['fr', 'en']. */
function list(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The form's strings as the API's body: numbers, booleans, lists and the nested address. */
function familyBody(values: FamilyFormValues, options: { create: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    displayName: values.displayName,
    contactEmail: values.contactEmail,
    contactPhone: values.contactPhone,
    address: { line1: values['address.line1'], city: values['address.city'], postalCode: values['address.postalCode'], country: values['address.country'] },
    capacity: integer(values.capacity),
    languages: list(values.languages),
    hasPets: values.hasPets === 'true',
    petTypes: list(values.petTypes),
    smokingHousehold: values.smokingHousehold === 'true',
    dietsSupported: list(values.dietsSupported),
    acceptsMinors: values.acceptsMinors === 'true',
    genderPreference: values.genderPreference || 'any',
    availableFrom: values.availableFrom || undefined,
    availableTo: values.availableTo || undefined,
    commuteMinutes: integer(values.commuteMinutes) ?? (options.create ? undefined : null),
  };
  if (options.create && values.institutionId) body.institutionId = values.institutionId;
  return body;
}

/** A family's record as the form shows it. */
function valuesOf(family: HostFamilyView): FamilyFormValues {
  return {
    displayName: family.displayName,
    contactEmail: family.contactEmail,
    contactPhone: family.contactPhone,
    'address.line1': family.address.line1,
    'address.city': family.address.city,
    'address.postalCode': family.address.postalCode,
    'address.country': family.address.country,
    capacity: String(family.capacity),
    languages: family.languages.join(', '),
    hasPets: family.hasPets ? 'true' : '',
    petTypes: family.petTypes.join(', '),
    smokingHousehold: family.smokingHousehold ? 'true' : '',
    dietsSupported: family.dietsSupported.join(', '),
    acceptsMinors: family.acceptsMinors ? 'true' : '',
    genderPreference: family.genderPreference,
    availableFrom: family.availableFrom,
    availableTo: family.availableTo,
    commuteMinutes: family.commuteMinutes === null ? '' : String(family.commuteMinutes),
    institutionId: family.institutionId,
  };
}

/** A refusal shown on the form it came from (validation, a conflict), not an access matter. */
const onTheForm = (error: unknown): error is DomainError => error instanceof DomainError && (error.status === 400 || error.status === 409 || error.status === 422);

/**
 * Host families, for the staff of their managing institution: the register with filters,
 * a family's record with its vettings and placements, and — for its coordinators — the
 * forms to register, edit, vet and suspend it (HostFamiliesService decides who may).
 */
@PortalController('portal/host-families')
export class HostFamilyPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly families: HostFamiliesService,
    private readonly placements: PlacementsService,
    private readonly institutions: InstitutionsService,
  ) {}

  @Get()
  @PortalRoles('coordinator', 'admin', 'host_school', 'host_family')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    const chosen: Record<string, string> = {};
    for (const name of ['status', 'q', 'cursor']) if (typeof query[name] === 'string' && query[name] !== '') chosen[name] = query[name];
    const form = await this.pages.validate(request, ListHostFamiliesQuery, chosen);
    const page = 'value' in form ? await this.families.list(request.caller!, form.value) : { items: [], nextCursor: null };
    const keep = { ...chosen };
    delete keep.cursor;
    await this.pages.render(
      request,
      reply,
      'coordinator/host-families',
      {
        title: t('hostFamilies.title'),
        filters: chosen,
        statuses: HOST_FAMILY_STATUSES,
        errors: 'errors' in form ? form.errors : {},
        message: 'errors' in form ? form.message : null,
        items: page.items,
        next: page.nextCursor ? `/portal/host-families?${new URLSearchParams({ ...keep, cursor: page.nextCursor })}` : null,
        mayRegister: request.caller!.role === 'coordinator' || request.caller!.role === 'admin',
      },
      'errors' in form ? 400 : 200,
    );
  }

  private async formPage(request: FastifyRequest, reply: FastifyReply, options: { family?: HostFamilyView; values: FamilyFormValues; errors?: FieldErrors; message?: string; status?: number }): Promise<void> {
    const t = this.pages.t(request);
    const caller = request.caller!;
    const institutions = caller.role === 'admin' && !options.family ? (await this.institutions.list({ limit: 100 })).items : [];
    await this.pages.render(
      request,
      reply,
      'coordinator/host-family-form',
      {
        title: options.family ? t('hostFamilies.editTitle', { name: options.family.displayName }) : t('hostFamilies.newTitle'),
        family: options.family ?? null,
        action: options.family ? `/portal/host-families/${options.family.id}/edit` : '/portal/host-families',
        values: options.values,
        errors: options.errors ?? {},
        message: options.message ?? null,
        genderPreferences: GENDER_PREFERENCES,
        institutions,
      },
      options.status ?? 200,
    );
  }

  @Get('new')
  @PortalRoles('coordinator', 'admin')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.formPage(request, reply, { values: { genderPreference: 'any' } });
  }

  @Post()
  @HttpCode(200)
  @PortalRoles('coordinator', 'admin')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const values = formValues(body);
    const form = await this.pages.validate(request, CreateHostFamilyDto, familyBody(values, { create: true }));
    if ('errors' in form) return this.formPage(request, reply, { values, ...form, status: 400 });
    try {
      const family = await this.families.create(request.caller!, form.value);
      reply.redirect(`/portal/host-families/${family.id}?done=coordinator.familyRegistered`, 303);
    } catch (error) {
      if (!onTheForm(error)) throw error;
      await this.formPage(request, reply, { values, ...this.pages.errorsOf(request, error), status: error.status });
    }
  }

  private async recordPage(request: FastifyRequest, reply: FastifyReply, id: string, vet: { values?: FamilyFormValues; errors?: FieldErrors; message?: string; status?: number } = {}): Promise<void> {
    const caller = request.caller!;
    // 404 for whoever may not see it, as the API's GET /host-families/{id}.
    const family = await this.families.get(caller, id);
    const placements = await this.placements.list(caller, { hostFamilyId: id, limit: 50 });
    const institution = await this.institutions.get(family.institutionId);
    await this.pages.render(
      request,
      reply,
      'coordinator/host-family',
      {
        title: family.displayName,
        family,
        institution,
        placements: placements.items,
        mayEdit: family.allowedTransitions.includes('vet'),
        outcomes: VETTING_OUTCOMES,
        vet: { values: vet.values ?? { backgroundCheckOn: '', homeVisitOn: '', outcome: '', notes: '' }, errors: vet.errors ?? {}, message: vet.message ?? null },
      },
      vet.status ?? 200,
    );
  }

  @Get(':id')
  async show(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.recordPage(request, reply, id);
  }

  @Get(':id/edit')
  @PortalRoles('coordinator', 'admin')
  async editForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const family = await this.families.get(request.caller!, id);
    await this.formPage(request, reply, { family, values: valuesOf(family) });
  }

  @Post(':id/edit')
  @HttpCode(200)
  @PortalRoles('coordinator', 'admin')
  async edit(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: unknown): Promise<void> {
    const caller = request.caller!;
    const values = formValues(body);
    const family = await this.families.get(caller, id);
    const form = await this.pages.validate(request, UpdateHostFamilyDto, familyBody(values, { create: false }));
    if ('errors' in form) return this.formPage(request, reply, { family, values, ...form, status: 400 });
    try {
      await this.families.update(caller, id, form.value);
      reply.redirect(`/portal/host-families/${id}?done=saved`, 303);
    } catch (error) {
      if (!onTheForm(error)) throw error;
      await this.formPage(request, reply, { family, values, ...this.pages.errorsOf(request, error), status: error.status });
    }
  }

  @Post(':id/vet')
  @HttpCode(200)
  @PortalRoles('coordinator', 'admin')
  async vet(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: unknown): Promise<void> {
    const values = { backgroundCheckOn: field(body, 'backgroundCheckOn') ?? '', homeVisitOn: field(body, 'homeVisitOn') ?? '', outcome: field(body, 'outcome') ?? '', notes: field(body, 'notes') ?? '' };
    const form = await this.pages.validate(request, VetHostFamilyDto, { ...values, notes: optionalField(body, 'notes') });
    if ('errors' in form) return this.recordPage(request, reply, id, { values, ...form, status: 400 });
    try {
      await this.families.vet(request.caller!, id, form.value);
      reply.redirect(`/portal/host-families/${id}?done=coordinator.familyVetted`, 303);
    } catch (error) {
      if (!onTheForm(error)) throw error;
      await this.recordPage(request, reply, id, { values, ...this.pages.errorsOf(request, error), status: error.status });
    }
  }

  @Post(':id/suspend')
  @PortalRoles('coordinator', 'admin')
  async suspend(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: unknown): Promise<void> {
    await this.pages.act(reply, `/portal/host-families/${id}`, 'coordinator.familySuspended', async () => {
      const dto = await checked(TransitionDto, { reason: field(body, 'reason') });
      return this.families.suspend(request.caller!, id, dto.reason);
    });
  }
}
