import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAIL_JOB_STATUSES, type MailJobStatus, type NotificationKind } from './notification.entity.js';

/** A job as its worker holds it: `attempts` is this claim's number, which fences every later write. */
export interface ClaimedMail {
  id: string;
  kind: NotificationKind;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  messageId: string;
  attempts: number;
  createdAt: Date;
}

export interface DeadLetter {
  id: string;
  kind: NotificationKind;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

interface ClaimedRow {
  id: string;
  kind: NotificationKind;
  to_address: string;
  subject: string;
  text: string | null;
  html: string | null;
  message_id: string;
  attempts: number;
  created_at: Date;
}

/**
 * The queue's statements. Every write after the claim says `status = 'sending' AND attempts
 * = <the claim's>`: a worker whose lease ran out and whose job another took has no say on
 * it any more.
 */
@Injectable()
export class MailJobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes up to `limit` due jobs in one statement: queued ones whose time has come, and
   * ones whose worker's lease ran out (stopped in the middle of sending). `SKIP LOCKED`
   * lets several workers claim at once without ever taking the same row.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE mail_jobs SET status = 'sending', locked_until = now() + $2 * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM mail_jobs
           WHERE (status = 'queued' AND next_attempt_at <= now()) OR (status = 'sending' AND locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
             FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, to_address, subject, text, html, message_id, attempts, created_at`,
      [limit, leaseMs],
    )) as [ClaimedRow[], number];
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      to: row.to_address,
      subject: row.subject,
      text: row.text,
      html: row.html,
      messageId: row.message_id,
      attempts: row.attempts,
      createdAt: row.created_at,
    }));
  }

  /** Keeps the lease of jobs still being sent. */
  async extendLeases(jobs: Pick<ClaimedMail, 'id' | 'attempts'>[], leaseMs: number): Promise<void> {
    if (jobs.length === 0) return;
    await this.dataSource.query(
      `UPDATE mail_jobs j SET locked_until = now() + $3 * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::int[]) AS held(id, attempts)
        WHERE j.id = held.id AND j.attempts = held.attempts AND j.status = 'sending'`,
      [jobs.map((job) => job.id), jobs.map((job) => job.attempts), leaseMs],
    );
  }

  /** Sent: the body goes (an invitation's holds a code), the rest stays as the record. */
  async markSent(job: Pick<ClaimedMail, 'id' | 'attempts'>): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_jobs SET status = 'sent', sent_at = now(), text = NULL, html = NULL, locked_until = NULL, last_error = NULL
        WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
      [job.id, job.attempts],
    );
  }

  /** Back to the queue for another try after `retryInMs`, or dead when `retryInMs` is null. */
  async markFailed(job: Pick<ClaimedMail, 'id' | 'attempts'>, error: string, retryInMs: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_jobs
          SET status = CASE WHEN $4::int IS NULL THEN 'dead'::mail_job_status ELSE 'queued'::mail_job_status END,
              next_attempt_at = CASE WHEN $4::int IS NULL THEN next_attempt_at ELSE now() + $4::int * interval '1 millisecond' END,
              locked_until = NULL, last_error = $3
        WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
      [job.id, job.attempts, error.slice(0, 1000), retryInMs],
    );
  }

  async countByStatus(): Promise<Record<MailJobStatus, number>> {
    const rows = (await this.dataSource.query(`SELECT status, count(*)::int AS count FROM mail_jobs GROUP BY status`)) as { status: MailJobStatus; count: number }[];
    const counts = Object.fromEntries(MAIL_JOB_STATUSES.map((status) => [status, 0])) as Record<MailJobStatus, number>;
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  /** The latest dead letters, without address or body. */
  async latestDead(limit: number): Promise<DeadLetter[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, kind, attempts, last_error, created_at FROM mail_jobs WHERE status = 'dead' ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    )) as { id: string; kind: NotificationKind; attempts: number; last_error: string | null; created_at: Date }[];
    return rows.map((row) => ({ id: row.id, kind: row.kind, attempts: row.attempts, lastError: row.last_error, createdAt: row.created_at }));
  }
}
