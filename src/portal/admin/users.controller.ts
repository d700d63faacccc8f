import { Body, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../common/http/caller.js';
import { HostFamiliesService } from '../../host-families/host-families.service.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { CreateUserDto, ListUsersQuery } from '../../users/dto/user.dto.js';
import { LOCALES, ROLES } from '../../users/user.entity.js';
import { CREATABLE_BY } from '../../users/user.rules.js';
import { UsersService } from '../../users/users.service.js';
import { field, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { attempt, invalid, param, queryString, type Refusal } from '../host-school/forms.js';

const LIST = '/portal/users';
const FIELDS = ['email', 'fullName', 'role', 'institutionId', 'hostFamilyId', 'locale'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

/**
 * Staff accounts: admins list and create any staff account; coordinators those of their
 * institution's host school and host families (POST /users allows it). UsersService
 * decides what each may see and create; the form offers the roles it lets the caller give.
 * Without a password the person gets an invitation mail to choose one.
 */
@PortalController('portal')
@PortalRoles('admin', 'coordinator')
export class UserPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly users: UsersService,
    private readonly institutions: InstitutionsService,
    private readonly families: HostFamiliesService,
  ) {}

  /** The admin menu's address of the same page. */
  @PortalRoles('admin')
  @Get('admin/users')
  adminList(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    reply.redirect(`${LIST}${search}`, 303);
  }

  @Get('users')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const query = { role: param(request.query, 'role'), institutionId: caller.role === 'admin' ? param(request.query, 'institutionId') : undefined, cursor: param(request.query, 'cursor') };
    const form = await this.pages.validate(request, ListUsersQuery, { ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), limit: '50' });
    const page = 'errors' in form ? { items: [], nextCursor: null } : await this.users.list(caller, form.value);
    const names = await this.namesFor(caller);
    await this.pages.render(
      request,
      reply,
      'admin/users',
      {
        title: t('users.title'),
        items: page.items,
        roles: ROLES,
        shown: { role: query.role ?? '', institutionId: query.institutionId ?? '' },
        ...names,
        errors: 'errors' in form ? form.errors : {},
        mayCreate: Boolean(CREATABLE_BY[caller.role]?.length),
        next: page.nextCursor ? `${LIST}${queryString({ role: query.role, institutionId: query.institutionId, cursor: page.nextCursor })}` : null,
      },
      'errors' in form ? 400 : 200,
    );
  }

  @Get('users/new')
  async newForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.form(request, reply, { email: '', fullName: '', role: '', institutionId: '', hostFamilyId: '', locale: request.caller!.locale });
  }

  @Post('users')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const values = Object.fromEntries(FIELDS.map((name) => [name, field(body, name)?.trim() ?? ''])) as Values;
    const password = optionalField(body, 'password');
    const shownAgain = (refusal: Refusal) => this.form(request, reply, values, refusal);
    const form = await this.pages.validate(request, CreateUserDto, {
      email: values.email,
      fullName: values.fullName,
      role: values.role,
      // A coordinator's accounts belong to its own institution (the service says so); an admin names one.
      ...(caller.role === 'admin' && values.institutionId ? { institutionId: values.institutionId } : {}),
      ...(values.hostFamilyId ? { hostFamilyId: values.hostFamilyId } : {}),
      ...(password ? { password } : {}),
      ...(values.locale ? { locale: values.locale } : {}),
    });
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(
      this.pages,
      request,
      reply,
      { back: LIST, done: password ? 'user.created' : 'user.invited' },
      () => this.users.create(caller, form.value),
      (refusal) => {
        // A taken e-mail is the e-mail field's matter.
        if (refusal.code === 'auth.email_taken') refusal.errors.email = refusal.message;
        return shownAgain(refusal);
      },
    );
  }

  private async form(request: FastifyRequest, reply: FastifyReply, values: Values, refusal?: Refusal): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    await this.pages.render(
      request,
      reply,
      'admin/user-form',
      {
        title: t('users.new'),
        values,
        roles: CREATABLE_BY[caller.role] ?? [],
        locales: LOCALES,
        ...(await this.namesFor(caller)),
        errors: refusal?.errors ?? {},
        message: refusal?.message ?? null,
      },
      refusal?.status ?? 200,
    );
  }

  /** The institutions and families the caller may choose from (and read names of): an admin's all, a coordinator's its own. */
  private async namesFor(caller: Caller) {
    const institutions = (await this.institutions.list({ limit: 100 })).items;
    const families = (await this.families.list(caller, { limit: 100 })).items;
    return {
      institutions: caller.role === 'admin' ? institutions : institutions.filter((i) => i.id === caller.institutionId),
      institutionNames: Object.fromEntries(institutions.map((i) => [i.id, i.name])),
      families: families.map((f) => ({ id: f.id, displayName: f.displayName, institutionId: f.institutionId })),
      familyNames: Object.fromEntries(families.map((f) => [f.id, f.displayName])),
    };
  }
}
