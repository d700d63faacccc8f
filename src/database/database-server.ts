import { join } from 'node:path';
import pg from 'pg';
import { keptSecret } from '../config/settings.js';
import { appRoleUrl, ensureAppDatabase, ensureAppRole, protectAuditLog } from './app-role.js';
import type { Settings } from '../config/settings.js';
import { startEmbeddedServer } from './embedded-server.js';

export interface DatabaseServer {
  url: string;
  /** Stops the embedded server; nothing for an external database. */
  stop(): Promise<void>;
  /** What the superuser does once the migrations have run (the audit log's ownership); nothing for an external database. */
  afterMigrations(): Promise<void>;
  embedded: boolean;
  /** The embedded cluster's folder (DATA_DIR/postgres, or its own folder elsewhere). */
  dataDir?: string;
}

export interface DatabaseLog {
  /** PostgreSQL's own output. */
  debug(line: string): void;
  /** What the person starting the API should know. */
  warn(line: string): void;
}

/**
 * DATABASE_URL when given, otherwise the embedded server for DATA_DIR (see clusterDir), where
 * the API works as the application role, not the superuser (see app-role.ts).
 */
export async function openDatabaseServer(settings: Settings, log: DatabaseLog): Promise<DatabaseServer> {
  if (settings.databaseUrl) return { url: settings.databaseUrl, stop: async () => undefined, afterMigrations: async () => undefined, embedded: false };
  const server = await startEmbeddedServer({
    dataDir: join(settings.dataDir, 'postgres'),
    secretsDir: settings.dataDir,
    log: (line) => log.debug(line),
    warn: (line) => log.warn(line),
  });
  const password = keptSecret(settings.dataDir, 'app-db-password', 24);
  try {
    const client = new pg.Client({ connectionString: server.url('postgres'), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await ensureAppRole(client, password);
    } finally {
      await client.end();
    }
    await ensureAppDatabase(server.url('postgres'), 'exchange');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: appRoleUrl(server.url('postgres'), password, 'exchange'),
    stop: () => server.stop(),
    afterMigrations: () => protectAuditLog(server.url('postgres'), 'exchange'),
    embedded: true,
    dataDir: server.dataDir,
  };
}
