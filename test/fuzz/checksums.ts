/**
 * A checksum of every application table (md5 of its rows, in a stable order), read through
 * the superuser's connection to the test file's database: a refused request must leave
 * every one of them as it was.
 *
 * Left out, on purpose:
 * - the `audit` schema: the audit log records refused requests (403/404 on an object,
 *   failed sign-ins) by design (SPEC section 3, src/common/access/refusals.ts);
 * - `rate_limit_buckets`, on the routes that count attempts (sign-in, registration,
 *   choosing a password): throttling counts every attempt, refused ones above all
 *   (src/auth/auth.service.ts). Everywhere else a change to it is a defect like any other.
 * The mail worker and the periodic jobs, which change `mail_jobs`, `scheduled_runs` and
 * `reminders_sent` on their own clock, are kept still by the test's settings instead, so
 * that those tables stay in the comparison.
 */
import pg from 'pg';

export type Checksums = Map<string, string>;

const EXCLUDED_SCHEMAS = ['audit'];

/** Tables a refused request to that route may change, and why. */
export const MAY_CHANGE: Record<string, { tables: string[]; why: string }> = {
  'POST /api/v1/auth/login': { tables: ['public.rate_limit_buckets'], why: 'sign-in attempts are counted whatever their outcome' },
  'POST /api/v1/auth/register': { tables: ['public.rate_limit_buckets'], why: 'registrations are counted per client address' },
  'POST /api/v1/auth/set-password': { tables: ['public.rate_limit_buckets'], why: 'attempts at an invitation code are counted per client address' },
};

export class TableChecksums {
  private constructor(
    private readonly client: pg.Client,
    private readonly sql: string,
    readonly tables: string[],
  ) {}

  static async open(superuserUrl: string): Promise<TableChecksums> {
    const client = new pg.Client({ connectionString: superuserUrl });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND NOT (table_schema = ANY($1))
        ORDER BY 1`,
      [EXCLUDED_SCHEMAS],
    );
    const tables = rows.map((row) => row.name);
    const sql = tables.map((table) => `SELECT '${table}' AS name, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS sum FROM ${table} t`).join('\nUNION ALL\n');
    return new TableChecksums(client, sql, tables);
  }

  async take(): Promise<Checksums> {
    const { rows } = await this.client.query<{ name: string; sum: string }>(this.sql);
    return new Map(rows.map((row) => [row.name, row.sum]));
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The tables whose checksum differs, but for those in `allowed`. */
export function changedTables(before: Checksums, after: Checksums, allowed: string[] = []): string[] {
  return [...after.keys()].filter((table) => !allowed.includes(table) && before.get(table) !== after.get(table));
}
