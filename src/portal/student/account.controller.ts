import { Body, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/validation/uuid.pipe.js';
import { SETTINGS, type Settings } from '../../config/settings.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { asAttachment } from '../../privacy/export-download.js';
import { PrivacyService } from '../../privacy/privacy.service.js';
import { field, localeOf, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from '../portal-setup.js';
import { pathOf } from './present.js';
import { isShownOnPage } from './student-views.js';

/**
 * The signed-in person's own things, whatever the role: notifications (GET /notifications
 * and the marks read) and personal data (GET /me/export, POST /me/erase). The pages are
 * written for students first; every role may use them, as every role may use the API's routes.
 */
@PortalController('portal')
export class AccountPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly notifications: NotificationsService,
    private readonly privacy: PrivacyService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Get('notifications')
  async notificationsPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = request.caller!;
    const t = this.pages.t(request);
    const cursor = field(request.query, 'cursor');
    const page = await this.notifications.list(caller, { limit: 20, ...(cursor ? { cursor } : {}) }, localeOf(request));
    await this.pages.render(request, reply, 'student/notifications', {
      title: t('student.notifications.title'),
      notifications: page.items.map((n) => ({ ...n, path: pathOf(n.link) })),
      unread: await this.notifications.countUnread(caller),
      nextCursor: page.nextCursor,
    });
  }

  @Post('notifications/read-all')
  async readAll(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.act(reply, '/portal/notifications', 'student.allRead', () => this.notifications.readAll(request.caller!));
  }

  @Post('notifications/:id/read')
  async read(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.pages.act(reply, '/portal/notifications', 'student.read', () => this.notifications.read(request.caller!, id, localeOf(request)));
  }

  private async privacyPage(request: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, message?: string, status = 200): Promise<void> {
    const t = this.pages.t(request);
    await this.pages.render(request, reply, 'student/privacy', { title: t('student.privacy.title'), errors, message }, status);
  }

  @Get('me/privacy')
  async privacyForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.privacyPage(request, reply);
  }

  /** The same JSON attachment as GET /api/v1/me/export. */
  @Get('me/export')
  async export(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const document = asAttachment(reply, await this.privacy.exportOf(request.caller!));
    await reply.type('application/json; charset=utf-8').send(JSON.stringify(document));
  }

  /** POST /me/erase, once the box saying so is ticked; then signed out, on the sign-in page with a word of what happened. */
  @Post('me/erase')
  @HttpCode(200)
  async erase(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    if (field(body, 'confirm') !== 'yes') return this.privacyPage(request, reply, { confirm: t('student.privacy.confirmRequired') }, t('form.errors'), 400);
    try {
      await this.privacy.erase(request.caller!);
    } catch (error) {
      if (!isShownOnPage(error)) throw error;
      return this.privacyPage(request, reply, {}, this.pages.errorsOf(request, error).message, error.status);
    }
    // The erasure ended every session of the account, this one included; the sign-in page speaks the language the person used.
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.setCookie(LANGUAGE_COOKIE, localeOf(request), { path: '/', sameSite: 'lax', secure: this.settings.nodeEnv === 'production', maxAge: 365 * 86400 });
    reply.redirect('/sign-in?done=student.erased', 303);
  }
}
