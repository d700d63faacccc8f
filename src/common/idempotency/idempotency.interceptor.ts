import { Injectable, RequestMethod, SetMetadata, type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { CommonErrors, DomainError } from '../errors/domain-error.js';

/** A record still "running" after this long belongs to a request that died; it may be retaken. */
const ABANDONED_AFTER_SECONDS = 60;
/** Keys are remembered for a day. */
const KEPT_FOR_HOURS = 24;

/**
 * `Idempotency-Key` on POST (SPEC section 5): the same key with the same body replays the
 * first answer; with another body 422; while the first is still running 409. Only
 * successful answers are kept: a request that failed may be retried with the same key.
 * Bound to every POST route by `interceptPostRoutes`.
 */
const SKIP_KEY = 'idempotency:skip';
/** For routes whose answers must not be stored (sessions carry secrets); the header is ignored there. */
export const WithoutIdempotency = () => SetMetadata(SKIP_KEY, true);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(SKIP_KEY, [context.getHandler(), context.getClass()])) return next.handle();
    return from(this.run(request, context.switchToHttp().getResponse<FastifyReply>(), String(header), next));
  }

  private async run(request: FastifyRequest, reply: FastifyReply, key: string, next: CallHandler): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw CommonErrors.invalidField('Idempotency-Key', 'isLength', 'must be 1 to 255 visible ASCII characters', { min: 1, max: 255 });
    }
    const scope = request.caller ? `user:${request.caller.id}` : `ip:${request.ip}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n`)
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');

    const claimed = (await this.dataSource.query(
      `INSERT INTO idempotency_records (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now(), status_code = NULL, response_body = NULL, completed_at = NULL
         WHERE (idempotency_records.completed_at IS NULL AND idempotency_records.created_at < now() - make_interval(secs => $4))
            OR idempotency_records.created_at < now() - make_interval(hours => $5)
       RETURNING id`,
      [scope, key, requestHash, ABANDONED_AFTER_SECONDS, KEPT_FOR_HOURS],
    )) as { id: string }[];

    if (claimed.length === 0) {
      const [existing] = (await this.dataSource.query(
        'SELECT request_hash AS "requestHash", status_code AS "statusCode", response_body AS "responseBody" FROM idempotency_records WHERE scope = $1 AND key = $2',
        [scope, key],
      )) as { requestHash: string; statusCode: number | null; responseBody: unknown }[];
      if (!existing) throw new DomainError('idempotency.in_progress', 409);
      if (existing.requestHash !== requestHash) throw new DomainError('idempotency.key_reused', 422);
      if (existing.statusCode === null) throw new DomainError('idempotency.in_progress', 409);
      reply.header('Idempotency-Replayed', 'true');
      reply.status(existing.statusCode);
      return existing.responseBody;
    }

    const id = claimed[0].id;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.dataSource.query('UPDATE idempotency_records SET status_code = $2, response_body = $3, completed_at = now() WHERE id = $1', [
        id,
        reply.statusCode, // set by Nest from @HttpCode before interceptors run
        body === undefined ? null : JSON.stringify(body),
      ]);
      return body;
    } catch (error) {
      await this.dataSource.query('DELETE FROM idempotency_records WHERE id = $1', [id]);
      throw error;
    }
  }
}

/**
 * Makes the application's IdempotencyInterceptor the first interceptor of every POST route
 * of its controllers (API and portal). Not a global interceptor: that would take every other
 * request (every read) through Nest's interceptor chain for nothing, which costs about as
 * much as the rest of a small read. Called by createApp, before the routes are registered
 * (app.init reads the metadata); an interceptor that an earlier application of the process
 * bound (tests start several, one after the other) is replaced.
 */
export function interceptPostRoutes(app: INestApplication): void {
  const interceptor = app.get(IdempotencyInterceptor);
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const prototype = (metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        const others = ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[]).filter((bound) => !(bound instanceof IdempotencyInterceptor));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...others], handler);
      }
    }
  }
}
