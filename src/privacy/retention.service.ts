import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { claimPeriod, PeriodicTimer } from '../common/jobs/periodic.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { ErasureService } from './erasure.service.js';
import { PrivacyRepository } from './privacy.repository.js';
import { DOCUMENTS_EXPIRE, retentionCutoffs } from './retention.rules.js';

/** Students anonymised in one run at most (the rest wait for the next one). */
const STUDENTS_PER_RUN = 1000;

export interface RetentionRun {
  /** false: another instance had already claimed this period (this one did nothing) */
  ran: boolean;
  studentsAnonymised: number;
  familyContactsErased: number;
  documentsDeleted: number;
  /** files of erased or expired documents deleted, and those whose deletion failed (the sweep of a later run retries them) */
  filesDeleted: number;
  filesFailed: number;
  /** files left without a document row, older than a day, deleted by the sweep */
  orphanFilesDeleted: number;
}

const NOTHING: Omit<RetentionRun, 'ran'> = { studentsAnonymised: 0, familyContactsErased: 0, documentsDeleted: 0, filesDeleted: 0, filesFailed: 0, orphanFilesDeleted: 0 };

/**
 * Personal data kept no longer than needed, as a timed job that runs once per period
 * across all instances (the period claimed in `scheduled_runs`, as the reminders do):
 *
 * - students whose applications have all ended (a final status, dated by the last history
 *   entry or change) and whose account has not been used either for RETENTION_YEARS — or
 *   who never applied and have not used their account as long — are anonymised as by their
 *   own erasure, each in a transaction of its own;
 * - host families unused as long (created, changed and vetted before, no placement ending
 *   since) lose their contact e-mail, phone and street;
 * - documents of rejected or withdrawn applications that ended DOCUMENT_RETENTION_DAYS ago
 *   are deleted, rows then files;
 * - files left without a row (a deletion that failed after its commit) are deleted.
 *
 * Each step is safe to run twice or on two instances at once: the people are locked and
 * checked again, the rows are changed or deleted by one statement each.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: PeriodicTimer | null = null;

  constructor(
    private readonly tx: TransactionHost,
    private readonly rows: PrivacyRepository,
    private readonly erasure: ErasureService,
    private readonly audit: AuditLog,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.settings.retention.intervalSeconds;
    if (!seconds) return;
    this.timer = new PeriodicTimer(seconds, () => this.runScheduled(seconds), (error) => this.logger.error({ err: error }, 'retention failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer?.stop();
    this.timer = null;
  }

  /** The timer's run: once per period across all instances (the first to claim it in `scheduled_runs`; the others skip). */
  async runScheduled(periodSeconds: number, now: Date = new Date()): Promise<RetentionRun> {
    const claimed = await this.tx.run(() => claimPeriod(this.tx.required, 'retention', periodSeconds, now));
    if (!claimed) return { ran: false, ...NOTHING };
    return this.runRetention(now);
  }

  /** One run now (the tests call it through `app.get(RetentionService)`). */
  async runRetention(now: Date = new Date()): Promise<RetentionRun> {
    const cutoffs = retentionCutoffs(now, this.settings.retention);
    const run: RetentionRun = { ran: true, ...NOTHING };
    const files: string[] = [];

    for (const id of await this.rows.studentsPastRetention(cutoffs.people, STUDENTS_PER_RUN)) {
      try {
        const erased = await this.tx.run(() => this.erasure.erasePerson(id, 'retention'));
        if (!erased) continue;
        run.studentsAnonymised += 1;
        run.documentsDeleted += erased.documents;
        files.push(...erased.files);
      } catch (error) {
        // One student failing (a lock timeout, a bug) stops neither the others nor the rest of the run.
        this.logger.error({ err: error, userId: id }, 'retention: a student could not be anonymised');
      }
    }

    run.familyContactsErased = await this.tx.run(async () => {
      const families = await this.rows.eraseContactsOfUnusedFamilies(cutoffs.people);
      for (const id of families) {
        await this.audit.record({ action: 'privacy.retention', targetType: 'host_family', targetId: id, actor: null, details: { erased: ['contactEmail', 'contactPhone', 'address'] } });
      }
      return families.length;
    });

    const expired = await this.tx.run(async () => {
      const deleted = await this.rows.deleteExpiredDocuments(cutoffs.documents, DOCUMENTS_EXPIRE);
      const byApplication = new Map<string, number>();
      for (const { applicationId } of deleted) byApplication.set(applicationId, (byApplication.get(applicationId) ?? 0) + 1);
      for (const [applicationId, documents] of byApplication) {
        await this.audit.record({ action: 'privacy.retention', targetType: 'application', targetId: applicationId, actor: null, details: { documents } });
      }
      return deleted.map((row) => row.storageKey);
    });
    run.documentsDeleted += expired.length;
    files.push(...expired);

    // Only now, every transaction above committed: the files of the rows they deleted.
    const removed = await this.erasure.removeFiles(files);
    run.filesDeleted = removed.deleted;
    run.filesFailed = removed.failed;
    run.orphanFilesDeleted = await this.erasure.sweepOrphanFiles(now);

    this.logger.log({ ...run, cutoffs: { people: cutoffs.people.toISOString(), documents: cutoffs.documents.toISOString() } }, 'retention run');
    return run;
  }
}
