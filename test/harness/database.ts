import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { APP_ROLE, appRoleUrl } from '../../src/database/app-role.js';

export const TEMPLATE_DATABASE = 'exchange_template';

/** The superuser's URL of the test server (database `postgres`). */
export function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest (global setup)');
  return url;
}

/** The superuser's URL of one database: for what the application's role may not do. */
export function superuserUrlOf(databaseUrl: string): string {
  const url = new URL(adminUrl());
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

async function createDatabase(prefix: string, template: string | null): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''} OWNER ${APP_ROLE}`);
  } finally {
    await client.end();
  }
  return appRoleUrl(adminUrl(), process.env.TEST_PG_APP_PASSWORD!, name);
}

/** A fresh, migrated database for one test file; returns its URL (as the application's role). */
export function createTestDatabase(): Promise<string> {
  return createDatabase('test', TEMPLATE_DATABASE);
}

/** An empty database (not migrated), for migration tests; its URL as the application's role. */
export function createEmptyDatabase(): Promise<string> {
  return createDatabase('empty', null);
}
