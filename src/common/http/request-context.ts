import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The request being served, for code that runs deep inside it without the request passed
 * by hand: the request's logger (request-logs.ts) and the audit log's request id, client
 * address and caller. Fastify's onRequest hook enters it; everything the request awaits
 * afterwards (guards, pipes, the handler, the problem filter) runs inside.
 */
const current = new AsyncLocalStorage<FastifyRequest>();

export function bindRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => current.run(request, done));
}

/** The request being served, or undefined outside one (startup, timers, jobs). */
export function currentRequest(): FastifyRequest | undefined {
  return current.getStore();
}
