import { Injectable, RequestMethod, SetMetadata, type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { CommonErrors, DomainError } from '../errors/domain-error.js';
import { TransactionHost } from '../transactions/transaction-host.js';

/** Keys are remembered for a day. */
const KEPT_FOR_HOURS = 24;

/**
 * `Idempotency-Key` on POST (SPEC section 5): the same key with the same body replays the
 * first answer; with another body 422 (even while the first runs); with the same body while
 * the first is still running 409. Only
 * successful answers are kept: a request that failed may be retried with the same key.
 *
 * The request runs in one transaction with the record of its answer (the services' own
 * transactions join it), so that the change and the record commit together or not at all,
 * whatever happens to the database meanwhile: a request whose answer was lost on the way
 * (the connection cut after the commit) is replayed when it is sent again, never run a
 * second time, and one that failed leaves no record behind. "Still running" is an advisory
 * lock on the key held by that transaction, which PostgreSQL lets go with it however it
 * ends, so a key is never left taken by a request that is no more.
 *
 * Bound to every POST route by `interceptPostRoutes`.
 */
const SKIP_KEY = 'idempotency:skip';
/** For routes whose answers must not be stored (sessions carry secrets); the header is ignored there. */
export const WithoutIdempotency = () => SetMetadata(SKIP_KEY, true);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: TransactionHost,
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

    return this.tx.run(async () => {
      const manager = this.tx.required;
      // A record without an answer was left by a request that ran before answers were stored with their change: nothing runs it now.
      const stored = async () =>
        (
          (await manager.query(
            `SELECT request_hash AS "requestHash", status_code AS "statusCode", response_body AS "responseBody" FROM idempotency_records
              WHERE scope = $1 AND key = $2 AND status_code IS NOT NULL AND created_at >= now() - make_interval(hours => $3)`,
            [scope, key, KEPT_FOR_HOURS],
          )) as { requestHash: string; statusCode: number; responseBody: unknown }[]
        )[0];
      // Answered already: replayed, however many copies come at once. Otherwise the key is taken, and looked at again once held (the first may have just committed).
      let existing = await stored();
      if (!existing) {
        const keyLock = `idempotency ${scope} ${key}`;
        const bodyLock = `${keyLock} ${requestHash}`;
        // The body's lock (shared: copies never wait for each other) before the key's, so that whoever holds the key holds its body's lock too.
        await manager.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [bodyLock]);
        const [{ taken }] = (await manager.query('SELECT NOT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS taken', [keyLock])) as { taken: boolean }[];
        if (taken) {
          existing = await stored();
          if (!existing) {
            // Who runs the key, then whether an answer was stored meanwhile: a stored answer is
            // final, whoever holds the key by then (another copy, or another body told 422).
            const another = await this.runningWithAnotherBody(keyLock, bodyLock);
            existing = await stored();
            if (!existing) throw another ? new DomainError('idempotency.key_reused', 422) : new DomainError('idempotency.in_progress', 409);
          }
        } else existing = await stored();
      }
      if (existing) {
        if (existing.requestHash !== requestHash) throw new DomainError('idempotency.key_reused', 422);
        reply.header('Idempotency-Replayed', 'true');
        reply.status(existing.statusCode);
        return existing.responseBody;
      }

      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await manager.query(
        `INSERT INTO idempotency_records (scope, key, request_hash, status_code, response_body, completed_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body, created_at = now(), completed_at = now()`,
        [scope, key, requestHash, reply.statusCode /* set by Nest from @HttpCode before interceptors run */, body === undefined ? null : JSON.stringify(body)],
      );
      return body;
    });
  }

  /** Whether the session running the key holds no lock of this body: the first request, still running, has another body. */
  private async runningWithAnotherBody(keyLock: string, bodyLock: string): Promise<boolean> {
    const [{ another }] = (await this.tx.required.query(
      `WITH ids AS (SELECT hashtextextended($1, 0) AS key_id, hashtextextended($2, 0) AS body_id),
            holder AS (SELECT l.pid FROM pg_locks l, ids WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.objsubid = 1
                         AND l.classid = ((ids.key_id >> 32) & 4294967295)::oid AND l.objid = (ids.key_id & 4294967295)::oid)
       SELECT EXISTS (SELECT 1 FROM holder) AND NOT EXISTS (
         SELECT 1 FROM pg_locks l, ids, holder WHERE l.pid = holder.pid AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND l.classid = ((ids.body_id >> 32) & 4294967295)::oid AND l.objid = (ids.body_id & 4294967295)::oid) AS another`,
      [keyLock, bodyLock],
    )) as { another: boolean }[];
    return another;
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
