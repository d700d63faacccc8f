// Runs before any test file, in Jest's own (non-ESM-transforming) loader, so it uses the
// build of src/ that `pretest` makes. One throw-away PostgreSQL for the whole run, and a
// template database migrated once; each test file clones it (CREATE DATABASE ... TEMPLATE)
// so that files run in parallel, isolated. The application works as the same non-superuser
// role as on `npm start` (src/database/app-role.ts); tests reach the superuser through
// TEST_PG_ADMIN_URL for what only it may do.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { appRoleUrl, ensureAppDatabase, ensureAppRole, protectAuditLog } from '../../dist/src/database/app-role.js';
import { createDataSource } from '../../dist/src/database/data-source.js';
import { startEmbeddedServer } from '../../dist/src/database/embedded-server.js';

export const TEMPLATE_DATABASE = 'exchange_template';
const APP_PASSWORD = 'test-app-role-password';

export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'exchange-test-'));
  const server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir, fast: true });
  globalThis.__TEST_PG__ = { server, dir };
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await ensureAppRole(admin, APP_PASSWORD);
  await admin.end();
  await ensureAppDatabase(server.url('postgres'), TEMPLATE_DATABASE);
  const template = createDataSource(appRoleUrl(server.url('postgres'), APP_PASSWORD, TEMPLATE_DATABASE));
  await template.initialize();
  await template.runMigrations({ transaction: 'each' });
  await template.destroy();
  await protectAuditLog(server.url('postgres'), TEMPLATE_DATABASE);
  process.env.TEST_PG_ADMIN_URL = server.url('postgres');
  process.env.TEST_PG_APP_PASSWORD = APP_PASSWORD;
}
