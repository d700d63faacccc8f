import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { startEmbeddedServer } from './embedded-server.js';

export interface DatabaseServer {
  url: string;
  /** Stops the embedded server; nothing for an external database. */
  stop(): Promise<void>;
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

/** DATABASE_URL when given, otherwise the embedded server for DATA_DIR (see clusterDir). */
export async function openDatabaseServer(settings: Settings, log: DatabaseLog): Promise<DatabaseServer> {
  if (settings.databaseUrl) return { url: settings.databaseUrl, stop: async () => undefined, embedded: false };
  const server = await startEmbeddedServer({
    dataDir: join(settings.dataDir, 'postgres'),
    secretsDir: settings.dataDir,
    log: (line) => log.debug(line),
    warn: (line) => log.warn(line),
  });
  try {
    const { Client } = (await import('pg')).default;
    const client = new Client({ connectionString: server.url('postgres'), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'exchange'`);
      if (exists.rowCount === 0) await client.query('CREATE DATABASE exchange');
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url('exchange'), stop: () => server.stop(), embedded: true, dataDir: server.dataDir };
}
