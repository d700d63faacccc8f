import { applyDecorators, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebSessionsService } from '../auth/web-sessions.service.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import { AcceptsMultipart, unsupportedMediaType } from '../common/http/multipart.guard.js';
import { bindCallerToLog } from '../common/logging/request-logs.js';
import type { Role } from '../users/user.entity.js';
import { PortalErrors } from './portal.errors.js';
import { SESSION_COOKIE } from './portal-setup.js';

const PORTAL_ROLES = 'portal:roles';
const PORTAL_OPEN = 'portal:open';
const PORTAL_UPLOAD = 'portal:upload';

/** The page is for these roles only (others: 403 page). */
export const PortalRoles = (...roles: Role[]) => SetMetadata(PORTAL_ROLES, roles);
/** The page is for anyone, signed in or not (sign-in, registration). */
export const OpenPage = () => SetMetadata(PORTAL_OPEN, true);
/**
 * The page takes a multipart form (an upload). Its body is a stream the page reads itself,
 * so the guard cannot read the form's CSRF token: the form sends `_csrf` as its first field
 * and the page's reader checks it with `request.checkCsrf` before reading anything else
 * (src/documents/upload.ts, `readUpload(request, { name: '_csrf', check })`).
 */
export const PortalUpload = () => applyDecorators(AcceptsMultipart(), SetMetadata(PORTAL_UPLOAD, true));

declare module 'fastify' {
  interface FastifyRequest {
    /** On a PortalUpload page: checks the CSRF token read from the multipart form (throws 403 unless it is this session's). */
    checkCsrf?: (token: string | undefined) => Promise<void>;
  }
}


/**
 * The portal's authentication: the session cookie → the caller (request.caller, as the
 * bearer guard sets it for the API, so that the services, the access policy and the audit
 * log see the same caller); then, on every POST, the CSRF token of the form.
 */
@Injectable()
export class PortalSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: WebSessionsService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const caller = await this.sessions.callerOf(request.cookies?.[SESSION_COOKIE]);
    if (caller) request.caller = caller;
    if (request.method === 'POST') {
      if (/^multipart\//i.test(request.headers['content-type'] ?? '')) {
        if (!this.reflector.getAllAndOverride<boolean | undefined>(PORTAL_UPLOAD, [context.getHandler(), context.getClass()])) throw unsupportedMediaType();
        request.checkCsrf = (token) => checkCsrf(request, reply, { token });
      } else {
        await checkCsrf(request, reply);
      }
    }
    const open = this.reflector.getAllAndOverride<boolean | undefined>(PORTAL_OPEN, [context.getHandler(), context.getClass()]) ?? false;
    if (open) {
      bindCallerToLog(request);
      return true;
    }
    // Not signed in: the portal's filter sends the browser to the sign-in page.
    if (!caller) throw PortalErrors.signInRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(PORTAL_ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(caller.role)) throw CommonErrors.refused(CommonErrors.forbidden(), { resource: 'route', targetId: null });
    bindCallerToLog(request);
    return true;
  }
}

/**
 * @fastify/csrf-protection's check, turned into a DomainError instead of its own answer.
 * `form.token`: the token read from a multipart form by the page (the only place it counts then).
 */
function checkCsrf(request: FastifyRequest, reply: FastifyReply, form?: { token: string | undefined }): Promise<void> {
  // The form's token and nothing else (no header): the request itself, seen with that body.
  const checked = form ? (Object.create(request, { body: { value: { _csrf: form.token ?? '' } }, headers: { value: {} } }) as FastifyRequest) : request;
  return new Promise((resolve, reject) => {
    const refuse = { send: () => reject(PortalErrors.csrfInvalid()), unsignCookie: reply.unsignCookie?.bind(reply) } as unknown as FastifyReply;
    request.server.csrfProtection(checked, refuse, () => resolve());
  });
}
