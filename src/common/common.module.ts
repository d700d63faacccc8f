import { Global, Module } from '@nestjs/common';
import { AccessPolicy } from './access/access-policy.js';
import { PreparedStatements } from './database/prepared-statements.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { RowLocks } from './transactions/row-locks.js';
import { TransactionHost } from './transactions/transaction-host.js';

/** Cross-cutting services every domain may inject. */
@Global()
@Module({
  providers: [AccessPolicy, RateLimiter, TransactionHost, RowLocks, PreparedStatements],
  exports: [AccessPolicy, RateLimiter, TransactionHost, RowLocks, PreparedStatements],
})
export class CommonModule {}
