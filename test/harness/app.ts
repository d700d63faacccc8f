import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { createTestDatabase } from './database.js';
import { Api } from './api.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  api: Api;
  dataSource: DataSource;
  settings: Settings;
  close(): Promise<void>;
}

/**
 * The real application on its own migrated database, listening on a free port of
 * 127.0.0.1; tests talk to it over HTTP only. `env` overrides the test settings;
 * `logDestination` receives the log lines instead of stdout; `databaseUrl` shares another
 * app's database (several instances on one database).
 */
export async function startTestApp(env: Record<string, string> = {}, options: { logDestination?: DestinationStream; databaseUrl?: string } = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const settings = loadSettings({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'exchange-app-')),
    SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const app = await createApp(settings, databaseUrl, createLogger(settings, options.logDestination));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    api: new Api(baseUrl),
    dataSource: app.get(DataSource),
    settings,
    close: () => app.close(),
  };
}
