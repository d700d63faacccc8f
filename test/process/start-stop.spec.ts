import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-server.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/database/seed/demo-data.js';
import { login as loginAt, postgresOn, spawnApi, waitReady, type ApiProcess } from '../harness/process.js';

/**
 * `npm start` as a user runs it: the built API (`pretest` builds dist/) with its embedded
 * PostgreSQL, demo data and an ADMIN_EMAIL admin; stopped with a signal, started again on
 * the same data, and started after a crash that left the database running.
 */
const ADMIN = { email: 'ops@exchange.example', password: 'ops-password-for-tests' };

// Each test starts the API (and, the first time, initialises a cluster) at least once.
jest.setTimeout(240_000);

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-start-'));
  let port: number;
  let base: string;
  let api: ApiProcess | undefined;

  async function start(): Promise<void> {
    api = spawnApi({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' });
    await waitReady(api, base);
  }

  async function stop(signal: NodeJS.Signals): Promise<number | null> {
    return api!.stop(signal);
  }

  const login = (email: string, password: string) => loginAt(base, email, password);

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (api && api.child.exitCode === null) await stop('SIGKILL');
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
    expect(api!.output()).toContain('admin@exchange.example');

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
    const bad = spawnApi({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr()).toContain('PORT');
    expect(postgresOn(dataDir)).toEqual([]);
  });
});
