import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { CreateInstitutionDto, ListInstitutionsQuery, UpdateInstitutionDto } from '../../institutions/dto/institution.dto.js';
import { INSTITUTION_KINDS } from '../../institutions/institution.entity.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { field, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { attempt, invalid, param, queryString, type Refusal } from '../host-school/forms.js';

const LIST = '/portal/admin/institutions';
const FIELDS = ['name', 'shortName', 'city', 'country', 'kind', 'timezone', 'schacCode', 'erasmusCode'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

/** Institutions, for admins: the list, a new one, changes, through the API's DTOs and InstitutionsService. */
@PortalController('portal/admin')
@PortalRoles('admin')
export class InstitutionPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly institutions: InstitutionsService,
  ) {}

  @Get('institutions')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const t = this.pages.t(request);
    const query = { country: param(request.query, 'country'), kind: param(request.query, 'kind'), cursor: param(request.query, 'cursor') };
    const form = await this.pages.validate(request, ListInstitutionsQuery, { ...clean(query), limit: '50' });
    const page = 'errors' in form ? { items: [], nextCursor: null } : await this.institutions.list(form.value);
    await this.pages.render(
      request,
      reply,
      'admin/institutions',
      {
        title: t('institutions.title'),
        items: page.items,
        shown: { country: query.country ?? '', kind: query.kind ?? '' },
        kinds: INSTITUTION_KINDS,
        errors: 'errors' in form ? form.errors : {},
        next: page.nextCursor ? `${LIST}${queryString({ country: query.country, kind: query.kind, cursor: page.nextCursor })}` : null,
      },
      'errors' in form ? 400 : 200,
    );
  }

  @Get('institutions/new')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.form(request, reply, null, { name: '', shortName: '', city: '', country: '', kind: '', timezone: '', schacCode: '', erasmusCode: '' });
  }

  @Post('institutions')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const values = valuesOf(body);
    const shownAgain = (refusal: Refusal) => this.form(request, reply, null, values, refusal);
    // Optional codes left empty are not given (a required field left empty is named by the DTO).
    const form = await this.pages.validate(request, CreateInstitutionDto, { ...values, schacCode: optionalField(body, 'schacCode'), erasmusCode: optionalField(body, 'erasmusCode') });
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(this.pages, request, reply, { back: LIST, done: 'institution.created' }, () => this.institutions.create(form.value), shownAgain);
  }

  @Get('institutions/:id')
  async editForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const institution = await this.institutions.get(id);
    await this.form(request, reply, id, { ...institution, schacCode: institution.schacCode ?? '', erasmusCode: institution.erasmusCode ?? '' });
  }

  @Post('institutions/:id')
  async update(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.institutions.get(id);
    const values = valuesOf(body);
    const shownAgain = (refusal: Refusal) => this.form(request, reply, id, values, refusal);
    // Every field is sent again; an optional code left empty is cleared.
    const form = await this.pages.validate(request, UpdateInstitutionDto, { ...values, schacCode: optionalField(body, 'schacCode') ?? null, erasmusCode: optionalField(body, 'erasmusCode') ?? null });
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(this.pages, request, reply, { back: `${LIST}/${id}`, done: 'institution.saved' }, () => this.institutions.update(id, form.value), shownAgain);
  }

  private async form(request: FastifyRequest, reply: FastifyReply, id: string | null, values: Values, refusal?: Refusal): Promise<void> {
    const t = this.pages.t(request);
    await this.pages.render(
      request,
      reply,
      'admin/institution-form',
      {
        title: id ? t('institutions.edit', { name: values.name }) : t('institutions.new'),
        id,
        values,
        kinds: INSTITUTION_KINDS,
        timezones: Intl.supportedValuesOf('timeZone'),
        errors: refusal?.errors ?? {},
        message: refusal?.message ?? null,
      },
      refusal?.status ?? 200,
    );
  }
}

function valuesOf(body: unknown): Values {
  return Object.fromEntries(FIELDS.map((name) => [name, field(body, name)?.trim() ?? ''])) as Values;
}

/** The fields given (an empty one is no value). */
function clean<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}
