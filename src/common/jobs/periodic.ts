import type { EntityManager } from 'typeorm';

/**
 * A job that runs every `seconds` in every instance, one run at a time in each (a tick
 * while the last run goes on is skipped), errors handed to `onError`; `stop()` ends the
 * timer and waits for a run under way. Whether a run does anything across instances is
 * `claimPeriod`'s to say.
 */
export class PeriodicTimer {
  private timer: NodeJS.Timeout | null;
  private running: Promise<unknown> | null = null;

  constructor(seconds: number, run: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = run()
        .catch(onError)
        .finally(() => (this.running = null));
    }, seconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/**
 * Claims the period of the job `name` in `scheduled_runs`: true for the one instance whose
 * run comes first in a period (the row moves on only when the last run is nine tenths of a
 * period old, in one statement), false for the others, which then skip theirs.
 */
export async function claimPeriod(manager: EntityManager, name: string, periodSeconds: number, now: Date): Promise<boolean> {
  const claimed = (await manager.query(
    `INSERT INTO scheduled_runs (name, last_run_at) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at
       WHERE scheduled_runs.last_run_at <= EXCLUDED.last_run_at - make_interval(secs => $3)
     RETURNING name`,
    [name, now.toISOString(), periodSeconds * 0.9],
  )) as unknown[];
  return claimed.length > 0;
}
