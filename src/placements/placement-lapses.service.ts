import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { claimPeriod, PeriodicTimer } from '../common/jobs/periodic.js';
import { TransactionHost } from '../common/transactions/transaction-host.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { PlacementsRepository } from './placements.repository.js';
import { PlacementsService } from './placements.service.js';

/** Proposals looked at in one run at most (the rest wait for the next one). */
const PROPOSALS_PER_RUN = 500;

export interface LapseRun {
  /** false: another instance had already claimed this period (this one did nothing) */
  ran: boolean;
  /** proposals that lapsed in this run */
  lapsed: number;
}

/**
 * A proposed placement takes a bed of the family (SPEC: proposed + accepted never exceed
 * its capacity), so a proposal nobody answers would hold that bed for good, and a
 * coordinator could keep a family's beds from every other student by proposing and never
 * following up. A timed job, run once per period across all instances (the period claimed
 * in `scheduled_runs`, as the reminders and the retention do), makes every proposal older
 * than PLACEMENT_PROPOSAL_DAYS lapse: declined, with its reason, each in its own transaction.
 */
@Injectable()
export class PlacementLapses implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PlacementLapses');
  private timer: PeriodicTimer | null = null;

  constructor(
    private readonly tx: TransactionHost,
    private readonly placements: PlacementsService,
    private readonly rows: PlacementsRepository,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.settings.placements.lapseIntervalSeconds;
    if (!seconds) return;
    this.timer = new PeriodicTimer(seconds, () => this.runScheduled(seconds), (error) => this.logger.error({ err: error }, 'placement lapses failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer?.stop();
    this.timer = null;
  }

  /** The timer's run: once per period across all instances (the first to claim it; the others skip). */
  async runScheduled(periodSeconds: number, now: Date = new Date()): Promise<LapseRun> {
    const claimed = await this.tx.run(() => claimPeriod(this.tx.required, 'placement-lapses', periodSeconds, now));
    if (!claimed) return { ran: false, lapsed: 0 };
    return this.runLapses(now);
  }

  /** One run now (the tests call it through `app.get(PlacementLapses)`). */
  async runLapses(now: Date = new Date()): Promise<LapseRun> {
    const days = this.settings.placements.proposalDays;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    let lapsed = 0;
    for (const id of await this.rows.proposedBefore(cutoff, PROPOSALS_PER_RUN)) {
      try {
        if (await this.placements.lapse(id, cutoff, days)) lapsed += 1;
      } catch (error) {
        // One proposal failing (a lock timeout) stops neither the others nor the next run.
        this.logger.error({ err: error, placementId: id }, 'a placement proposal could not lapse');
      }
    }
    if (lapsed) this.logger.log({ lapsed, cutoff: cutoff.toISOString() }, 'placement proposals lapsed');
    return { ran: true, lapsed };
  }
}
