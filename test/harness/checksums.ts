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

/** What of a table a caller compares when it expects some of the table's changes. */
export interface TablePart {
  /** Only these columns: changes to the others are not seen (a row added or removed still is). */
  columns?: readonly string[];
  /** Only the rows this SQL condition keeps (on the table's own columns). */
  where?: string;
}

export interface ChecksumOptions {
  /** Tables (`schema.table`) left out whole; by default CHANGED_BY_REFUSALS. */
  exclude?: readonly string[];
  /**
   * Tables compared in part, by `schema.table`: for a table a caller does compare but some of
   * whose rows or columns legitimately change meanwhile, e.g. of the mail queue only its ids
   * (its worker marks mails sent) or of the audit log all but the refusals it records.
   */
  partial?: Readonly<Record<string, TablePart>>;
}

export interface TableChecksums {
  /** `schema.table` → row count and MD5 of all rows in a stable order. */
  take(): Promise<Checksums>;
  close(): Promise<void>;
}

/** The base tables to checksum, `exclude` left out; throws on an option naming no table. */
async function tablesToSum(client: pg.Client, exclude: readonly string[], partial: Readonly<Record<string, TablePart>>): Promise<{ name: string; sql: string }[]> {
  const { rows } = await client.query<{ name: string; sql: string }>(
    `SELECT table_schema || '.' || table_name AS name, format('%I.%I', table_schema, table_name) AS sql
       FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1`,
  );
  const unknown = [...exclude, ...Object.keys(partial)].filter((name) => !rows.some((row) => row.name === name));
  if (unknown.length) throw new Error(`tables to exclude or compare in part that do not exist: ${unknown.join(', ')}`);
  const both = Object.keys(partial).filter((name) => exclude.includes(name));
  if (both.length) throw new Error(`tables both excluded and compared in part: ${both.join(', ')}`);
  const tables = rows.filter((row) => !exclude.includes(row.name));
  if (!tables.length) throw new Error('no table to checksum');
  return tables;
}

/**
 * Checksums of every base table of the database behind `databaseUrl` (the application's
 * URL of it), but for those `options` leave out or compare in part.
 * The table list is read once, when opened: make the database's schema before.
 */
export async function openChecksums(databaseUrl: string, options: ChecksumOptions = {}): Promise<TableChecksums> {
  const { exclude = CHANGED_BY_REFUSALS, partial = {} } = options;
  const client = new pg.Client({ connectionString: superuserUrlOf(databaseUrl) });
  await client.connect();
  const tables = await tablesToSum(client, exclude, partial).catch(async (error: unknown) => {
    await client.end();
    throw error;
  });
  const rowsOf = (table: { name: string; sql: string }) => {
    const part = partial[table.name];
    if (!part) return table.sql;
    const columns = part.columns?.length ? part.columns.map((column) => pg.escapeIdentifier(column)).join(', ') : '*';
    return `(SELECT ${columns} FROM ${table.sql}${part.where ? ` WHERE ${part.where}` : ''})`;
  };
  // One statement for all tables: a snapshot of one instant, in one round trip.
  const query = tables
    .map((table, i) => `SELECT $${i + 1}::text AS name, count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS sum FROM ${rowsOf(table)} t`)
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

/**
 * The tables whose checksum differs between two snapshots (or that only one has), but for
 * those in `allowed`: tables the caller expects this one request to change.
 */
export function changedTables(before: Checksums, after: Checksums, allowed: readonly string[] = []): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !allowed.includes(name) && before[name] !== after[name]).sort();
}
