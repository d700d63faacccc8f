import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Locale, Role } from '../../users/user.entity.js';

/** Who is calling, as loaded from the database for this request (never from the token alone). */
export interface Caller {
  id: string;
  role: Role;
  institutionId: string | null;
  hostFamilyId: string | null;
  locale: Locale;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** The authenticated caller of a route; the auth guard guarantees it on non-public routes. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<FastifyRequest>().caller!;
});
