/**
 * The servers under test, each in a process of its own: the API started as in production
 * (`node dist/src/main.js`, NODE_ENV=production, DATABASE_URL), and the baseline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/database/embedded-server.js';

export const JWT_SECRET = 'bench-jwt-secret-shared-by-the-api-and-the-baseline-0123456789';

export interface Server {
  name: string;
  pid: number;
  base: string;
  /** Its standard error so far (the API logs warnings and errors there). */
  output(): string;
  stop(): Promise<void>;
}

const DIST = fileURLToPath(new URL('../../', import.meta.url));

async function waitFor(url: string, child: ChildProcess, output: () => string, seconds: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    if (child.exitCode !== null) throw new Error(`exited during start (code ${child.exitCode}): ${output().slice(-2000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return (Date.now() - started) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${seconds} s: ${output().slice(-2000)}`);
}

function start(name: string, script: string, env: Record<string, string>, port: number, readyPath: string, seconds = 120, cleanup?: () => void): Promise<Server & { readySeconds: number }> {
  const child = spawn(process.execPath, [script], { cwd: join(DIST, '..'), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        cleanup?.();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return waitFor(base + readyPath, child, () => output, seconds).then(
    (readySeconds) => ({ name, pid: child.pid!, base, output: () => output, stop, readySeconds }),
    async (error: Error) => {
      await stop();
      throw new Error(`${name}: ${error.message}`);
    },
  );
}

/** The API as in production, on the bench's database; periodic jobs off (their work is no request's). */
export async function startApi(databaseUrl: string): Promise<Server & { readySeconds: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-bench-api-'));
  const port = await freePort();
  return start(
    'api',
    join(DIST, 'src', 'main.js'),
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      JWT_SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOGIN_MAX_PER_EMAIL: '10000',
      LOGIN_MAX_PER_IP: '100000',
      REMINDER_INTERVAL_SECONDS: '0',
      RETENTION_INTERVAL_SECONDS: '0',
    },
    port,
    '/health/ready',
    120,
    () => rmSync(dataDir, { recursive: true, force: true }),
  );
}

/** Headers that differ from answer to answer, or that the server writes itself. */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'etag', 'x-request-id', 'cache-control', 'vary']);

/** The headers that every answer of the API carries, read from one of its answers. */
export async function answerHeadersOf(api: Server, path: string): Promise<Record<string, string>> {
  const response = await fetch(api.base + path);
  await response.arrayBuffer();
  return Object.fromEntries([...response.headers].filter(([name]) => !PER_ANSWER.has(name)));
}

/** The bare node:http + pg server (bench/baseline/server.ts), with a pool the size of the API's and its answers' headers. */
export async function startBaseline(databaseUrl: string, poolSize: number, answerHeaders: Record<string, string>): Promise<Server & { readySeconds: number }> {
  const port = await freePort();
  return start(
    'baseline',
    join(DIST, 'bench', 'baseline', 'server.js'),
    { DATABASE_URL: databaseUrl, JWT_SECRET, PORT: String(port), POOL_SIZE: String(poolSize), ANSWER_HEADERS: JSON.stringify(answerHeaders) },
    port,
    '/health',
    30,
  );
}

/**
 * `npm start` on a fresh data folder, as a new user would run it (development settings,
 * the embedded PostgreSQL made and migrated, the demo data loaded): seconds until
 * /health/ready answers 200. The build is not counted (the bench has just made it).
 */
export async function coldStart(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-bench-cold-'));
  const port = await freePort();
  try {
    const server = await start('cold start', join(DIST, 'src', 'main.js'), { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, port, '/health/ready', 180);
    await server.stop();
    return server.readySeconds;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
