import { ArgumentsHost, Catch, HttpException, Inject, Optional, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { REFUSAL_RECORDER, refusalOf, type RefusalRecorder } from '../access/refusals.js';
import { resolveLocale } from '../http/locale.js';
import { DomainError } from './domain-error.js';
import { fieldMessageOf, titleOf } from './catalogue.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

/** Errors raised by Fastify and its plugins before a route runs (body parsing, limits): code and status. */
const FASTIFY_CODES: Record<string, [code: string, status?: number]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['request.malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['request.malformed_json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['request.bad_request'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['request.body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['request.unsupported_media_type'],
  FST_ERR_CTP_INVALID_TYPE: ['request.unsupported_media_type'],
  FST_REQ_FILE_TOO_LARGE: ['document.too_large', 413],
  FST_PARTS_LIMIT: ['request.too_many_parts', 413],
  FST_FILES_LIMIT: ['request.too_many_parts', 413],
  FST_FIELDS_LIMIT: ['request.too_many_parts', 413],
  FST_PROTO_VIOLATION: ['request.bad_request', 400],
  FST_INVALID_MULTIPART_CONTENT_TYPE: ['request.unsupported_media_type', 415],
  FST_MP_PREMATURE_CLOSE: ['request.bad_request', 400],
};

const STATUS_FALLBACK: Record<number, string> = {
  400: 'request.bad_request',
  401: 'auth.unauthenticated',
  403: 'access.forbidden',
  404: 'route.not_found',
  405: 'route.method_not_allowed',
  413: 'request.body_too_large',
  415: 'request.unsupported_media_type',
};

function fromFastify(error: unknown): DomainError | null {
  const fastify = error as { code?: unknown; statusCode?: number } | null;
  if (fastify && typeof fastify.code === 'string' && FASTIFY_CODES[fastify.code]) {
    const [code, status] = FASTIFY_CODES[fastify.code];
    return new DomainError(code, status ?? fastify.statusCode ?? 400);
  }
  return null;
}

/**
 * Database errors that a request can meet through no fault of the code path it took: two
 * transactions that collided (deadlock, serialization, lock timeout) or a row that changed
 * under it. They answer 409 and may be retried; everything else from the database is a 500.
 * Each one is still logged (sendProblem), since a collision the locks should have
 * prevented is worth knowing about.
 */
const DATABASE_CONFLICTS = new Set(['40001', '40P01', '55P03', '23505', '23503']);

function fromDatabase(exception: unknown): DomainError | null {
  if (!(exception instanceof QueryFailedError)) return null;
  const code = String((exception as { code?: unknown }).code ?? '');
  return DATABASE_CONFLICTS.has(code) ? new DomainError('request.conflict', 409, {}, [], { 'Retry-After': '1' }) : null;
}

/**
 * The database is away: refused or unreachable, shutting down or starting, out of
 * connections, or no connection came free in time (the pool's connectionTimeoutMillis).
 * Nothing the request did; it answers 503 and may be retried shortly.
 */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-3]$|53300$)/;
const UNAVAILABLE_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Query read timeout)/;

function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception instanceof QueryFailedError ? (exception.driverError as unknown) : exception;
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? '');
  // A SQLSTATE from the server; an errno only with the socket call that raised it.
  if (exception instanceof QueryFailedError || /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_SQLSTATES.test(code)) return true;
  }
  if (UNAVAILABLE_ERRNOS.has(code) && (error as NodeJS.ErrnoException).syscall !== undefined) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** Any error as the DomainError the answer is built from (Fastify's limits, database collisions…); null for an unexpected one. */
export function toDomainError(exception: unknown): DomainError | null {
  if (exception instanceof DomainError) return exception;
  if (isDatabaseUnavailable(exception)) return new DomainError('database.unavailable', 503, {}, [], { 'Retry-After': '5' });
  // Nest wraps Fastify's own 4xx errors (body parsing, limits) in an HttpException.
  const wrapped = fromFastify(exception) ?? fromFastify((exception as { cause?: unknown } | null)?.cause);
  if (wrapped) return wrapped;
  const database = fromDatabase(exception);
  if (database) return database;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return new DomainError(STATUS_FALLBACK[status] ?? (status < 500 ? 'request.bad_request' : 'internal.error'), status < 500 ? status : 500);
  }
  const fastify = exception as { statusCode?: number } | null;
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return new DomainError(STATUS_FALLBACK[fastify.statusCode] ?? 'request.bad_request', fastify.statusCode);
  }
  return null;
}

const problemType = (code: string) => `https://exchange.example/problems/${code.replace(/\./g, '/')}`;

/** Builds the problem+json answer of any error; unknown errors become a bare 500. */
export function problemOf(exception: unknown, request: FastifyRequest): { problem: Problem; headers: Record<string, string>; unexpected: boolean } {
  const error = toDomainError(exception) ?? new DomainError('internal.error', 500);
  const locale = resolveLocale(request.headers['accept-language'], request.caller?.locale);
  const reason = STATUS_CODES[error.status] ?? 'Error';
  const title = titleOf(error.code, locale, reason, error.params);
  const problem: Problem = {
    type: problemType(error.code),
    title,
    status: error.status,
    detail: title,
    code: error.code,
    instance: request.url?.split('?')[0],
  };
  if (error.errors.length) {
    problem.errors = error.errors.map((e) => ({ field: e.field, message: fieldMessageOf(e.key, locale, e.message, e.params) }));
    problem.detail = problem.errors.map((e) => (e.field ? `${e.field} ${e.message}` : e.message)).join('; ');
  }
  return { problem, headers: error.headers, unexpected: toDomainError(exception) === null };
}

/**
 * Node's HTTP parser refuses some requests before Fastify has a request to hand to a route
 * or a hook: headers over the size limit (431), a request line or header it cannot parse
 * (400), a request that does not arrive in time (408). Fastify answers them with a JSON of
 * its own; this is Fastify's `clientErrorHandler` that answers them as problem+json like
 * every other error, in English (the headers that would choose the language are what
 * could not be read), and closes the connection as Node does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request.headers_too_large'] : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request.timeout'] : [400, 'request.bad_request'];
  const reason = STATUS_CODES[status] ?? 'Error';
  const title = titleOf(code, 'en', reason);
  const body = JSON.stringify({ type: problemType(code), title, status, detail: title, code } satisfies Problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** A database error without its values (parameters and message may hold personal data or hashes). */
function loggable(exception: unknown): unknown {
  if (!(exception instanceof QueryFailedError)) return exception;
  const { code, constraint, table } = exception as unknown as { code?: string; constraint?: string; table?: string };
  // Not the message either: PostgreSQL quotes the offending input in it.
  return { type: 'QueryFailedError', code, constraint, table, query: exception.query };
}

/** What made the database unavailable, without any query or value. */
function causeOf(exception: unknown): string | undefined {
  const error = (exception instanceof QueryFailedError ? exception.driverError : exception) as { code?: unknown; message?: unknown } | null;
  return typeof error?.code === 'string' ? error.code : typeof error?.message === 'string' ? error.message.slice(0, 100) : undefined;
}

export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, headers, unexpected } = problemOf(exception, request);
  if (unexpected) request.log.error({ err: loggable(exception) }, 'unhandled error');
  else if (problem.code === 'database.unavailable') request.log.warn({ code: problem.code, cause: causeOf(exception) }, 'database unavailable answered 503');
  else if (exception instanceof QueryFailedError) request.log.warn({ err: loggable(exception) }, 'database conflict answered 409');
  else if (problem.status >= 500) request.log.error({ code: problem.code }, 'server error');
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer');
  reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/**
 * Every error that reaches Nest ends here and leaves as application/problem+json. A refused
 * request (403/404 on an object, see refusals.ts) is recorded first, its own transaction
 * having rolled back, so the answer leaves once the record is written.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Optional() @Inject(REFUSAL_RECORDER) private readonly refusals?: RefusalRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (this.refusals && refusalOf(request, exception)) {
      void this.refusals.refused(request, exception as DomainError).finally(() => sendProblem(exception, request, reply));
      return;
    }
    sendProblem(exception, request, reply);
  }
}
