import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import type { MailQueueView } from './dto/mail-queue.view.js';
import { MailJobsRepository } from './mail-jobs.repository.js';
import { MailJob, type NotificationKind } from './notification.entity.js';

/** One mail as the queue takes it: rendered (subject, plain text, HTML) for its recipient. */
export interface OutgoingMail {
  kind: NotificationKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** the in-app notification it doubles, if any */
  notificationId?: string | null;
}

/**
 * The outbox: a mail is a row written in the transaction of the change that causes it, so
 * the change and its mail commit or fail together; the worker (mail-worker.ts) sends it
 * later. Nothing here talks to a mail server.
 */
@Injectable()
export class MailQueue {
  constructor(
    private readonly tx: TransactionHost,
    private readonly jobs: MailJobsRepository,
  ) {}

  /** In the open transaction (TransactionHost.required). */
  async enqueue(mail: OutgoingMail): Promise<void> {
    await this.tx.required.insert(MailJob, {
      kind: mail.kind,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      notificationId: mail.notificationId ?? null,
      messageId: `<${randomUUID()}@exchange-platform>`,
    });
  }

  /** GET /admin/mail-queue: how many mails are in each state, and the latest dead letters. */
  async overview(): Promise<MailQueueView> {
    const [counts, dead] = await Promise.all([this.jobs.countByStatus(), this.jobs.latestDead(100)]);
    return { counts, dead };
  }
}
