import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TransitionDto } from '../../common/dto/transition.dto.js';
import { CommonErrors } from '../../common/errors/domain-error.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { PLACEMENT_TRANSITIONS, type PlacementTransitionName } from '../../placements/placement.state-machine.js';
import { PlacementsService } from '../../placements/placements.service.js';
import { localeOf, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { attempt, invalid, type Refusal } from '../host-school/forms.js';
import { languageNames } from '../host-school/zones.js';
import { zonedDateTime } from '../zoned-time.js';

/**
 * A placement (the page the family's notifications link to): the student as the family
 * may know it (name, age band, languages, diet, allergies), the stay and the arrival; accept
 * or decline (with a reason) for the family or a coordinator on its behalf; cancel or end
 * for the receiving coordinators. PlacementsService decides who sees it (404) and who may
 * act (403, 409), as for the API.
 */
@PortalController('portal')
export class PlacementPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly placements: PlacementsService,
    private readonly institutions: InstitutionsService,
  ) {}

  @Get('placements/:id')
  async placement(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.show(request, reply, id);
  }

  @Post('placements/:id/:transition')
  async transition(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', uuidPipe) id: string,
    @Param('transition') name: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    if (!(PLACEMENT_TRANSITIONS as readonly string[]).includes(name)) throw CommonErrors.notFound('placement');
    const transition = name as PlacementTransitionName;
    const values = { reason: optionalField(body, 'reason'), comment: optionalField(body, 'comment') };
    const shownAgain = (refusal: Refusal) => this.show(request, reply, id, { failed: { transition, values, ...refusal } }, refusal.status);
    const form = await this.pages.validate(request, TransitionDto, Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)));
    if ('errors' in form) return shownAgain(invalid(form));
    const back = `/portal/placements/${id}`;
    await attempt(this.pages, request, reply, { back, done: `placement.${transition}` }, () => this.placements.transition(request.caller!, id, transition, form.value), shownAgain);
  }

  private async show(request: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const t = this.pages.t(request);
    const placement = await this.placements.get(request.caller!, id);
    const { timezone } = await this.institutions.get(placement.receivingInstitutionId);
    await this.pages.render(
      request,
      reply,
      'family/placement',
      {
        title: t('placement.title', { name: placement.student.fullName }),
        placement,
        timezone,
        zoned: zonedDateTime(localeOf(request), timezone),
        languages: languageNames(localeOf(request)),
        failed: null,
        ...extra,
      },
      status,
    );
  }
}
