import { Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Dashboards } from '../dashboards.js';
import { PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';

/** `/`: what waits for the signed-in user, by role (each role's pages module registers its dashboard). */
@PortalController()
export class HomePage {
  constructor(
    private readonly pages: PortalPages,
    private readonly dashboards: Dashboards,
  ) {}

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const t = this.pages.t(request);
    const dashboard = await this.dashboards.of(request.caller!);
    await this.pages.render(request, reply, 'home', { title: t('nav.home'), dashboard: dashboard?.template ?? null, ...dashboard?.data });
  }
}
