import { Body, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../../auth/auth.service.js';
import { LoginDto, RegisterDto } from '../../auth/dto/auth.dto.js';
import { WEB_SESSION_HOURS, WebSessionsService } from '../../auth/web-sessions.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { SETTINGS, type Settings } from '../../config/settings.js';
import { InstitutionsService } from '../../institutions/institutions.service.js';
import { LOCALES, type Locale } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { field, localeOf, PortalPages } from '../page.js';
import { PortalController } from '../portal-controller.js';
import { OpenPage } from '../portal-session.guard.js';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from '../portal-setup.js';

/** Where to go after signing in: a path of this site only (never `//host` or a full URL). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}

/** Sign-in, sign-out, student registration and the language switch. */
@PortalController()
export class SignInPages {
  constructor(
    private readonly pages: PortalPages,
    private readonly auth: AuthService,
    private readonly sessions: WebSessionsService,
    private readonly users: UsersService,
    private readonly institutions: InstitutionsService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  private cookieOptions(maxAgeSeconds?: number) {
    return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: this.settings.nodeEnv === 'production', ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
  }

  @OpenPage()
  @Get('sign-in')
  async signInPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string): Promise<void> {
    if (request.caller) return void reply.redirect(safeNext(next), 303);
    const t = this.pages.t(request);
    await this.pages.render(request, reply, 'sign-in', { title: t('signIn.title'), next: safeNext(next), email: '' });
  }

  @OpenPage()
  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const t = this.pages.t(request);
    const next = safeNext(field(body, 'next'));
    const email = field(body, 'email') ?? '';
    const shown = { title: t('signIn.title'), next, email };
    const form = await this.pages.validate(request, LoginDto, { email, password: field(body, 'password') ?? '' });
    if ('errors' in form) return this.pages.render(request, reply, 'sign-in', { ...shown, message: t('signIn.invalid') }, 400);
    try {
      // The API's own check: the same throttling per address and per e-mail, the same audit.
      const user = await this.auth.verifyCredentials(form.value.email, form.value.password, request.ip);
      const secret = await this.sessions.open(user, request.cookies[SESSION_COOKIE]);
      reply.setCookie(SESSION_COOKIE, secret, this.cookieOptions(WEB_SESSION_HOURS * 3600));
      reply.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.status !== 401 && error.status !== 429)) throw error;
      if (error.headers['Retry-After']) reply.header('Retry-After', error.headers['Retry-After']);
      const message = error.status === 401 ? t('signIn.invalid') : this.pages.errorsOf(request, error).message;
      await this.pages.render(request, reply, 'sign-in', { ...shown, message }, error.status);
    }
  }

  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.end(request.cookies[SESSION_COOKIE], request.caller);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.redirect('/sign-in', 303);
  }

  private async registerPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string> = {}, message?: string, status = 200): Promise<void> {
    const t = this.pages.t(request);
    const institutions = await this.institutions.list({ limit: 100 });
    await this.pages.render(request, reply, 'register', { title: t('register.title'), values, errors, message, institutions: institutions.items }, status);
  }

  @OpenPage()
  @Get('register')
  async registerForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (request.caller) return void reply.redirect('/', 303);
    await this.registerPage(request, reply, {});
  }

  @OpenPage()
  @Post('register')
  @HttpCode(200)
  async register(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const values = { fullName: field(body, 'fullName') ?? '', email: field(body, 'email') ?? '', homeInstitutionId: field(body, 'homeInstitutionId') ?? '' };
    const form = await this.pages.validate(request, RegisterDto, { ...values, password: field(body, 'password') ?? '', locale: localeOf(request) });
    if ('errors' in form) return this.registerPage(request, reply, values, form.errors, form.message, 400);
    try {
      await this.auth.register(form.value, request.ip);
      // Signed in at once, with the password just chosen (the same checks as any sign-in).
      const user = await this.auth.verifyCredentials(form.value.email, form.value.password, request.ip);
      const secret = await this.sessions.open(user, request.cookies[SESSION_COOKIE]);
      reply.setCookie(SESSION_COOKIE, secret, this.cookieOptions(WEB_SESSION_HOURS * 3600));
      reply.redirect('/', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.status === 401) throw error;
      // Throttled (429): when to come back, as the sign-in form and the API say it.
      if (error.headers['Retry-After']) reply.header('Retry-After', error.headers['Retry-After']);
      const { errors, message } = this.pages.errorsOf(request, error);
      if (error.code === 'auth.email_taken') errors.email = message;
      await this.registerPage(request, reply, values, errors, message, error.status);
    }
  }

  /** The language of the pages: the signed-in user's locale (its e-mails follow), or a cookie before signing in. */
  @OpenPage()
  @Post('language')
  async language(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>): Promise<void> {
    const locale = field(body, 'locale');
    const next = safeNext(field(body, 'next'));
    if (!locale || !(LOCALES as readonly string[]).includes(locale)) return void reply.redirect(next, 303);
    if (request.caller) await this.users.updateMe(request.caller, { locale: locale as Locale });
    reply.setCookie(LANGUAGE_COOKIE, locale, { ...this.cookieOptions(365 * 86400), httpOnly: false });
    reply.redirect(next, 303);
  }
}
