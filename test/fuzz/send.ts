/**
 * Sends a generated request over HTTP to the listening application, exactly as written:
 * the body as bytes (so that fetch adds no content type of its own), the multipart body by
 * hand, tokens of the world resolved, JWTs signed at the moment of sending.
 */
import jwt from 'jsonwebtoken';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../src/auth/token.service.js';
import { TEST_JWT_SECRET } from '../harness/app.js';
import type { AuthSpec, FuzzRequest, Part } from './requests.js';
import { resolveRefs, type World } from './world.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** the parsed JSON body, when the answer says it is JSON */
  body: unknown;
  /** why no answer came (timeout, connection closed...) */
  error?: string;
  ms: number;
}

const BOUNDARY = '----fuzz-boundary';
const WRONG_SECRET = 'not-the-secret-of-this-server-but-long-enough-0123456789';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwtOf(spec: Extract<AuthSpec, { kind: 'jwt' }>, world: World): string {
  const claims = JSON.parse(resolveRefs(JSON.stringify(spec.claims), world)) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now - 120, ...claims };
  if (spec.expiresInSeconds !== null) payload.exp = now + spec.expiresInSeconds;
  if (spec.alg === 'none') return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
  return jwt.sign(payload, spec.secret === 'right' ? TEST_JWT_SECRET : WRONG_SECRET, { algorithm: spec.alg, noTimestamp: true });
}

function authorizationOf(request: FuzzRequest, world: World): string | null {
  const auth = request.auth;
  switch (auth.kind) {
    case 'own':
      return request.role === 'anonymous' ? null : `Bearer ${world.sessions[request.role].token}`;
    case 'none':
      return null;
    case 'header':
      return resolveRefs(auth.value, world);
    case 'jwt':
      return `${auth.scheme} ${jwtOf(auth, world)}`;
  }
}

function contentOf(part: Part, world: World): Buffer {
  if (typeof part.content !== 'string') return Buffer.alloc(part.content.huge, part.content.ch, 'latin1');
  return Buffer.from(resolveRefs(part.content, world), 'latin1');
}

function multipart(parts: Part[], world: World): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.fileName !== null) head += `; filename="${part.fileName}"`;
    head += '\r\n';
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), contentOf(part, world), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** The URL the request goes to (tokens resolved). */
export function urlOf(request: FuzzRequest, world: World): string {
  return `${world.t.baseUrl}${resolveRefs(request.path, world)}${request.query ? `?${resolveRefs(request.query, world)}` : ''}`;
}

export async function send(request: FuzzRequest, world: World, timeoutMs: number): Promise<Answer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = resolveRefs(value, world);
  const authorization = authorizationOf(request, world);
  if (authorization !== null) headers.authorization = authorization;
  let payload: Buffer | undefined;
  if (request.body && request.method !== 'GET') {
    if (request.body.kind === 'text') payload = Buffer.from(resolveRefs(request.body.text, world), 'utf8');
    else payload = multipart(request.body.parts, world);
    if (request.body.contentType !== null) headers['content-type'] = request.body.contentType;
  }
  const started = performance.now();
  try {
    const response = await fetch(urlOf(request, world), { method: request.method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, headers: response.headers, text, body, ms: performance.now() - started };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms (a hang)` : `${e.message}${e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''}`;
    return { status: 0, headers: new Headers(), text: '', body: null, error: why, ms: performance.now() - started };
  }
}
