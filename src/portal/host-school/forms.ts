import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error.js';
import type { FieldErrors, PortalPages } from '../page.js';

/** What a refused action shows on its page: field errors by field, the refusal in words, its status. */
export interface Refusal {
  errors: FieldErrors;
  message: string;
  status: number;
  /** the error's code (`auth.email_taken`), for a page that places it by a field */
  code?: string;
}

/**
 * A refusal the user reads on the page it acted from (a conflict, a rule, a field): not a
 * sign-in, an access refusal of the policy or a missing object, which the error filter
 * answers with its own page.
 */
function shownOnPage(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status < 500 && error.status !== 401 && error.status !== 404 && !(error.status === 403 && error.refusal);
}

/**
 * A POSTed action of the staff's pages. Done: back to `back` with `?done=<doneKey>`
 * (post/redirect/get). Refused in a way the user can act on: `show` renders the page again
 * with the refusal — its title with its values ("an application in status confirmed cannot
 * …"), its field errors next to their fields — and the refusal's status (400, 403, 409…).
 */
export async function attempt(
  pages: PortalPages,
  request: FastifyRequest,
  reply: FastifyReply,
  target: { back: string; done: string },
  work: () => Promise<unknown>,
  show: (refusal: Refusal) => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!shownOnPage(error)) throw error;
    return show({ ...pages.errorsOf(request, error), status: error.status, code: error.code });
  }
  reply.redirect(`${target.back}${target.back.includes('?') ? '&' : '?'}done=${encodeURIComponent(target.done)}`, 303);
}

/** A form's field errors as a refusal to show (400). */
export const invalid = (form: { errors: FieldErrors; message: string }): Refusal => ({ ...form, status: 400 });

/** Where a form leads back to: a path of the portal under `prefix` (never another site), else `fallback`. */
export function backTo(value: string | undefined, prefix: string, fallback: string): string {
  return value && value.startsWith(prefix) && /^\/portal\/[\w\-/?=&%.]*$/.test(value) && !value.includes('//') ? value : fallback;
}

/** A query parameter as one string (a repeated one: its last value), undefined when absent or empty. */
export function param(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | null)?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' && last.trim() !== '' ? last.trim() : undefined;
}

/** A query string of the given parameters (empty ones left out), with its `?`. */
export function queryString(params: Record<string, string | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
