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

/** An answer of the access policy (404 outside scope, 403 forbidden): the audit log records it. */
export interface AccessRefusal {
  /** the resource asked for (`application`…), or `route` for a role refused by `@Roles()` */
  resource: string;
  /** the object's id when it was loaded; else the route's `:id`, read by whoever records it */
  targetId: string | null;
}

export class DomainError extends Error {
  /** set when the access policy refused the request (see AccessRefusal) */
  refusal?: AccessRefusal;

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
  /** A refusal of the access policy: 404 outside scope, 403 for a forbidden action; recorded in the audit log. */
  refused: (error: DomainError, refusal: AccessRefusal) => Object.assign(error, { refusal }),
  notFound: (resource: string) => new DomainError(`${resource}.not_found`, 404, { resource }),
  tooManyRequests: (retryAfterSeconds: number) =>
    new DomainError('rate_limit.exceeded', 429, { retryAfter: retryAfterSeconds }, [], { 'Retry-After': String(retryAfterSeconds) }),
};
