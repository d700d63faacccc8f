import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationsService } from '../../applications/applications.service.js';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { CreatePlacementDto } from '../../placements/dto/placement.dto.js';
import { MatchingService } from '../../placements/matching.service.js';
import { PlacementsService } from '../../placements/placements.service.js';
import { field, localeOf, optionalField, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { checked } from './checked.js';
import { PortalRoles } from '../portal-session.guard.js';

/**
 * The families that suit an accepted student, best first, with the reasons and warnings
 * of matching in the reader's language, and a placement proposed with one of them: the
 * receiving coordinator's (the services refuse anyone else).
 */
@PortalController('portal/applications')
@PortalRoles('coordinator', 'admin')
export class MatchPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly applications: ApplicationsService,
    private readonly matching: MatchingService,
    private readonly placements: PlacementsService,
  ) {}

  @Get(':id/matches')
  async matches(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const matches = await this.matching.matches(caller, id, { limit: 50 }, localeOf(request));
    const application = await this.applications.get(caller, id);
    await this.pages.render(request, reply, 'applications/matches', { title: t('matches.title', { name: application.studentName }), application, matches });
  }

  @Post(':id/matches')
  async propose(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string, @Body() body: unknown): Promise<void> {
    const back = `/portal/applications/${id}/matches`;
    await this.pages.act(
      reply,
      back,
      'coordinator.placementProposed',
      async () => {
        const dto = await checked(CreatePlacementDto, { applicationId: id, hostFamilyId: field(body, 'hostFamilyId') ?? '', startsOn: optionalField(body, 'startsOn'), endsOn: optionalField(body, 'endsOn') });
        return this.placements.create(request.caller!, dto);
      },
      `/portal/applications/${id}`,
    );
  }
}
