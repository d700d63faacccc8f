/**
 * The one error type that domain code throws. It carries a stable `code` (public API,
 * see SPEC section 5), the HTTP status it maps to, and values for the message templates
 * of the error catalogues (src/common/errors/catalogue.ts). The problem+json filter turns
 * it into the answer. A domain builds its errors from its own catalogue (defineErrors).
 */
export interface FieldError {
  field: string;
  /** message key in the catalogue (validation constraint), or null for `message` as is */
  key: string | null;
  message: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

/** Shared codes that are not owned by one domain. */
export const CommonErrors = {
  validation: (errors: FieldError[]) => new DomainError('validation.failed', 400, {}, errors),
  invalidField: (field: string, key: string, message: string, params?: Record<string, string | number>) =>
    new DomainError('validation.failed', 400, {}, [{ field, key, message, params }]),
  /** A transition that needs a `reason` (reject, cancel, decline, suspend, terminate…) given none. */
  reasonRequired: () => new DomainError('validation.failed', 400, {}, [{ field: 'reason', key: 'required', message: 'is required' }]),
  forbidden: () => new DomainError('access.forbidden', 403),
  notFound: (resource: string) => new DomainError(`${resource}.not_found`, 404, { resource }),
  tooManyRequests: (retryAfterSeconds: number) =>
    new DomainError('rate_limit.exceeded', 429, { retryAfter: retryAfterSeconds }, [], { 'Retry-After': String(retryAfterSeconds) }),
};
