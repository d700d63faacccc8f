import { Body, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../common/errors/domain-error.js';
import { UpdateHostFamilyDto } from '../../host-families/dto/host-family.dto.js';
import { HostFamiliesService } from '../../host-families/host-families.service.js';
import { field, localeOf, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { PortalRoles } from '../portal-session.guard.js';
import { attempt, invalid, type Refusal } from '../host-school/forms.js';
import { languageNames } from '../host-school/zones.js';

const PAGE = '/portal/my-family';

/**
 * The family's own record, as its managing institution keeps it, and the two things the
 * family changes itself: when it can host (availability) and how many beds it offers
 * (capacity). HostFamiliesService.update refuses any other field from a family's user,
 * and a change its placements would not fit.
 */
@PortalController('portal')
@PortalRoles('host_family')
export class MyFamilyPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly families: HostFamiliesService,
  ) {}

  @Get('my-family')
  async record(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.show(request, reply);
  }

  @Post('my-family')
  async update(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const caller = request.caller!;
    const values = { capacity: field(body, 'capacity')?.trim() ?? '', availableFrom: field(body, 'availableFrom')?.trim() ?? '', availableTo: field(body, 'availableTo')?.trim() ?? '' };
    const shownAgain = (refusal: Refusal) => this.show(request, reply, { values, ...refusal }, refusal.status);
    // A number field arrives as text; the API's DTO takes it as a number (and names anything else).
    const capacity = /^\d{1,3}$/.test(values.capacity) ? Number(values.capacity) : values.capacity;
    const form = await this.pages.validate(request, UpdateHostFamilyDto, { capacity, availableFrom: values.availableFrom, availableTo: values.availableTo });
    if ('errors' in form) return shownAgain(invalid(form));
    await attempt(this.pages, request, reply, { back: PAGE, done: 'family.saved' }, () => this.families.update(caller, this.familyId(request), form.value), shownAgain);
  }

  private familyId(request: FastifyRequest): string {
    const id = request.caller!.hostFamilyId;
    if (!id) throw CommonErrors.notFound('host_family');
    return id;
  }

  private async show(request: FastifyRequest, reply: FastifyReply, failed: (Refusal & { values: Record<string, string> }) | null = null, status = 200): Promise<void> {
    const t = this.pages.t(request);
    const family = await this.families.get(request.caller!, this.familyId(request));
    const values = failed?.values ?? { capacity: String(family.capacity), availableFrom: family.availableFrom, availableTo: family.availableTo };
    await this.pages.render(request, reply, 'family/my-family', { title: t('myFamily.title'), family, languages: languageNames(localeOf(request)), values, errors: failed?.errors ?? {}, message: failed?.message ?? null }, status);
  }
}
