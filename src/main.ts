import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Logger } from 'pino';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logging/logger.js';
import { ConfigError, loadSettings, type Settings } from './config/settings.js';
import { openDatabaseServer, type DatabaseServer } from './database/database-server.js';
import { DEMO_PASSWORD, DEMO_USERS } from './database/seed/demo-data.js';

/** Refuses a second API on the same DATA_DIR (it would fight over the embedded database). */
function lockDataDir(settings: Settings): () => void {
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o711 });
  const lock = join(settings.dataDir, 'api.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive: boolean;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`another API (pid ${pid}) is running on ${settings.dataDir}; stop it or choose another DATA_DIR`);
  }
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
  return () => rmSync(lock, { force: true });
}

/** The cause of a failed start in one line, in the terms of the settings that can fix it. */
function causeOf(error: unknown, settings?: Settings): string {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (!(error instanceof Error)) return oneLine(String(error));
  const errno = error as NodeJS.ErrnoException;
  if (settings && errno.syscall === 'listen') {
    const where = `${settings.host}:${settings.port}`;
    if (errno.code === 'EADDRINUSE') return `port ${settings.port} is already in use on ${settings.host} (another program listens there); stop it or set PORT`;
    if (errno.code === 'EADDRNOTAVAIL') return `HOST ${settings.host} is not an address of this machine; set HOST`;
    if (errno.code === 'EACCES') return `not allowed to listen on ${where}; set PORT`;
  }
  if (settings && (errno.syscall === 'connect' || errno.syscall === 'getaddrinfo')) {
    return `the database cannot be reached (${oneLine(error.message)})${settings.databaseUrl ? '; check DATABASE_URL and that the server runs' : ''}`;
  }
  if (settings && errno.path && (errno.path === settings.dataDir || errno.path.startsWith(`${settings.dataDir}/`))) {
    return `DATA_DIR ${settings.dataDir} cannot be used: ${oneLine(error.message)}`;
  }
  return oneLine(error.message);
}

/**
 * Ends a start that cannot go on: one line naming the cause on stderr for the person at
 * the terminal, the same as a fatal log record, and a non-zero exit. The stack is for
 * whoever debugs (LOG_LEVEL=debug), not for the terminal.
 */
function cannotStart(error: unknown, settings?: Settings, logger?: Logger): never {
  const cause = causeOf(error, settings);
  logger?.debug({ err: error }, 'start failure');
  logger?.fatal(`could not start: ${cause}`);
  process.stderr.write(`Cannot start: ${cause}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1); // EX_CONFIG for a bad setting
}

/**
 * Fails before the database is started (and, the first time, initialised) when the port
 * is taken; listen() checks again, this only saves a slow start that cannot succeed.
 */
async function portFree(settings: Settings): Promise<void> {
  if (settings.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: settings.port, host: settings.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * Two of V8's garbage-collection habits that a long-running API pays for under load
 * (`npm run bench` measures both):
 * - Pretenuring: when objects from one allocation site outlive a young-generation
 *   collection often enough, V8 allocates that site's objects in the old generation from
 *   then on, and does not go back. A burst of slow requests (a long list, a matching run)
 *   is enough to make it so for the sites every request shares (HTTP request and response,
 *   headers, router and guard closures); each later request then leaves its objects to full
 *   collections and makes every young collection slower (measured on the public
 *   institutions list after the other routes: some 60% more CPU a request, 35 MB promoted a
 *   second, a full collection a second). A request's objects die young: not pretenured.
 * - Heap growth: V8 lets the old generation grow to about four times what survived its last
 *   full collection before collecting again: some 250 MB of garbage for 60 MB alive. Letting
 *   it grow by at most half keeps the process near its live size, for full collections that
 *   are rarer than young ones anyway and mostly concurrent.
 * A flag of the same name given to node (NODE_OPTIONS, the command line) wins.
 */
function tuneGarbageCollector(): void {
  const given = process.execArgv.concat(process.env.NODE_OPTIONS ?? '').join(' ');
  if (!given.includes('allocation-site-pretenuring')) setFlagsFromString('--no-allocation-site-pretenuring');
  if (!given.includes('heap-growing-percent')) setFlagsFromString('--heap-growing-percent=50');
}

async function main(): Promise<void> {
  tuneGarbageCollector();
  // A .env file in the working directory is read when there is one (see config/example.env).
  if (existsSync('.env')) process.loadEnvFile('.env');
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    cannotStart(error);
  }
  const logger = createLogger(settings);
  let unlock: () => void = () => undefined;
  let database: DatabaseServer;
  try {
    if (!settings.databaseUrl) unlock = lockDataDir(settings);
    await portFree(settings);
    database = await openDatabaseServer(settings, {
      debug: (line) => logger.debug({ context: 'postgres' }, line),
      warn: (line) => logger.warn({ context: 'postgres' }, line),
    });
  } catch (error) {
    unlock();
    cannotStart(error, settings, logger);
  }
  if (database.embedded) logger.info(`embedded PostgreSQL ready (data in ${database.dataDir})`);

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping the API, then the database`);
    try {
      // The mail worker stops claiming and waits (at most 5 s) for its sends in flight; the
      // rest of the queue stays in the database for the next start or another instance.
      await app?.close();
    } finally {
      await database.stop();
      unlock();
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    app = await createApp(settings, database.url, logger);
    await database.afterMigrations();
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.stop();
    unlock();
    cannotStart(error, settings, logger);
  }

  const base = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
  const lines = [`Portal on ${base}/ · API listening on ${base}/api/v1 (${settings.apiDocs ? `docs: ${base}/api/docs, ` : ''}health: ${base}/health/ready)`];
  if (settings.seedDemo) {
    lines.push(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) lines.push(`  ${user.role.padEnd(12)} ${user.email}`);
  }
  if (settings.adminEmail) lines.push(`Admin account: ${settings.adminEmail} (password from ADMIN_PASSWORD)`);
  // The start banner is for the person at the terminal, not for the log pipeline.
  console.log(lines.join('\n'));
}

// Anything else that stops the start still ends as one line, not a stack trace.
await main().catch((error: unknown) => cannotStart(error));
