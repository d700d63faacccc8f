import { Global, Module } from '@nestjs/common';
import { AccessPolicy } from './access/access-policy.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';

/** Cross-cutting services every domain may inject. */
@Global()
@Module({
  providers: [AccessPolicy, RateLimiter],
  exports: [AccessPolicy, RateLimiter],
})
export class CommonModule {}
