/**
 * The generated cluster, kept between runs, one per scale: reused when it was made by the
 * same generator and migrations, is less than MAX_AGE_DAYS old (programme windows and
 * arrivals are around the day it was made), and was left clean (the write scenario puts
 * back what it changed; a run stopped in between leaves it `dirty`, and it is made again).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, migrate, type Fixtures } from '../generate.js';
import { openCluster } from './cluster.js';

const MAX_AGE_DAYS = 20;

export interface Dataset {
  dir: string;
  fixtures: Fixtures;
  /** Seconds spent generating; 0 when the cache was used. */
  generatedSeconds: number;
}

/** What the cache depends on: the generator's code and the migrations. */
function cacheKey(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(new URL('../generate.js', import.meta.url))));
  const migrations = fileURLToPath(new URL('../../migrations/', import.meta.url));
  for (const name of readdirSync(migrations).sort()) if (name.endsWith('.js')) hash.update(name).update(readFileSync(join(migrations, name)));
  return hash.digest('hex').slice(0, 16);
}

export function cacheRoot(): string {
  return process.env.BENCH_CACHE_DIR || join(tmpdir(), 'exchange-bench');
}

/** Removes a cached data set, with the cluster folder the embedded server may have chosen outside it. */
export function removeDataset(dir: string): void {
  const pointer = join(dir, 'postgres-location');
  if (existsSync(pointer)) rmSync(readFileSync(pointer, 'utf8').trim(), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}

export function markDirty(dir: string, dirty: boolean): void {
  const file = join(dir, 'dirty');
  if (dirty) writeFileSync(file, new Date().toISOString());
  else rmSync(file, { force: true });
}

export async function prepareDataset(scale: number, options: { fresh?: boolean; log: (line: string) => void }): Promise<Dataset> {
  const root = cacheRoot();
  // Passable by the PostgreSQL user when running as root (the cluster lives below).
  mkdirSync(root, { recursive: true, mode: 0o711 });
  const dir = join(root, `scale-${scale}`);
  const key = cacheKey();
  const metaFile = join(dir, 'meta.json');
  if (!options.fresh && existsSync(metaFile) && !existsSync(join(dir, 'dirty'))) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { key: string; fixtures: Fixtures };
    const age = (Date.now() - Date.parse(meta.fixtures.generatedAt)) / 86_400_000;
    if (meta.key === key && age < MAX_AGE_DAYS) {
      options.log(`data: the cached cluster of scale ${scale} (${dir}, made ${meta.fixtures.generatedAt})`);
      return { dir, fixtures: meta.fixtures, generatedSeconds: 0 };
    }
    options.log(`data: the cached cluster of scale ${scale} is ${meta.key !== key ? 'of another generator or migrations' : `${Math.floor(age)} days old`}: made again`);
  }
  removeDataset(dir);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const started = Date.now();
  const cluster = await openCluster(dir, { fast: true, log: options.log });
  let fixtures: Fixtures;
  try {
    await migrate(cluster, options.log);
    fixtures = await generate(cluster, scale, options.log);
    await cluster.admin((db) => db.query('CHECKPOINT'));
  } finally {
    await cluster.stop();
  }
  writeFileSync(metaFile, JSON.stringify({ key, fixtures }, null, 1));
  const generatedSeconds = (Date.now() - started) / 1000;
  options.log(`data: generated in ${generatedSeconds.toFixed(0)} s`);
  return { dir, fixtures, generatedSeconds };
}
