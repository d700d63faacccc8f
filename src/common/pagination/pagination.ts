import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommonErrors } from '../errors/domain-error.js';
import { ToInteger } from '../validation/validators.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** `?limit=&cursor=` of every list; list query DTOs extend it. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'opaque: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type KeyValue = string | number;

export function encodeCursor(values: KeyValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): KeyValue[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as KeyValue[];
    }
  } catch {
    // fall through
  }
  throw CommonErrors.invalidField('cursor', 'invalidCursor', 'is not a cursor returned by this list');
}

/**
 * A forged cursor whose values its columns cannot hold (not a UUID, a NUL byte, not a
 * timestamp...) fails in PostgreSQL with a data exception (SQLSTATE class 22): 400, not
 * 500. Any other error is the caller's to rethrow.
 */
export function refuseForgedCursor(error: unknown, cursor: string | undefined): void {
  if (cursor && /^22/.test(String((error as { code?: unknown }).code ?? ''))) {
    throw CommonErrors.invalidField('cursor', 'invalidCursor', 'is not a cursor returned by this list');
  }
}

/**
 * `LIMIT` of a page read with one row more than it shows, written in a statement's text:
 * an integer, checked here since it is not a parameter.
 */
export function limitOf(limit: number): string {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error(`not a page size: ${limit}`);
  return String(limit + 1);
}

/** The page of `rows` read with `limit + 1`: the first `limit`, and the cursor after the last when there was one more. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => KeyValue[]): Page<T> {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/**
 * Keyset pagination: orders by the given columns (the last one unique, usually the id) and
 * continues strictly after the cursor's row, so a page costs an index range scan however
 * deep it is. `keys` are [sql expression, read the value from a row] pairs, all in one
 * direction. Timestamps used as keys must have millisecond precision (JavaScript's).
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  page: PageQuery,
  keys: [expression: string, read: (row: T) => KeyValue][],
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  if (page.cursor) {
    const values = decodeCursor(page.cursor, keys.length);
    const params = Object.fromEntries(values.map((value, i) => [`cursor${i}`, value]));
    const tuple = keys.map(([expression]) => expression).join(', ');
    const placeholders = values.map((_, i) => `:cursor${i}`).join(', ');
    query.andWhere(`(${tuple}) ${direction === 'ASC' ? '>' : '<'} (${placeholders})`, params);
  }
  keys.forEach(([expression], i) => (i === 0 ? query.orderBy(expression, direction) : query.addOrderBy(expression, direction)));
  let rows: T[];
  try {
    // limit, not take: the joins of lists are many-to-one, so one query without DISTINCT suffices.
    rows = await query.limit(limit + 1).getMany();
  } catch (error) {
    refuseForgedCursor(error, page.cursor);
    throw error;
  }
  return pageOf(rows, limit, (last) => keys.map(([, read]) => read(last)));
}
