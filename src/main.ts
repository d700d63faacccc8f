import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.factory.js';
import { createLogger } from './common/logging/logger.js';
import { ConfigError, loadSettings, type Settings } from './config/settings.js';
import { openDatabaseServer } from './database/database-server.js';
import { DEMO_PASSWORD, DEMO_USERS } from './database/seed/demo-data.js';
import { MailService } from './notifications/mail.service.js';

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
    if (alive) throw new Error(`Another API (pid ${pid}) is running on ${settings.dataDir}; stop it or choose another DATA_DIR.`);
  }
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
  return () => rmSync(lock, { force: true });
}

async function main(): Promise<void> {
  // A .env file in the working directory is read when there is one (see config/example.env).
  if (existsSync('.env')) process.loadEnvFile('.env');
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(settings);
  const unlock = settings.databaseUrl ? () => undefined : lockDataDir(settings);
  let database: Awaited<ReturnType<typeof openDatabaseServer>>;
  try {
    database = await openDatabaseServer(settings, {
      debug: (line) => logger.debug({ context: 'postgres' }, line),
      warn: (line) => logger.warn({ context: 'postgres' }, line),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'the database could not be started');
    process.stderr.write(`Cannot start the database: ${(error as Error).message}\n`);
    unlock();
    process.exit(1);
  }
  if (database.embedded) logger.info(`embedded PostgreSQL ready (data in ${database.dataDir})`);

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping the API, then the database`);
    try {
      // Mail already handed over is delivered (or given up) first, for at most 5 s.
      await Promise.race([app?.get(MailService).settled(), new Promise((resolve) => setTimeout(resolve, 5000))]);
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
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    await app?.close().catch(() => undefined);
    await database.stop();
    unlock();
    process.exit(1);
  }

  const base = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
  const lines = [`API listening on ${base}/api/v1 (docs: ${base}/api/docs, health: ${base}/health/ready)`];
  if (settings.seedDemo) {
    lines.push(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) lines.push(`  ${user.role.padEnd(12)} ${user.email}`);
  }
  if (settings.adminEmail) lines.push(`Admin account: ${settings.adminEmail} (password from ADMIN_PASSWORD)`);
  // The start banner is for the person at the terminal, not for the log pipeline.
  console.log(lines.join('\n'));
}

await main();
