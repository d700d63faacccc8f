import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/** An answer serialized once, with its entity tag: a digest of its bytes, so equal answers have equal tags on every instance. */
export interface Representation {
  etag: string;
  body: string;
}

export function representationOf(value: unknown): Representation {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Answers read from a table that changes seldom, serialized once and kept as long as the
 * table's version (TableVersion, which the database moves on every write, whoever writes)
 * is the one they were read at. Each request still reads the version, one row by its key,
 * so that an answer is never older than the last write committed before the request, on
 * any instance. The version must be read before the rows, so that rows newer than their
 * version may be kept, never older ones. At most `max` answers are kept.
 */
export class VersionedRepresentations {
  private version = -1n;
  private readonly byKey = new Map<string, Representation>();

  constructor(private readonly max = 100) {}

  async get(version: string, key: string, read: () => Promise<unknown>): Promise<Representation> {
    const current = BigInt(version);
    if (current > this.version) {
      this.byKey.clear();
      this.version = current;
    }
    const kept = current === this.version ? this.byKey.get(key) : undefined;
    if (kept) return kept;
    const representation = representationOf(await read());
    // Not kept when a newer version was seen meanwhile: the next request reads again.
    if (current === this.version) {
      if (this.byKey.size >= this.max) this.byKey.delete(this.byKey.keys().next().value!);
      this.byKey.set(key, representation);
    }
    return representation;
  }
}

/** Whether If-None-Match names this tag (weak comparison, RFC 9110 section 13.1.2), or is `*`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}

/**
 * Sends a representation with its ETag: 304 Not Modified without a body when the client
 * already holds it (If-None-Match), else 200 with it. `no-cache`: a client may keep it but
 * asks again (a conditional request) before using it.
 */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, representation: Representation): FastifyReply {
  reply.header('ETag', representation.etag).header('Cache-Control', 'no-cache');
  if (noneMatch(request.headers['if-none-match'], representation.etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(representation.body);
}

/** Documents the ETag and the conditional request of a route answered by sendRepresentation. */
export function ApiRevalidated(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of an answer held: 304 without a body while it is still the current one' }),
    ApiResponse({ status: 304, description: 'Not Modified: the answer named by If-None-Match is still the current one', headers: { ETag: { schema: { type: 'string' } } } }),
  );
}
