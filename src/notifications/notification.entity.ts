import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Every kind of event someone is told about (the templates, the preferences and the in-app list speak of these). */
export const NOTIFICATION_KINDS = [
  'application.submitted',
  'application.nominated',
  'application.accepted',
  'application.waitlisted',
  'application.rejected',
  'application.cancelled',
  'application.confirmed',
  'application.declined',
  'application.withdrawn',
  'agreement.awaiting_approval',
  'agreement.approved',
  'agreement.terminated',
  'placement.proposed',
  'placement.accepted',
  'placement.declined',
  'arrival.expected',
  'checklist.due_soon',
  'checklist.overdue',
  'host_family.vetting_expiring',
  'account.invitation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** An in-app message to one user, written in the transaction of the change it tells of. */
@Entity('notifications')
@Index('IDX_notifications_user', ['userId', 'createdAt', 'id'])
@Index('IDX_notifications_unread', ['userId', 'createdAt', 'id'], { where: 'read_at IS NULL' })
// Everyone told of one object: an erasure scrubs the person's name from them (src/privacy/).
@Index('IDX_notifications_object', ['objectId'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 60 })
  kind: NotificationKind;

  /** What it is about: `application`, `agreement`, `placement`, `checklist_item`, `host_family`. */
  @Column({ name: 'object_type', type: 'varchar', length: 30 })
  objectType: string;

  @Column({ name: 'object_id', type: 'uuid', nullable: true })
  objectId: string | null;

  /** The names and dates its texts show (rendered in the reader's language when read). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: Record<string, string | number | null>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;
}

export const MAIL_JOB_STATUSES = ['queued', 'sending', 'sent', 'dead'] as const;
export type MailJobStatus = (typeof MAIL_JOB_STATUSES)[number];

/**
 * One mail to send: written in the transaction of what caused it (the outbox), claimed by
 * one worker at a time (`FOR UPDATE SKIP LOCKED` and a lease), retried with growing
 * pauses, dead after the last try. Its body is dropped once sent (an invitation's holds a
 * code).
 */
@Entity('mail_jobs')
@Index('IDX_mail_jobs_due', ['nextAttemptAt'], { where: "status IN ('queued', 'sending')" })
@Index('IDX_mail_jobs_status', ['status'])
// An erasure deletes the mails to the person's address and scrubs those doubling others' notifications about it (src/privacy/).
@Index('IDX_mail_jobs_to', ['to'])
@Index('IDX_mail_jobs_notification', ['notificationId'])
export class MailJob {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'notification_id', type: 'uuid', nullable: true })
  notificationId: string | null;

  @Column({ type: 'varchar', length: 60 })
  kind: NotificationKind;

  @Column({ name: 'to_address', type: 'varchar', length: 254 })
  to: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  /** Stable across retries, so that a receiver can tell a resent mail from a new one. */
  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId: string;

  @Column({ type: 'enum', enum: MAIL_JOB_STATUSES, enumName: 'mail_job_status', default: 'queued' })
  status: MailJobStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  nextAttemptAt: Date;

  /** While `sending`: until when the worker that claimed it holds it (then another may). */
  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A reminder given: never twice to one person for one item and kind. */
@Entity('reminders_sent')
export class SentReminder {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  kind: NotificationKind;

  @PrimaryColumn({ name: 'object_id', type: 'uuid' })
  objectId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz', precision: 3 })
  sentAt: Date;
}

/** The last run of a job scheduled across all instances: the first instance to claim a period does it, the others skip. */
@Entity('scheduled_runs')
export class ScheduledRun {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  name: string;

  @Column({ name: 'last_run_at', type: 'timestamptz', precision: 3 })
  lastRunAt: Date;
}
