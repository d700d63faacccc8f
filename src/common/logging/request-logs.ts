import { Injectable, type CallHandler, type ExecutionContext, type LoggerService, type NestInterceptor } from '@nestjs/common';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Observable } from 'rxjs';

/**
 * Request-scoped logs (nestjs-pino on Fastify). Fastify already gives every request a child
 * of the application's pino instance bound to its request id (`reqId`, the X-Request-Id
 * answer header); with `useExisting` nestjs-pino keeps that very logger in its async
 * context for the request, so `new Logger(...)` lines from services, the problem filter's
 * `request.log` lines and the request-completed line share one logger, and nothing builds a
 * second one per request. Outside a request (startup, jobs) Nest's logger writes to a child
 * of the same instance, without a request id.
 *
 * nestjs-pino keeps that out-of-request logger once per process: a second application in the
 * same process (a test file starting two) writes its startup lines to the first one's.
 */
export function requestLogParams(logger: Logger): Params {
  return { pinoHttp: { logger, wrapSerializers: false }, useExisting: true };
}

/** Nest's logger for the application, from its first bootstrap line on. */
export function nestLoggerOf(logger: Logger): LoggerService {
  const params = requestLogParams(logger);
  return new NestPinoLogger(new PinoLogger(params), params);
}

/** Requests whose logger already carries the caller's id. */
const withCaller = new WeakSet<FastifyRequest>();

/**
 * Binds the authenticated caller's id to the request's logger; an interceptor, so that it
 * runs after the guards that load the caller. Every later line of the request carries it.
 */
@Injectable()
export class CallerLogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      if (request.caller && !withCaller.has(request)) {
        withCaller.add(request);
        // A pino child (Fastify's loggerInstance is pino), and the very object nestjs-pino
        // holds for this request (useExisting): changed in place, not replaced.
        (request.log as Logger).setBindings({ callerId: request.caller.id });
      }
    }
    return next.handle();
  }
}

/**
 * Fastify's request lines: one per request, once the answer is sent, in place of Fastify's
 * "incoming request" and "request completed" pair. The path without its query string (which
 * may hold tokens), never headers, bodies or addresses. Fastify's other lines (stream errors
 * and the like) stay as they are.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const url = request.url;
    const query = url.indexOf('?');
    const line: Record<string, unknown> = {
      req: { method: request.method, url: query < 0 ? url : url.slice(0, query) },
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
    };
    // A caller that a guard loaded, then refused (403 by role), was never bound.
    if (request.caller && !withCaller.has(request)) line.callerId = request.caller.id;
    if (error) reply.log.error({ ...line, err: error }, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
