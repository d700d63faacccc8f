import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommonErrors } from '../errors/domain-error.js';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL, shared by every API instance. One statement per hit
 * (an upsert), so concurrent hits never lose a count.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts one hit; throws 429 with Retry-After when the window's maximum is passed. */
  async hit(limit: Limit): Promise<void> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO rate_limit_buckets (key, hits, resets_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.resets_at <= now() THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         resets_at = CASE WHEN rate_limit_buckets.resets_at <= now() THEN EXCLUDED.resets_at ELSE rate_limit_buckets.resets_at END
       RETURNING hits, ceil(extract(epoch FROM resets_at - now()))::int AS "retryAfter"`,
      [limit.key, limit.windowSeconds],
    )) as { hits: number; retryAfter: number }[];
    if (row.hits > limit.max) throw CommonErrors.tooManyRequests(Math.max(1, row.retryAfter));
  }

  /** Throws 429 when the window is already full, without counting. */
  async check(limit: Limit): Promise<void> {
    const [row] = (await this.dataSource.query(
      `SELECT hits, ceil(extract(epoch FROM resets_at - now()))::int AS "retryAfter" FROM rate_limit_buckets WHERE key = $1 AND resets_at > now()`,
      [limit.key],
    )) as { hits: number; retryAfter: number }[];
    if (row && row.hits >= limit.max) throw CommonErrors.tooManyRequests(Math.max(1, row.retryAfter));
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_buckets WHERE key = $1', [key]);
  }
}
