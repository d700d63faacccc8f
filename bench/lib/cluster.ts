/**
 * The bench's own PostgreSQL: a cluster made by the product's embedded server
 * (src/database/embedded-server.ts) in a folder of the bench's, with the application role
 * and database made as `npm start` makes them (src/database/app-role.ts), so that the API
 * works as that role, not a superuser.
 *
 * Once made, the server is started again from the same binary, as the same user, with the
 * product's flags plus a JSON log (the logging collector), which the product's start cannot
 * take: it waits for "ready" on stderr, which the collector takes away. Statements are
 * logged only while capturing (see capture.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { keptSecret } from '../../src/config/settings.js';
import { appRoleUrl, ensureAppDatabase, ensureAppRole, protectAuditLog } from '../../src/database/app-role.js';
import { freePort, startEmbeddedServer } from '../../src/database/embedded-server.js';

export const DATABASE = 'exchange';

export interface BenchCluster {
  port: number;
  dataDir: string;
  /** Superuser, database `exchange`. */
  superUrl: string;
  /** The application role, database `exchange`: what the API and the baseline use. */
  appUrl: string;
  /** The JSON log (statements while capturing). */
  logFile: string;
  postmasterPid: number;
  /** PostgreSQL's version, e.g. "18.1". */
  version: string;
  /** Runs statements as the superuser on `exchange`. */
  admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** The JSON log in the cluster's `log` folder, one file, never rotated. */
const LOG_FLAGS = ['logging_collector=on', 'log_destination=jsonlog', 'log_directory=log', 'log_filename=postgresql.log', 'log_file_mode=0644', 'log_rotation_age=0', 'log_rotation_size=0'];

function procStatus(pid: number): { uid: number; gid: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { uid: field('Uid'), gid: field('Gid') };
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start (code ${child.exitCode}): ${output()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('PostgreSQL did not accept connections within 60 s');
}

/**
 * Starts the cluster in `dir` (made on the first start by the product's embedded server).
 * `fast` turns fsync off: for the generator only; the measured runs use the product's settings.
 */
export async function openCluster(dir: string, options: { fast?: boolean; log?: (line: string) => void } = {}): Promise<BenchCluster> {
  // The product's start: initdb on the first one, the binary and the user it runs as.
  const first = await startEmbeddedServer({ dataDir: join(dir, 'pg'), secretsDir: dir, warn: options.log });
  const dataDir = first.dataDir;
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const binary = readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').split('\0')[0];
  const user = procStatus(postmaster);
  const password = keptSecret(dir, 'app-db-password', 24);
  const root = new pg.Client({ connectionString: first.url('postgres'), application_name: 'exchange-bench' });
  await root.connect();
  try {
    await ensureAppRole(root, password);
  } finally {
    await root.end();
  }
  await ensureAppDatabase(first.url('postgres'), DATABASE);
  const superuserUrl = (port: number, database: string) => {
    const url = new URL(first.url('postgres'));
    url.port = String(port);
    url.pathname = `/${database}`;
    return url.toString();
  };
  await first.stop();

  const port = await freePort();
  const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const flag of LOG_FLAGS) flags.push('-c', flag);
  const child = spawn(binary, flags, { ...(process.getuid?.() === 0 ? user : {}), cwd: '/', detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const superUrl = superuserUrl(port, DATABASE);
  try {
    await waitReady(superuserUrl(port, 'postgres'), child, () => output);
  } catch (error) {
    child.kill('SIGINT');
    throw error;
  }
  const version = await (async () => {
    const client = new pg.Client({ connectionString: superUrl });
    await client.connect();
    try {
      return (await client.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version'])).rows[0].v;
    } finally {
      await client.end();
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    port,
    dataDir,
    superUrl,
    appUrl: appRoleUrl(superuserUrl(port, 'postgres'), password, DATABASE),
    logFile: join(dataDir, 'log', 'postgresql.json'),
    postmasterPid: child.pid!,
    version,
    async admin(work) {
      const client = new pg.Client({ connectionString: superUrl, application_name: 'exchange-bench' });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
      return stopped;
    },
  };
}

/** What the superuser does after the migrations, as at every start of the embedded server. */
export function protectAudit(cluster: BenchCluster): Promise<void> {
  const url = new URL(cluster.superUrl);
  url.pathname = '/postgres';
  return protectAuditLog(url.toString(), DATABASE);
}
