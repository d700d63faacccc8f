import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-server.js';
import { commandLineOf, postgresOn, readiness, spawnApi, waitReady, withDescendants, type ApiProcess } from '../harness/process.js';

/**
 * The API while its database is away: readiness answers 503 within a second or two
 * (never hangs) whether PostgreSQL is frozen (SIGSTOP: connections neither answer nor
 * fail, the case only timeouts catch) or stopped, requests that need it answer a 503
 * problem, and both recover when it is back.
 */
jest.setTimeout(300_000);

/** Measured generously for a loaded CI machine: a behaviour check, not a benchmark. */
const ANSWERS_WITHIN_MS = 3000;
const BACK_WITHIN_MS = 60_000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

async function until(what: string, check: () => Promise<boolean> | boolean, within = BACK_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${within / 1000} s`);
}

describe('the database away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-away-'));
  const cluster = join(dataDir, 'postgres');
  let base: string;
  let api: ApiProcess;
  let frozen: number[] = [];
  let restarted: number | undefined;

  const institutions = () => fetch(`${base}/api/v1/institutions`, { signal: AbortSignal.timeout(30_000) });

  /** The first readiness status the API answers within `within` ms (0 if none). */
  async function answered(within: number): Promise<number> {
    const deadline = Date.now() + within;
    let status = 0;
    while (status === 0 && Date.now() < deadline) status = await readiness(base, Math.max(1, deadline - Date.now()));
    return status;
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnApi({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
    await waitReady(api, base);
  });

  afterAll(async () => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    if (api.child.exitCode === null) await api.stop('SIGKILL');
    for (const pid of postgresOn(cluster)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('frozen: readiness answers 503 quickly, then 200 once it runs again', async () => {
    expect((await institutions()).status).toBe(200);
    const [postmaster] = postgresOn(cluster);
    expect(postmaster).toBeGreaterThan(0);

    // The postmaster and every backend: pooled connections hang as much as new ones.
    frozen = withDescendants(postmaster);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    for (let i = 0; i < 3; i++) {
      const { value: status, ms } = await timed(() => readiness(base, 30_000));
      expect({ status, said: status === 0 ? api.output().slice(-3000) : '' }).toEqual({ status: 503, said: '' });
      expect(ms).toBeLessThan(ANSWERS_WITHIN_MS);
    }
    // The process itself is alive.
    expect((await fetch(`${base}/health`)).status).toBe(200);

    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
    await until('ready again', async () => (await readiness(base)) === 200);
    expect((await institutions()).status).toBe(200);
  });

  it('stopped: readiness and requests answer 503 quickly, and recover when it is started again', async () => {
    const [postmaster] = postgresOn(cluster);
    const command = commandLineOf(postmaster);
    process.kill(postmaster, 'SIGINT'); // fast shutdown: connections are closed, new ones refused
    await until('PostgreSQL stopped', () => postgresOn(cluster).length === 0);

    // A connection the client had kept open may be refused once as the database goes; a
    // new one must get its answer within the bound. Nothing answering at all (0) would be
    // the API gone: then the failure shows what it said.
    const { value: status, ms } = await timed(() => answered(ANSWERS_WITHIN_MS));
    expect({ alive: api.child.exitCode === null, status, said: status === 0 ? api.output().slice(-3000) : '' }).toEqual({ alive: true, status: 503, said: '' });
    expect(ms).toBeLessThan(ANSWERS_WITHIN_MS);

    const { value: response, ms: requestMs } = await timed(institutions);
    expect(requestMs).toBeLessThan(ANSWERS_WITHIN_MS);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const problem = (await response.json()) as { code: string; status: number };
    expect(problem).toMatchObject({ status: 503, code: 'database.unavailable' });
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\s{4}at /);

    // Started again by hand, as its owner, on the same port: the API reconnects by itself.
    const owner = statSync(cluster);
    const again = spawn(command[0], command.slice(1), {
      ...(userInfo().uid === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
      cwd: '/',
      detached: true,
      stdio: 'ignore',
    });
    restarted = again.pid;
    again.unref();
    await until('ready again', async () => (await readiness(base)) === 200);
    expect((await institutions()).status).toBe(200);

    expect(await api.stop('SIGINT')).toBe(0);
    // That PostgreSQL is not the API's child any more: stopped here.
    process.kill(restarted!, 'SIGINT');
    await until('PostgreSQL stopped', () => postgresOn(cluster).length === 0);
  });
});
