import { ArgumentsHost, Catch, Inject, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFUSAL_RECORDER, refusalOf, type RefusalRecorder } from '../common/access/refusals.js';
import { DomainError } from '../common/errors/domain-error.js';
import { problemOf } from '../common/errors/problem.filter.js';
import { PortalPages } from './page.js';

/**
 * The portal's errors as pages, never problem+json: not signed in → the sign-in page (and
 * back here after it); anything else → an error page with the status and its text in the
 * reader's language (an object out of the caller's scope reads "does not exist, or it is
 * not yours to see", as the API's 404). Refusals are audited as the API's are.
 */
@Catch()
export class PortalErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Portal');

  constructor(
    private readonly pages: PortalPages,
    @Optional() @Inject(REFUSAL_RECORDER) private readonly refusals?: RefusalRecorder,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    void this.answer(exception, request, reply).catch((error: unknown) => {
      this.logger.error({ err: { message: (error as Error).message } }, 'the error page could not be rendered');
      if (!reply.sent) reply.status(500).type('text/plain; charset=utf-8').send('Internal error');
    });
  }

  private async answer(exception: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { problem, unexpected } = problemOf(exception, request);
    if (problem.status === 401) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return void reply.redirect(`/sign-in${next}`, 303);
    }
    if (unexpected) this.logger.error({ err: exception instanceof Error ? { type: exception.name, message: exception.message } : exception }, 'unhandled error on a page');
    const refusal = refusalOf(request, exception);
    if (refusal && this.refusals) await this.refusals.refused(request, refusal.error);
    const t = this.pages.t(request);
    const message = problem.status === 404 ? t('error.notFound') : exception instanceof DomainError ? this.pages.errorsOf(request, exception).message : problem.title;
    await this.pages.render(request, reply, 'error', { title: t('error.title'), message, status: problem.status }, problem.status);
  }
}
