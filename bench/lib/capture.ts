/**
 * The statements a process sends to PostgreSQL, read from the server's own JSON log
 * (log_statement = all while capturing): the ground truth whatever the driver does,
 * whether a statement is sent as a simple query, as an unnamed extended-protocol one, or
 * as a named prepared statement.
 *
 * A capture is the log between two points, of the connections of one application_name;
 * its end is marked by a statement of the bench's own, after the request has been answered.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import pg from 'pg';
import type { BenchCluster } from './cluster.js';

export type Protocol = 'simple' | 'extended' | 'prepared';

export interface Statement {
  /** How it was sent: a simple query, the extended protocol's unnamed statement, or a named prepared one. */
  protocol: Protocol;
  /** The prepared statement's name, for `prepared`. */
  name?: string;
  /** As sent. */
  text: string;
  /** The bound parameters as the log writes them ("$1 = '…', $2 = …"), when any. */
  parameters?: string;
}

interface LogRecord {
  application_name?: string;
  message?: string;
  detail?: string;
  pid?: number;
}

/** Whitespace folded: the SQL text as compared between the API and the baseline. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export class StatementLog {
  private mark = 0;
  private readonly client: pg.Client;

  private constructor(
    private readonly cluster: BenchCluster,
    client: pg.Client,
  ) {
    this.client = client;
  }

  static async open(cluster: BenchCluster): Promise<StatementLog> {
    const client = new pg.Client({ connectionString: cluster.superUrl, application_name: 'exchange-bench-capture' });
    await client.connect();
    return new StatementLog(cluster, client);
  }

  /** Every backend logs its statements from its next command on (a reload reaches idle backends before they read one). */
  async enable(): Promise<void> {
    await this.client.query(`ALTER SYSTEM SET log_statement = 'all'`);
    await this.client.query('SELECT pg_reload_conf()');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  async disable(): Promise<void> {
    await this.client.query('ALTER SYSTEM RESET log_statement');
    await this.client.query('SELECT pg_reload_conf()');
  }

  async close(): Promise<void> {
    await this.disable().catch(() => undefined);
    await this.client.end();
  }

  /** The statements that connections named `applicationName` sent while `work` ran. */
  async around<T>(applicationName: string, work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
    const start = this.size();
    const result = await work();
    const marker = `bench capture mark ${process.pid}-${++this.mark}`;
    await this.client.query(`SELECT '${marker}'`);
    let records: LogRecord[] = [];
    for (let i = 0; i < 200; i++) {
      records = this.read(start);
      if (records.some((record) => record.message?.includes(marker))) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const statements = records.filter((record) => record.application_name === applicationName).flatMap((record) => parse(record));
    return { result, statements };
  }

  private size(): number {
    try {
      return statSync(this.cluster.logFile).size;
    } catch {
      return 0;
    }
  }

  private read(from: number): LogRecord[] {
    const size = this.size();
    if (size <= from) return [];
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(this.cluster.logFile, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    const records: LogRecord[] = [];
    for (const line of buffer.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        // a line still being written: read again with the next poll
      }
    }
    return records;
  }
}

function parse(record: LogRecord): Statement[] {
  const message = record.message ?? '';
  const parameters = record.detail?.replace(/^Parameters: /, '');
  let match = /^statement: ([\s\S]*)$/.exec(message);
  if (match) return [{ protocol: 'simple', text: match[1] }];
  match = /^execute ([^:]+): ([\s\S]*)$/.exec(message);
  if (match) {
    const name = match[1];
    if (name === '<unnamed>') return [{ protocol: 'extended', text: match[2], parameters }];
    // A named statement's text is logged with its name; "execute S_1/C_2" (a portal) keeps the statement's name before the slash.
    return [{ protocol: 'prepared', name: name.split('/')[0], text: match[2], parameters }];
  }
  return [];
}

/** Two lists of statements compared as the bench requires: same texts (whitespace folded), same protocols, same order. */
export function compareStatements(api: Statement[], baseline: Statement[]): string[] {
  const problems: string[] = [];
  const length = Math.max(api.length, baseline.length);
  if (api.length !== baseline.length) problems.push(`the API sent ${api.length} statement(s), the baseline ${baseline.length}`);
  for (let i = 0; i < length; i++) {
    const a = api[i];
    const b = baseline[i];
    if (!a || !b) continue;
    if (normalize(a.text) !== normalize(b.text)) problems.push(`statement ${i + 1}: the SQL differs`);
    else if (a.protocol !== b.protocol) problems.push(`statement ${i + 1}: sent as ${a.protocol} by the API, ${b.protocol} by the baseline`);
    else if (a.name !== b.name) problems.push(`statement ${i + 1}: prepared as "${a.name}" by the API, "${b.name}" by the baseline`);
  }
  return problems;
}

/** The bound values of a logged statement ("$1 = 'x', $2 = NULL"), as text, to run it again (EXPLAIN). */
export function parameterValues(parameters: string | undefined): (string | null)[] {
  const values: (string | null)[] = [];
  if (!parameters) return values;
  for (const match of parameters.matchAll(/\$(\d+) = (NULL|'((?:[^']|'')*)')/g)) values[Number(match[1]) - 1] = match[2] === 'NULL' ? null : match[3].replace(/''/g, "'");
  return values;
}
