import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

const MULTIPART_KEY = 'http:multipart';

/** The route reads a multipart/form-data body itself (document uploads). */
export const AcceptsMultipart = () => SetMetadata(MULTIPART_KEY, true);

export const unsupportedMediaType = () => new DomainError('request.unsupported_media_type', 415);

/**
 * Multipart parsing is registered for the whole server (Fastify has one parser per content
 * type), so this guard keeps it to the routes that ask for it: a multipart body anywhere
 * else is 415 (such a route answers 415 itself to a body of another type).
 */
@Injectable()
export class MultipartGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The route's metadata is looked up only for a multipart body (this guard runs on every request).
    if (!/^multipart\//i.test(request.headers['content-type'] ?? '')) return true;
    if (!this.reflector.getAllAndOverride<boolean>(MULTIPART_KEY, [context.getHandler(), context.getClass()])) throw unsupportedMediaType();
    return true;
  }
}
