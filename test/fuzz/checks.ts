/**
 * What every answer must be, whatever the request (SPEC section 5): an answer within the
 * time limit, never a 5xx; an error as application/problem+json with `type`, `title`,
 * `status` (the HTTP status), `detail` and a stable `code`; no stack trace, SQL, driver
 * error or password hash anywhere; and a request that carries a defect is refused.
 */
import type { FuzzRequest } from './requests.js';
import type { Answer } from './send.js';

/** Written by the server, never by the client: a stack frame, a source path, SQL, a driver's message, an internal error's name. */
const LEAKS: [string, RegExp][] = [
  ['a stack trace', /\n\s+at\s+\S|\bat\s+(?:async\s+)?[\w$.<>[\]]+\s+\((?:file:|\/|node:)/],
  ['a source path', /(?:\/|\\)(?:src|dist|node_modules)(?:\/|\\)[\w./-]+|\.(?:ts|js|mjs|cjs):\d+/],
  ['SQL', /\bSELECT\b[\s\S]+\bFROM\b|\bINSERT INTO\b|\bUPDATE\b[\s\S]+\bSET\b|\bDELETE FROM\b|\bWHERE\b/],
  ['a database error', /QueryFailedError|syntax error at or near|violates (?:unique|foreign key|not-null|check) constraint|duplicate key value|invalid input (?:syntax|value)|invalid byte sequence|out of range for type|relation "\w+"|column "\w+"/i],
  ['an internal error', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|EntityNotFoundError|EntityPropertyNotFoundError|Maximum call stack|Cannot read properties|is not a function|undefined is not)\b/],
];
/** A password hash, or a field that would carry one (as a key: the name alone may be the echo of an unknown field's). */
const SECRETS = /\$argon2|"(?:passwordHash|password_hash)"\s*:/;
/** Keys a problem must not carry: internals of the error it came from. */
const INTERNAL_KEYS = ['stack', 'query', 'parameters', 'driverError', 'sql', 'cause', 'trace'];

const CODE = /^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$/;

/** The text of a problem that the server wrote (not the request's field names and path it echoes). */
function serverText(problem: Record<string, unknown>): string {
  const errors = Array.isArray(problem.errors) ? (problem.errors as { field?: unknown; message?: unknown }[]) : [];
  let detail = typeof problem.detail === 'string' ? problem.detail : '';
  for (const error of errors) if (typeof error.field === 'string' && error.field) detail = detail.split(error.field).join('<field>');
  return [problem.title, detail, problem.type, problem.code, ...errors.map((e) => e.message)].filter((part) => typeof part === 'string').join('\n');
}

export function issuesOf(request: FuzzRequest, answer: Answer): string[] {
  const issues: string[] = [];
  if (answer.error) return [`no answer: ${answer.error}`];
  const { status } = answer;
  if (status >= 500) issues.push(`a server error (${status})`);
  if (status < 200 || (status >= 300 && status < 400)) issues.push(`an unexpected status ${status}`);
  if (status < 300 && request.mustRefuse.length) issues.push(`accepted (${status}) although it carries ${request.mustRefuse.join('; ')}`);
  if (SECRETS.test(answer.text)) issues.push('a password hash in the answer');
  if (status >= 400) {
    const contentType = answer.headers.get('content-type') ?? '';
    if (!/^application\/problem\+json/.test(contentType)) issues.push(`an error as ${contentType || 'no content type'}, not application/problem+json`);
    const problem = answer.body;
    if (problem === null || typeof problem !== 'object' || Array.isArray(problem)) issues.push('an error without a problem object');
    else {
      const p = problem as Record<string, unknown>;
      for (const field of ['type', 'title', 'detail', 'code']) if (typeof p[field] !== 'string' || !p[field]) issues.push(`a problem without ${field}`);
      if (p.status !== status) issues.push(`a problem whose status ${String(p.status)} is not the HTTP status ${status}`);
      if (typeof p.code === 'string' && !CODE.test(p.code)) issues.push(`an odd code ${JSON.stringify(p.code)}`);
      for (const key of INTERNAL_KEYS) if (key in p) issues.push(`a problem that carries ${key}`);
      const text = serverText(p);
      for (const [what, pattern] of LEAKS) if (pattern.test(text)) issues.push(`${what} in the problem`);
    }
  }
  return issues;
}
