import { Inject, Injectable } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { MailJob } from './notification.entity.js';

export const MAIL_FROM = 'Student exchange <no-reply@exchange.example>';

/** The longest a mail server may keep one phase of a send waiting (connect, greeting, each reply). */
const SERVER_TIMEOUT_MS = 10_000;

/** What a send needs of a job. */
export type SendableMail = Pick<MailJob, 'id' | 'to' | 'subject' | 'text' | 'html' | 'messageId' | 'createdAt'>;

/**
 * Hands one mail to SMTP_URL, or without it writes it to DATA_DIR/outbox as an .eml file
 * (what a developer or a test reads). Throws when the mail was not taken; the worker
 * decides about retries. A mail keeps its job's Message-ID on every try, so a receiver
 * can tell a resend from a new mail.
 */
@Injectable()
export class MailTransport {
  private readonly transport: Transporter;
  private readonly outbox: string | null;

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.outbox = settings.smtpUrl ? null : join(settings.dataDir, 'outbox');
    // A slow or silent server cannot hold a send (and its lease) for long: each phase has a
    // bound, well under the lease, which the worker keeps up meanwhile.
    const timeout = Math.min(SERVER_TIMEOUT_MS, Math.floor(settings.mail.leaseMs / 3));
    this.transport = settings.smtpUrl
      ? nodemailer.createTransport({ url: settings.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, dnsTimeout: timeout })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: SendableMail): Promise<void> {
    if (mail.text === null) throw new Error('the mail has no body (already sent)');
    const info = (await this.transport.sendMail({
      from: MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
      messageId: mail.messageId,
    })) as { message?: Buffer };
    if (this.outbox && info.message) {
      await mkdir(this.outbox, { recursive: true, mode: 0o700 });
      // Named by the job (in the order they were queued): a retry after a crash rewrites the
      // same file rather than adding one.
      await writeFile(join(this.outbox, `${mail.createdAt.getTime()}-${mail.id}.eml`), info.message, { mode: 0o600 });
    }
  }

  close(): void {
    this.transport.close();
  }
}
