import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { SETTINGS, type Settings } from '../config/settings.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const FROM = 'Student exchange <no-reply@exchange.example>';
const ATTEMPTS = 4;

/**
 * Outgoing mail: through SMTP_URL when set, otherwise written to DATA_DIR/outbox as .eml
 * files (what a developer or a test reads). `send` never blocks the request that asks for
 * it: delivery runs in the background and is retried with growing pauses when it fails.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;
  private readonly outbox: string | null;
  private readonly pending = new Set<Promise<void>>();

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.outbox = settings.smtpUrl ? null : join(settings.dataDir, 'outbox');
    this.transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  send(mail: Mail): void {
    const delivery = this.deliver(mail).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves once every mail handed over so far was delivered or given up (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async deliver(mail: Mail): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const info = (await this.transport.sendMail({ from: FROM, ...mail })) as { message?: Buffer; messageId: string };
        if (this.outbox && info.message) {
          await mkdir(this.outbox, { recursive: true, mode: 0o700 });
          await writeFile(join(this.outbox, `${Date.now()}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`), info.message, { mode: 0o600 });
        }
        return;
      } catch (error) {
        if (attempt === ATTEMPTS) {
          this.logger.error({ err: error, subject: mail.subject }, 'mail not delivered');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * 4 ** (attempt - 1)));
      }
    }
  }
}
