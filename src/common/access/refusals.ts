import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** Where the problem filter reports a refused request (the audit log provides it). */
export const REFUSAL_RECORDER = Symbol('REFUSAL_RECORDER');

export interface RefusalRecorder {
  /** Records the refusal; resolves once it is written (or failed, which it logs). */
  refused(request: FastifyRequest, error: DomainError): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A refusal worth recording: an authenticated caller answered 403 or 404 on an object (by
 * the access policy, a role guard or a service that found nothing in the caller's scope).
 * Unknown routes and anonymous requests are not (they reach no protected object).
 */
export function refusalOf(request: FastifyRequest, error: unknown): { error: DomainError; resource: string; targetId: string | null } | null {
  if (!request.caller || !(error instanceof DomainError)) return null;
  const marked = error.refusal;
  const objectRefusal = (error.status === 403 && error.code === 'access.forbidden') || (error.status === 404 && error.code.endsWith('.not_found') && error.code !== 'route.not_found');
  if (!marked && !objectRefusal) return null;
  const param = (request.params as Record<string, unknown> | undefined)?.id;
  const targetId = marked?.targetId ?? (typeof param === 'string' && UUID.test(param) ? param.toLowerCase() : null);
  const resource = marked?.resource ?? (error.status === 404 ? error.code.slice(0, -'.not_found'.length) : 'route');
  return { error, resource, targetId };
}
