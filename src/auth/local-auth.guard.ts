import { createParamDecorator, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard as PassportAuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { StrictValidationPipe } from '../common/validation/validation.pipe.js';
import type { User } from '../users/user.entity.js';
import { AuthErrors } from './auth.errors.js';
import { LoginDto } from './dto/auth.dto.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The user whose credentials LocalAuthGuard has just verified (sign-in only). */
    signedIn?: User;
  }
}

const AUTHENTICATE_OPTIONS: AuthGuardAuthenticateOptions = { session: false, property: 'signedIn' };

/**
 * The sign-in route's guard: the `local` strategy. Guards run before pipes, so the body is
 * validated here first, by the same pipe and DTO as any other body: a malformed sign-in
 * is a 400 naming the field (unknown fields refused) and counts against no limit, and the
 * strategy reads the normalized e-mail.
 */
@Injectable()
export class LocalAuthGuard extends PassportAuthGuard('local') {
  constructor(private readonly validation: StrictValidationPipe) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.body = await this.validation.transform(request.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return AUTHENTICATE_OPTIONS;
  }

  /** Errors are AuthService's (invalid credentials, 429); Passport never answers by itself. */
  override handleRequest<T = User>(error: unknown, user: User | false | null): T {
    if (error) throw error;
    if (!user) throw AuthErrors.invalidCredentials();
    return user as T;
  }
}

/** The user LocalAuthGuard signed in. */
export const SignedInUser = createParamDecorator((_data: unknown, context: ExecutionContext): User => {
  return context.switchToHttp().getRequest<FastifyRequest>().signedIn!;
});
