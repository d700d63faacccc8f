/**
 * A digest of every row of every table of a test database, to prove that a request changed
 * nothing: take one before, one after, and compare. Read as the superuser, which reads
 * every schema whatever the application's role is granted.
 */
import pg from 'pg';
import { superuserUrlOf } from './database.js';

/**
 * Tables that change, by design, when a request is refused, so they cannot take part in a
 * "nothing changed" comparison:
 * - `audit.audit_log` and `audit.audit_chain`: every 403 or 404 on a protected object is
 *   recorded (who tried what on which id) and chained, see src/common/access/refusals.ts.
 *   What such an entry says is the audit suite's to check (test/e2e/audit.spec.ts).
 */
export const CHANGED_BY_REFUSALS: readonly string[] = ['audit.audit_log', 'audit.audit_chain'];

export type Checksums = Record<string, string>;

export interface TableChecksums {
  /** `schema.table` → row count and MD5 of all rows in a stable order. */
  take(): Promise<Checksums>;
  close(): Promise<void>;
}

/**
 * Checksums of every base table of the database behind `databaseUrl` (the application's
 * URL of it), except `exclude` (by default the tables a refusal legitimately writes).
 * The table list is read once, when opened: make the database's schema before.
 */
export async function openChecksums(databaseUrl: string, exclude: readonly string[] = CHANGED_BY_REFUSALS): Promise<TableChecksums> {
  const client = new pg.Client({ connectionString: superuserUrlOf(databaseUrl) });
  await client.connect();
  const { rows } = await client.query<{ name: string; sql: string }>(
    `SELECT table_schema || '.' || table_name AS name, format('%I.%I', table_schema, table_name) AS sql
       FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1`,
  );
  const unknown = exclude.filter((name) => !rows.some((row) => row.name === name));
  if (unknown.length) throw new Error(`tables to exclude that do not exist: ${unknown.join(', ')}`);
  const tables = rows.filter((row) => !exclude.includes(row.name));
  if (!tables.length) throw new Error('no table to checksum');
  // One statement for all tables: a snapshot of one instant, in one round trip.
  const query = tables
    .map((table, i) => `SELECT $${i + 1}::text AS name, count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS sum FROM ${table.sql} t`)
    .join(' UNION ALL ');
  const names = tables.map((table) => table.name);
  return {
    async take() {
      const result = await client.query<{ name: string; sum: string }>(query, names);
      return Object.fromEntries(result.rows.map((row) => [row.name, row.sum]));
    },
    close: () => client.end(),
  };
}

/** The tables whose checksum differs between two snapshots (or that only one has). */
export function changedTables(before: Checksums, after: Checksums): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
