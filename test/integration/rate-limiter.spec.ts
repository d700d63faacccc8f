import { DataSource } from 'typeorm';
import { RateLimiter } from '../../src/common/rate-limit/rate-limiter.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { createDataSource } from '../../src/database/data-source.js';
import { createTestDatabase } from '../harness/database.js';

describe('RateLimiter (PostgreSQL-backed, shared by instances)', () => {
  let dataSource: DataSource;
  let limiter: RateLimiter;

  beforeAll(async () => {
    dataSource = createDataSource(await createTestDatabase());
    await dataSource.initialize();
    limiter = new RateLimiter(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('counts parallel hits exactly: of 20 racing hits with max 7, exactly 7 pass', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.hit({ key: 'race', max: 7, windowSeconds: 60 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(13);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).code).toBe('rate_limit.exceeded');
      expect(Number((r.reason as DomainError).headers['Retry-After'])).toBeGreaterThan(0);
    }
  });

  it('opens a new window once the old one has passed', async () => {
    await limiter.hit({ key: 'window', max: 1, windowSeconds: 60 });
    await expect(limiter.hit({ key: 'window', max: 1, windowSeconds: 60 })).rejects.toBeInstanceOf(DomainError);
    await dataSource.query(`UPDATE rate_limit_buckets SET resets_at = now() - interval '1 second' WHERE key = 'window'`);
    await expect(limiter.hit({ key: 'window', max: 1, windowSeconds: 60 })).resolves.toBeUndefined();
  });

  it('check() does not count, reset() empties the window', async () => {
    await limiter.hit({ key: 'peek', max: 2, windowSeconds: 60 });
    await limiter.check({ key: 'peek', max: 2, windowSeconds: 60 });
    await limiter.check({ key: 'peek', max: 2, windowSeconds: 60 });
    await limiter.hit({ key: 'peek', max: 2, windowSeconds: 60 });
    await expect(limiter.check({ key: 'peek', max: 2, windowSeconds: 60 })).rejects.toBeInstanceOf(DomainError);
    await limiter.reset('peek');
    await expect(limiter.check({ key: 'peek', max: 2, windowSeconds: 60 })).resolves.toBeUndefined();
  });
});
