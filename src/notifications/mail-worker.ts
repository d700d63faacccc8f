import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SETTINGS, type Settings } from '../config/settings.js';
import { MailJobsRepository, type ClaimedMail } from './mail-jobs.repository.js';
import { MailTransport } from './mail-transport.js';

/** Jobs claimed (and sent side by side) at a time. */
const BATCH = 10;
/** The longest a stop waits for the sends in flight; the rest stays queued for the next start. */
const SHUTDOWN_WAIT_MS = 5000;
const MAX_BACKOFF_MS = 3_600_000;

/** The pause before try `attempts + 1`: doubling from the base, capped, with jitter so that retries spread out. */
export function backoffMs(attempts: number, baseMs: number): number {
  const pause = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(pause * (0.75 + Math.random() * 0.5));
}

/** What the log may say of a failure: the server's code and message, never the address. */
function describe(error: unknown, to: string): string {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const message = (e?.message ?? String(error)).split(to).join('<recipient>');
  return [e?.code, e?.responseCode, message].filter((part) => part !== undefined && part !== '').join(' ');
}

/**
 * Delivers the mail queue (the `mail_jobs` outbox) in every API process: looks at the queue
 * every MAIL_POLL_MS, claims due jobs (each by one worker, whatever the number of
 * processes), sends them, and records the outcome. A job whose process stopped in the
 * middle of sending stays `sending` until its lease runs out, then is taken again.
 * Requests never wait on any of this: they only insert rows.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailWorker');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly jobs: MailJobsRepository,
    private readonly transport: MailTransport,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Stops looking at the queue and waits (bounded) for the sends in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
      await Promise.race([this.running, late]);
      clearTimeout(timer);
    }
    this.transport.close();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((busy) => this.schedule(busy ? 0 : this.settings.mail.pollMs))
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'mail queue not read');
          this.schedule(this.settings.mail.pollMs);
        })
        .finally(() => (this.running = undefined));
    }, ms);
  }

  /** One round; true when it found a full batch (there may be more right away). */
  private async tick(): Promise<boolean> {
    const { leaseMs } = this.settings.mail;
    const claimed = await this.jobs.claimDue(BATCH, leaseMs);
    if (claimed.length === 0) return false;
    const inFlight = new Set(claimed);
    // The lease is kept up while the sends last, so a slow but live server is not mistaken for a stopped worker.
    const keeper = setInterval(() => {
      this.jobs.extendLeases([...inFlight], leaseMs).catch((error: unknown) => this.logger.warn({ err: error }, 'mail leases not extended'));
    }, Math.max(100, Math.floor(leaseMs / 3)));
    try {
      await Promise.all(claimed.map((job) => this.deliver(job).finally(() => inFlight.delete(job))));
    } finally {
      clearInterval(keeper);
    }
    return claimed.length === BATCH && !this.stopped;
  }

  private async deliver(job: ClaimedMail): Promise<void> {
    const { maxAttempts, backoffBaseMs } = this.settings.mail;
    if (job.attempts > maxAttempts) {
      // Claimed again after its worker stopped on the last try.
      await this.jobs.markFailed(job, 'no try left (the last one was interrupted)', null);
      this.logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'mail dead');
      return;
    }
    try {
      await this.transport.send(job);
    } catch (error) {
      const reason = describe(error, job.to);
      const retryIn = job.attempts >= maxAttempts ? null : backoffMs(job.attempts, backoffBaseMs);
      await this.jobs.markFailed(job, reason, retryIn);
      const record = { jobId: job.id, kind: job.kind, attempts: job.attempts, error: reason };
      if (retryIn === null) this.logger.error(record, 'mail dead');
      else this.logger.warn({ ...record, retryInMs: retryIn }, 'mail not sent, will retry');
      return;
    }
    await this.jobs.markSent(job);
    this.logger.log({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'mail sent');
  }
}
