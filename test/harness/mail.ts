import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';

/** Polls `check` until it holds (or returns a value); fails after `within` ms, naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | false | null | undefined> | T | false | null | undefined, within = 20_000, every = 50): Promise<T> {
  const deadline = Date.now() + within;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${within / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** The .eml files of DATA_DIR/outbox, in the order their mails were queued. */
export function outboxMails(dataDir: string): string[] {
  const outbox = join(dataDir, 'outbox');
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox)
    .sort()
    .map((name) => readFileSync(join(outbox, name), 'utf8'));
}

/** The mail jobs to one address, oldest first. */
export async function mailJobsTo(dataSource: DataSource, address: string): Promise<{ id: string; status: string; kind: string; attempts: number }[]> {
  return dataSource.query(`SELECT id, status, kind, attempts FROM mail_jobs WHERE to_address = $1 ORDER BY created_at, id`, [address]);
}

/** Waits until every mail queued to that address was sent. */
export async function allSentTo(dataSource: DataSource, address: string): Promise<void> {
  await eventually(`the mail to ${address} sent`, async () => {
    const jobs = await mailJobsTo(dataSource, address);
    return jobs.length > 0 && jobs.every((job) => job.status === 'sent');
  });
}
