import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebSessionsService } from '../auth/web-sessions.service.js';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Role } from '../users/user.entity.js';
import { PortalErrors } from './portal.errors.js';
import { SESSION_COOKIE } from './portal-setup.js';

const PORTAL_ROLES = 'portal:roles';
const PORTAL_OPEN = 'portal:open';

/** The page is for these roles only (others: 403 page). */
export const PortalRoles = (...roles: Role[]) => SetMetadata(PORTAL_ROLES, roles);
/** The page is for anyone, signed in or not (sign-in, registration). */
export const OpenPage = () => SetMetadata(PORTAL_OPEN, true);


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
    if (request.method === 'POST') await checkCsrf(request, reply);
    const open = this.reflector.getAllAndOverride<boolean | undefined>(PORTAL_OPEN, [context.getHandler(), context.getClass()]) ?? false;
    if (open) return true;
    // Not signed in: the portal's filter sends the browser to the sign-in page.
    if (!caller) throw PortalErrors.signInRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(PORTAL_ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(caller.role)) throw CommonErrors.refused(CommonErrors.forbidden(), { resource: 'route', targetId: null });
    return true;
  }
}

/** @fastify/csrf-protection's check, turned into a DomainError instead of its own answer. */
function checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    const refuse = { send: () => reject(PortalErrors.csrfInvalid()), unsignCookie: reply.unsignCookie?.bind(reply) } as unknown as FastifyReply;
    request.server.csrfProtection(request, refuse, () => resolve());
  });
}
