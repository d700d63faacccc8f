import multipart from '@fastify/multipart';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { answerClientError, sendProblem } from './common/errors/problem.filter.js';
import { interceptPostRoutes } from './common/idempotency/idempotency.interceptor.js';
import { bindRequestContext } from './common/http/request-context.js';
import { nestLoggerOf, RequestLogController, RequestLogger } from './common/logging/request-logs.js';
import type { Settings } from './config/settings.js';
import { PORTAL_ROOTS, setUpPortal } from './portal/portal-setup.js';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = 1024 * 1024;

const REQUEST_ID = /^[\w-]{8,100}$/;

/** The headers a connect-style middleware that only sets headers (helmet) sets on an answer. */
function headersSetBy(middleware: (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void): Record<string, string> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  let failed: unknown;
  middleware(response.req, response, (error) => (failed = error));
  if (failed) throw failed;
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

/**
 * Builds the HTTP application (used by main.ts and by the tests): Fastify with its pino
 * logger and request ids, the JSON limit, security headers, problem+json for errors that
 * Fastify raises before Nest, and the OpenAPI document.
 */
export async function createApp(settings: Settings, databaseUrl: string, logger: Logger): Promise<NestFastifyApplication> {
  const logController = new RequestLogController();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    childLoggerFactory: RequestLogger.factory,
    // No Nest middleware (what the HTTP layer adds are Fastify hooks and plugins): middie,
    // which runs Nest middleware, would only be one more hook on every request.
    skipMiddie: true,
    logController,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: settings.trustProxy as boolean, // Fastify also takes a hop count
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // The router refuses a malformed URL (400) or an over-long path parameter (414) before
    // any hook or Nest runs: answered as problem+json too, with the request id, and logged
    // here (Fastify has no completion for a request that never reached a route).
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      reply.header('X-Request-Id', request.id);
      sendProblem(error, request, reply);
      logController.requestCompleted(null, request, reply);
    },
    // Refused by Node's HTTP parser before any route (headers too large...): problem+json too.
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(settings, databaseUrl), adapter, {
    logger: nestLoggerOf(logger),
    abortOnError: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  bindRequestContext(fastify);
  // JSON only: any other body type is 415 (multipart routes register their own parser).
  fastify.removeContentTypeParser('text/plain');

  // Security headers: helmet's middleware made once (@fastify/helmet made it again on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: settings.nodeEnv === 'production',
  });
  // Its headers depend on nothing in the request (no nonce): written once here, then given to
  // every answer (every answer goes through Fastify's reply: none is written on the raw response).
  const staticHeaders = headersSetBy(securityHeaders);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(staticHeaders);
    reply.header('X-Request-Id', request.id);
    // The API's answers carry tokens and personal data: no browser or proxy keeps them
    // (a route that may be cached, such as a calendar feed, says so itself).
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    done();
  });

  // The portal's cookies, CSRF tokens, form bodies, assets and templates.
  await setUpPortal(app, settings);

  // Document uploads (src/documents/upload.ts sets the per-route limits).
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5, parts: 6 } });

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      // The portal's pages live at the root, beside the API.
      { path: '/', method: RequestMethod.GET },
      ...PORTAL_ROOTS.flatMap((root) => [
        { path: root, method: RequestMethod.ALL },
        { path: `${root}/{*rest}`, method: RequestMethod.ALL },
      ]),
    ],
  });

  // The API's map is for its developers and integrators: in production only when API_DOCS asks for it.
  if (settings.apiDocs) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Student exchange API')
        .setDescription(
          'Student exchanges between partner institutions: accounts, institutions, partnership agreements, programmes, applications, documents and learning agreements. ' +
            'Errors are application/problem+json with a stable `code`. Lists are keyset-paginated (`limit`, `cursor`). ' +
            'POST accepts an `Idempotency-Key` header.',
        )
        .setVersion('1.0.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  }
  interceptPostRoutes(app);
  return app;
}
