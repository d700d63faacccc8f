import type { LoggerService } from '@nestjs/common';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { loggablePath } from '../http/loggable-path.js';
import { currentRequest } from '../http/request-context.js';

/**
 * Request-scoped logs. Fastify gives every request a child of the application's pino
 * instance bound to its request id (`reqId`, the X-Request-Id answer header); the request
 * context (request-context.ts) keeps the request, and so that very logger, for the rest of
 * the request, so Nest's
 * `new Logger(...)` lines from services, the problem filter's `request.log` lines and the
 * request-completed line share one logger. Outside a request (startup, jobs) Nest's lines
 * go to the application's logger, without a request id.
 *
 * A Fastify hook rather than nestjs-pino's Nest middleware: that one runs every request
 * through @fastify/middie as well, which `npm run bench` shows costs about a tenth of the
 * throughput of the lightest routes.
 */
type Level = 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal';

/** Nest's logger: the current request's pino logger, or the application's outside a request. */
export class RequestScopedLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private write(level: Level, message: unknown, rest: unknown[]): void {
    const logger = (currentRequest()?.log as Logger | undefined) ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    const last = rest[rest.length - 1];
    // Nest passes (message, stack?, context?); a lone stack is not a context.
    const context = typeof last === 'string' && !last.includes('\n') ? last : undefined;
    const stack = typeof rest[0] === 'string' && rest[0].includes('\n') ? rest[0] : undefined;
    // A stack, like an error's, only at debug level: never in the terminal.
    if (stack) logger.debug({ context, stack }, typeof message === 'string' ? message : 'stack');
    if (message instanceof Error) {
      // Errors reach Nest's logger when the application cannot be built (main.ts reports
      // those on one line): the stack only at debug level, not in the terminal.
      logger.debug({ context, err: message }, message.message);
      logger[level]({ context, err: { type: message.name, message: message.message } }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      // pino's style through Nest's Logger: (fields, 'message', context)
      const text = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
      logger[level]({ context, ...message }, text);
    }
    else logger[level]({ context }, String(message));
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
}

/** Nest's logger for the application, from its first bootstrap line on. */
export function nestLoggerOf(logger: Logger): LoggerService {
  return new RequestScopedLogger(logger);
}

/**
 * A request's logger: pino's child bound to the request id, made when the request first
 * writes a line. Most requests write none above the configured level (with LOG_LEVEL=warn
 * in production, a request that succeeds writes nothing), and a pino child costs its
 * bindings' serialization through the redaction on every request. Level checks answer from
 * the parent, which has the same level (a route's own `logLevel` gets a real child at once).
 */
export class RequestLogger {
  private made?: Logger;
  private extra?: Record<string, unknown>;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  /** Fastify's `childLoggerFactory`: a lazy child, or pino's own when the route sets a level. */
  static factory(this: void, parent: FastifyBaseLogger, bindings: Record<string, unknown>, options: { level?: string }): FastifyBaseLogger {
    if (options.level) return parent.child(bindings, options);
    return new RequestLogger(parent as Logger, bindings) as unknown as FastifyBaseLogger;
  }

  private get logger(): Logger {
    return (this.made ??= this.parent.child(this.extra ? { ...this.bindings, ...this.extra } : this.bindings));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }

  /** Adds bindings to every later line (the caller's id, once authenticated). */
  setBindings(bindings: Record<string, unknown>): void {
    if (this.made) this.made.setBindings(bindings);
    else this.extra = { ...this.extra, ...bindings };
  }

  child(bindings: Record<string, unknown>, options?: object): Logger {
    return this.logger.child(bindings, options);
  }

  private write(level: Level, line: unknown[]): void {
    if (this.parent.isLevelEnabled(level)) (this.logger[level] as (...args: unknown[]) => void)(...line);
  }

  fatal(...line: unknown[]): void {
    this.write('fatal', line);
  }
  error(...line: unknown[]): void {
    this.write('error', line);
  }
  warn(...line: unknown[]): void {
    this.write('warn', line);
  }
  info(...line: unknown[]): void {
    this.write('info', line);
  }
  debug(...line: unknown[]): void {
    this.write('debug', line);
  }
  trace(...line: unknown[]): void {
    this.write('trace', line);
  }
  silent(): void {}
}

/** Requests whose logger already carries the caller's id. */
const withCaller = new WeakSet<FastifyRequest>();

/**
 * Binds the authenticated caller's id to the request's logger, once: every later line of the
 * request carries it. Called by the guards that load the caller (the API's bearer guard,
 * the portal's session guard) once they let the request through.
 */
export function bindCallerToLog(request: FastifyRequest): void {
  if (request.caller && !withCaller.has(request)) {
    withCaller.add(request);
    // The request's logger (a RequestLogger, or pino's child on a route with its own level),
    // the very object the request's async context holds: changed in place, not replaced.
    (request.log as unknown as Pick<RequestLogger, 'setBindings'>).setBindings({ callerId: request.caller.id });
  }
}

/**
 * Fastify's request lines: one per request, once the answer is sent, in place of Fastify's
 * "incoming request" and "request completed" pair. The path without its query string (which
 * may hold tokens) nor a secret it carries (loggable-path.ts), never headers, bodies or addresses. Fastify's other lines (stream errors
 * and the like) stay as they are.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // Nothing is made for a line that would not be written (LOG_LEVEL above info).
    if (!(reply.log as Logger).isLevelEnabled(error ? 'error' : 'info')) return;
    const line: Record<string, unknown> = {
      req: { method: request.method, url: loggablePath(request.url) },
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
    };
    // A caller that a guard loaded, then refused (403 by role), was never bound.
    if (request.caller && !withCaller.has(request)) line.callerId = request.caller.id;
    if (error) reply.log.error({ ...line, err: error }, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
