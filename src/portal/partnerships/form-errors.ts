import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error.js';
import { StrictValidationPipe } from '../../common/validation/validation.pipe.js';
import type { FieldErrors, PortalPages } from '../page.js';

const pipe = new StrictValidationPipe();

/** An action's fields through the API's DTO and pipe; a refusal is thrown as the API would answer it (for `pages.act`). */
export async function dtoOf<T extends object>(dto: new () => T, fields: Record<string, unknown>): Promise<T> {
  return (await pipe.transform(fields, { type: 'body', metatype: dto })) as T;
}

/** A refusal a form is shown again for (bad fields, a conflict in words); anything else is the error page's. */
export function isFormRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && [400, 409, 422].includes(error.status) && !error.refusal;
}

/**
 * A refusal's field errors and message for a form shown again, in the reader's language:
 * invalid fields → "please correct the fields marked"; a refusal with its own title (409
 * quota exceeded, agreement not active) → that title, and each field's own words beside it.
 */
export function shownErrors(pages: PortalPages, request: FastifyRequest, error: DomainError): { errors: FieldErrors; message: string } {
  const { errors, message } = pages.errorsOf(request, error);
  if (error.code === 'validation.failed') return { errors, message: pages.t(request)('form.errors') };
  return { errors, message };
}
