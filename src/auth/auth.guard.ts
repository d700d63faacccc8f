import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { CommonErrors } from '../common/errors/domain-error.js';
import { User, type Role } from '../users/user.entity.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';
import { AuthErrors } from './auth.errors.js';
import { TokenService } from './token.service.js';

/**
 * Global guard: every route needs a valid Bearer access token unless marked @Public().
 * The caller is reloaded from the database on each request, so a changed role or a deleted
 * account takes effect at once rather than when the token expires. @Roles() narrows a
 * route to some roles (403 for the others).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const header = request.headers.authorization;

    if (header === undefined) {
      if (isPublic) return true;
      throw AuthErrors.unauthenticated();
    }
    let user: User | null;
    try {
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
      if (!match) throw AuthErrors.invalidToken();
      const userId = this.tokens.verifyAccessToken(match[1]);
      user = await this.dataSource.manager.findOne(User, {
        where: { id: userId },
        select: { id: true, role: true, institutionId: true, hostFamilyId: true, locale: true },
      });
      if (!user) throw AuthErrors.invalidToken();
    } catch (error) {
      // A stale token sent along to a public route (login, refresh) is as good as none.
      if (isPublic) return true;
      throw error;
    }
    request.caller = { id: user.id, role: user.role, institutionId: user.institutionId, hostFamilyId: user.hostFamilyId, locale: user.locale };

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw CommonErrors.forbidden();
    return true;
  }
}
