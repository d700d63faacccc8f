// Runs before any test file, in Jest's own (non-ESM-transforming) loader, so it uses the
// build of src/ that `pretest` makes. One throw-away PostgreSQL for the whole run, and a
// template database migrated once; each test file clones it (CREATE DATABASE ... TEMPLATE)
// so that files run in parallel, isolated.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../dist/src/database/data-source.js';
import { startEmbeddedServer } from '../../dist/src/database/embedded-server.js';

export const TEMPLATE_DATABASE = 'exchange_template';

export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'exchange-test-'));
  const server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir, fast: true });
  globalThis.__TEST_PG__ = { server, dir };
  const admin = createDataSource(server.url('postgres'));
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.destroy();
  const template = createDataSource(server.url(TEMPLATE_DATABASE));
  await template.initialize();
  await template.runMigrations({ transaction: 'each' });
  await template.destroy();
  process.env.TEST_PG_ADMIN_URL = server.url('postgres');
}
