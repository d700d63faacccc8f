import { Global, Module } from '@nestjs/common';
import { AccessPolicy } from './access/access-policy.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { RowLocks } from './transactions/row-locks.js';
import { TransactionHost } from './transactions/transaction-host.js';

/** Cross-cutting services every domain may inject. */
@Global()
@Module({
  providers: [AccessPolicy, RateLimiter, TransactionHost, RowLocks],
  exports: [AccessPolicy, RateLimiter, TransactionHost, RowLocks],
})
export class CommonModule {}
