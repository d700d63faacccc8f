import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt } from 'passport-jwt';
import { CommonErrors } from '../common/errors/domain-error.js';
import type { Caller } from '../common/http/caller.js';
import { bindCallerToLog } from '../common/logging/request-logs.js';
import type { Role } from '../users/user.entity.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { AuthErrors } from './auth.errors.js';

/** The caller lands on `request.caller`; no session, and Passport never answers by itself. */
const AUTHENTICATE_OPTIONS: AuthGuardAuthenticateOptions = { session: false, property: 'caller' };

/** Whether the request carried any Authorization header at all, whatever its scheme. */
const authorizationOf = ExtractJwt.fromHeader('authorization');

/**
 * Global guard: every route needs a valid Bearer access token (the `jwt` strategy, which
 * also reloads the caller from the database) unless marked @Public(). @Roles() narrows a
 * route to some roles (403 for the others).
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Nothing for Passport to check: answered here, since its failure path (an Error with a
    // stack trace) costs ten times what this guard spends on a public request otherwise.
    if (authorizationOf(request) === null) {
      if (this.isPublic(context)) return true;
      throw AuthErrors.unauthenticated();
    }
    await super.canActivate(context);
    const caller = request.caller;
    if (caller) {
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
      if (roles && !roles.includes(caller.role)) throw CommonErrors.refused(CommonErrors.forbidden(), { resource: 'route', targetId: null });
      bindCallerToLog(request);
    }
    return true;
  }

  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return AUTHENTICATE_OPTIONS;
  }

  /** Turns Passport's outcome into the caller, or into our own 401 (rendered by the problem+json filter). */
  override handleRequest<T = Caller | undefined>(error: unknown, caller: Caller | false | null, _info: unknown, context: ExecutionContext): T {
    if (caller) return caller as T;
    // A stale or malformed token sent along to a public route (login, refresh) is as good as none.
    if (this.isPublic(context)) return undefined as T;
    throw error ?? AuthErrors.invalidToken();
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) ?? false;
  }
}
