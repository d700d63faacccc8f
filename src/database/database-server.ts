import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { startEmbeddedServer } from './embedded-server.js';

export interface DatabaseServer {
  url: string;
  /** Stops the embedded server; nothing for an external database. */
  stop(): Promise<void>;
  embedded: boolean;
}

/** DATABASE_URL when given, otherwise the embedded server under DATA_DIR/postgres. */
export async function openDatabaseServer(settings: Settings, log: (line: string) => void): Promise<DatabaseServer> {
  if (settings.databaseUrl) return { url: settings.databaseUrl, stop: async () => undefined, embedded: false };
  const server = await startEmbeddedServer({
    dataDir: join(settings.dataDir, 'postgres'),
    secretsDir: settings.dataDir,
    log,
  });
  const { Client } = (await import('pg')).default;
  const client = new Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'exchange'`);
    if (exists.rowCount === 0) await client.query('CREATE DATABASE exchange');
  } finally {
    await client.end();
  }
  return { url: server.url('exchange'), stop: () => server.stop(), embedded: true };
}
