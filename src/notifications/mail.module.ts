import { Global, Module } from '@nestjs/common';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { MailQueueController } from './mail-queue.controller.js';
import { MailQueue } from './mail-queue.js';
import { MailTransport } from './mail-transport.js';
import { MailWorker } from './mail-worker.js';

/** Outgoing mail: the queue any domain writes to (global), and the worker that delivers it. */
@Global()
@Module({
  controllers: [MailQueueController],
  providers: [MailQueue, MailJobsRepository, MailTransport, MailWorker],
  exports: [MailQueue],
})
export class MailModule {}
