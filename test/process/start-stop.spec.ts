import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/database/embedded-server.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/database/seed/demo-data.js';

/**
 * `npm start` as a user runs it: the built API (`pretest` builds dist/) with its embedded
 * PostgreSQL, demo data and an ADMIN_EMAIL admin; stopped with a signal, started again on
 * the same data, and started after a crash that left the database running.
 */
const MAIN = resolve('dist/src/main.js');
const ADMIN = { email: 'ops@exchange.example', password: 'ops-password-for-tests' };
const READY_WITHIN_MS = 90_000;

// Each test starts the API (and, the first time, initialises a cluster) at least once.
jest.setTimeout(240_000);

/** PostgreSQL processes serving this data directory. */
function postgresOn(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('postgres') && cmdline.includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-start-'));
  let port: number;
  let base: string;
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    output = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    // Generous for a loaded CI machine; an idle one is ready in well under 30 s (README).
    const deadline = Date.now() + READY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}): ${output}`);
      const ready = await fetch(`${base}/health/ready`).then((r) => r.status, () => 0);
      if (ready === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not ready within ${READY_WITHIN_MS / 1000} s: ${output}`);
  }

  async function stop(signal: NodeJS.Signals): Promise<number | null> {
    const running = child!;
    const exited = new Promise<number | null>((r) => running.once('exit', (code) => r(code)));
    running.kill(signal);
    return exited;
  }

  async function login(email: string, password: string) {
    const response = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    return { status: response.status, body: (await response.json()) as { accessToken: string } };
  }

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) await stop('SIGKILL');
    for (const pid of postgresOn(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty DATA_DIR with demo data, docs, and the ADMIN_EMAIL admin', async () => {
    await start();
    for (const user of DEMO_USERS) expect((await login(user.email, DEMO_PASSWORD)).status).toBe(200);
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(200);

    const docs = (await (await fetch(`${base}/api/docs-json`)).json()) as { openapi: string; paths: object };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toContain('/api/v1/auth/login');
    expect(output).toContain('admin@exchange.example');

    // The generated secrets are readable by their owner only.
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
    // PostgreSQL listens on loopback only.
    const conf = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    expect(conf).toContain('127.0.0.1');
  });

  it('stops the API and then its PostgreSQL on SIGINT', async () => {
    const { body } = await login(ADMIN.email, ADMIN.password);
    const created = await fetch(`${base}/api/v1/institutions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.accessToken}` },
      body: JSON.stringify({ name: 'Persisted Institute', shortName: 'PI', city: 'Metz', country: 'FR', kind: 'school', timezone: 'Europe/Paris' }),
    });
    expect(created.status).toBe(201);
    expect(postgresOn(dataDir).length).toBeGreaterThan(0);

    expect(await stop('SIGINT')).toBe(0);
    expect(postgresOn(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'api.pid'))).toBe(false);
  });

  it('keeps the data for the next start, without seeding twice', async () => {
    await start();
    const list = (await (await fetch(`${base}/api/v1/institutions?limit=100`)).json()) as { items: { name: string }[] };
    expect(list.items.map((i) => i.name)).toContain('Persisted Institute');
    expect(list.items.filter((i) => i.name === 'Université de Lorraine')).toHaveLength(1);
    expect(await stop('SIGTERM')).toBe(0);
    expect(postgresOn(dataDir)).toEqual([]);
  });

  it('starts after a crash that left its PostgreSQL running, and after a stale pid file', async () => {
    await start();
    await stop('SIGKILL'); // no cleanup at all: the database stays up, pid files stay behind
    expect(postgresOn(dataDir).length).toBeGreaterThan(0);
    await start();
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(200);
    expect(await stop('SIGINT')).toBe(0);
    expect(postgresOn(dataDir)).toEqual([]);

    // A pid file naming a live process that is not our PostgreSQL (this test runner).
    writeFileSync(join(dataDir, 'postgres', 'postmaster.pid'), `${process.pid}\n${join(dataDir, 'postgres')}\n`);
    await start();
    expect(await stop('SIGINT')).toBe(0);
    expect(postgresOn(dataDir)).toEqual([]);
  });

  it('refuses to start on a bad setting, naming it', async () => {
    const bad = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bad.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((r) => bad.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(stderr).toContain('PORT');
    expect(postgresOn(dataDir)).toEqual([]);
  });
});
