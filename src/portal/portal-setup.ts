import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../common/errors/domain-error.js';
import { sendProblem } from '../common/errors/problem.filter.js';
import type { Settings } from '../config/settings.js';

const here = dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = join(here, 'views');
export const ASSETS_DIR = join(here, 'assets');

/** The portal's session cookie (HttpOnly; SameSite=Lax; Secure in production). */
export const SESSION_COOKIE = 'exchange_session';
/** The CSRF secret's cookie (double submit: every form carries a token made from it and bound to the session). */
export const CSRF_COOKIE = 'exchange_csrf';
/** The language chosen before signing in. */
export const LANGUAGE_COOKIE = 'exchange_lang';

/** What a CSRF token is bound to: the session (a token made before signing in is worth nothing after). */
export function csrfUserInfo(request: FastifyRequest): string {
  return `session:${request.cookies?.[SESSION_COOKIE] ?? 'none'}`;
}

/**
 * The first segments of the portal's paths, beside the API's `/api/v1` (excluded from its
 * prefix, so never the name of an API route's first segment): the signed-in pages live
 * under `/portal/` (`/portal/applications/{id}`: the links of the notifications).
 */
export const PORTAL_ROOTS = ['sign-in', 'sign-out', 'register', 'language', 'portal'];

/**
 * What the portal adds to the HTTP server: cookies, CSRF tokens, form bodies (for the
 * portal's pages only: the API stays JSON and answers a form body 415), its stylesheet and
 * script under /assets (from the package, never a CDN: it works offline), and Eta templates.
 */
export async function setUpPortal(app: NestFastifyApplication, settings: Settings): Promise<void> {
  const production = settings.nodeEnv === 'production';
  await app.register(cookie);
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { httpOnly: true, sameSite: 'lax', secure: production, path: '/', signed: false },
    // A token is bound to the session it was made in: one taken from another browser's page is worthless here.
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: createHmac('sha256', settings.jwtSecret).update('portal-csrf').digest() },
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Form bodies are parsed by the parser Nest registers (@fastify/formbody), for the
  // portal's pages only: the API stays JSON and refuses a form body before it is read.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/') && /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
      sendProblem(new DomainError('request.unsupported_media_type', 415), request, reply);
      return;
    }
    done();
  });

  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', decorateReply: false, maxAge: production ? '1d' : 0 });
  await app.register(fastifyView, {
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: production, autoTrim: false }) },
    root: VIEWS_DIR,
    viewExt: 'eta',
  });
}
