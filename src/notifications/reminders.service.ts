import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { claimPeriod, PeriodicTimer } from '../common/jobs/periodic.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import type { NotificationKind } from './notification.entity.js';
import type { NotificationParams } from './notification.templates.js';
import { NotificationsService, type NotificationObject } from './notifications.service.js';

/** The advisory lock the reminders' run holds for its transaction: one instance at a time does the work. */
export const REMINDERS_LOCK = 7_310_001;

export interface RemindersRun {
  /** false: another instance was running them (this one did nothing) */
  ran: boolean;
  /** notifications written, one per person and item */
  notified: number;
}

/** One reminder to give: the item (what the person is told of) and the key it is given once under. */
interface Due {
  object_type: NotificationObject['type'];
  object_id: string;
  /** the key in reminders_sent: the item, or for a vetting the vetting itself (a new vetting is reminded of again) */
  once_id: string;
  user_id: string;
  params: NotificationParams;
}

/**
 * Each reminder as one query of (item, person, params); `$1` is the instant of the run.
 * Dates of checklists are days of the receiving institution's time zone.
 */
const REMINDERS: { kind: NotificationKind; candidates: string }[] = [
  {
    // Confirmed students arriving within 72 hours: the host school, and the family of the accepted placement.
    kind: 'arrival.expected',
    candidates: `
      SELECT 'application' AS object_type, a.id AS object_id, a.id AS once_id, r.user_id,
             jsonb_build_object('studentName', s.full_name, 'programTitle', pr.title, 'arrivalAt', a.travel->>'arrivalAt', 'timeZone', i.timezone,
                                'arrivalPoint', a.travel->>'arrivalPoint', 'reference', a.travel->>'reference') AS params
        FROM applications a
        JOIN programs pr ON pr.id = a.program_id
        JOIN users s ON s.id = a.student_id
        JOIN institutions i ON i.id = a.receiving_institution_id
        CROSS JOIN LATERAL (
          SELECT u.id AS user_id FROM users u WHERE u.role = 'host_school' AND u.institution_id = a.receiving_institution_id
          UNION
          SELECT u.id FROM placements p JOIN users u ON u.role = 'host_family' AND u.host_family_id = p.host_family_id
           WHERE p.application_id = a.id AND p.status = 'accepted'
        ) r
       WHERE a.status = 'confirmed' AND a.expected_arrival_at > $1::timestamptz AND a.expected_arrival_at <= $1::timestamptz + interval '72 hours'`,
  },
  ...(['checklist.due_soon', 'checklist.overdue'] as const).map((kind) => ({
    // Open items of students who are there, due within 2 days (or past due): the family when it answers for the item, otherwise the host school.
    kind,
    candidates: `
      SELECT 'checklist_item' AS object_type, c.id AS object_id, c.id AS once_id, r.user_id,
             jsonb_build_object('studentName', s.full_name, 'itemCode', c.code, 'dueOn', c.due_on::text, 'applicationId', a.id) AS params
        FROM checklist_items c
        JOIN applications a ON a.id = c.application_id
        JOIN users s ON s.id = a.student_id
        JOIN institutions i ON i.id = a.receiving_institution_id
        CROSS JOIN LATERAL (
          SELECT u.id AS user_id FROM users u
           WHERE (c.responsible = 'host_family' AND c.host_family_id IS NOT NULL AND u.role = 'host_family' AND u.host_family_id = c.host_family_id)
              OR ((c.responsible <> 'host_family' OR c.host_family_id IS NULL) AND u.role = 'host_school' AND u.institution_id = a.receiving_institution_id)
        ) r
       WHERE c.completed_at IS NULL AND a.status = 'arrived'
         AND ${kind === 'checklist.due_soon' ? `c.due_on BETWEEN ($1::timestamptz AT TIME ZONE i.timezone)::date AND ($1::timestamptz AT TIME ZONE i.timezone)::date + 2` : `c.due_on < ($1::timestamptz AT TIME ZONE i.timezone)::date`}`,
  })),
  {
    // Approved families whose latest vetting runs out within 30 days: the coordinators of the managing institution.
    kind: 'host_family.vetting_expiring',
    candidates: `
      SELECT 'host_family' AS object_type, f.id AS object_id, COALESCE(v.id, f.id) AS once_id, u.id AS user_id,
             jsonb_build_object('familyName', f.display_name, 'expiresOn', f.vetting_expires_on::text) AS params
        FROM host_families f
        LEFT JOIN LATERAL (SELECT id FROM host_family_vettings WHERE host_family_id = f.id ORDER BY recorded_at DESC LIMIT 1) v ON true
        JOIN users u ON u.role = 'coordinator' AND u.institution_id = f.institution_id
       WHERE f.status = 'approved' AND f.vetting_expires_on BETWEEN ($1::timestamptz AT TIME ZONE 'UTC')::date AND ($1::timestamptz AT TIME ZONE 'UTC')::date + 30`,
  },
];

/**
 * Reminders before deadlines, as a scheduled job that runs once at a time across all
 * instances: each run takes a transaction-scoped advisory lock and skips when another
 * instance holds it. What it tells is recorded in reminders_sent in the same transaction
 * (insert … on conflict do nothing), and only the rows it inserted are notified, so no
 * one is told twice of one item, whatever the runs and the instances.
 */
@Injectable()
export class RemindersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer: PeriodicTimer | null = null;

  constructor(
    private readonly tx: TransactionHost,
    private readonly notifications: NotificationsService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.settings.reminderIntervalSeconds;
    if (!seconds) return;
    this.timer = new PeriodicTimer(seconds, () => this.runScheduled(seconds), (error) => this.logger.error({ err: error }, 'reminders failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer?.stop();
    this.timer = null;
  }

  /**
   * The timer's run: once per period across all instances. Claiming the period is one
   * statement (the row of `scheduled_runs` moves on only when the last run is a period
   * old), so of instances whose timers fire close together one runs and the others skip.
   */
  async runScheduled(periodSeconds: number, now: Date = new Date()): Promise<RemindersRun> {
    const claimed = await this.tx.run(() => claimPeriod(this.tx.required, 'reminders', periodSeconds, now));
    if (!claimed) return { ran: false, notified: 0 };
    return this.runReminders(now);
  }

  async runReminders(now: Date = new Date()): Promise<RemindersRun> {
    return this.tx.run(async () => {
      const manager = this.tx.required;
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [REMINDERS_LOCK])) as { locked: boolean }[];
      if (!locked) return { ran: false, notified: 0 };
      let notified = 0;
      for (const reminder of REMINDERS) {
        const due = (await manager.query(
          `WITH candidates AS (${reminder.candidates}),
                given AS (
                  INSERT INTO reminders_sent (kind, object_id, user_id)
                  SELECT DISTINCT $2::varchar, once_id, user_id FROM candidates
                  ON CONFLICT DO NOTHING
                  RETURNING object_id, user_id)
           SELECT DISTINCT ON (c.once_id, c.user_id) c.* FROM candidates c JOIN given g ON g.object_id = c.once_id AND g.user_id = c.user_id`,
          [now.toISOString(), reminder.kind],
        )) as Due[];
        // One notification per item, to everyone newly due a reminder of it.
        const byItem = new Map<string, Due[]>();
        for (const row of due) byItem.set(row.object_id, [...(byItem.get(row.object_id) ?? []), row]);
        for (const rows of byItem.values()) {
          notified += await this.notifications.notify({
            kind: reminder.kind,
            recipients: rows.map((row) => row.user_id),
            object: { type: rows[0].object_type, id: rows[0].object_id },
            params: rows[0].params,
          });
        }
      }
      return { ran: true, notified };
    });
  }
}
