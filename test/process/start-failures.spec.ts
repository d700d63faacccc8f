import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-server.js';
import { postgresOn, spawnApi, type ApiProcess } from '../harness/process.js';

/**
 * A start that cannot go on says why in one line and exits non-zero: no stack trace in
 * the terminal, no database left running, no lock left behind.
 */
jest.setTimeout(120_000);

/** What the person at the terminal sees: one line on stderr naming the cause, no stack. */
async function expectOneLineFailure(api: ApiProcess, cause: RegExp): Promise<number | null> {
  const code = await api.exited;
  expect(code).not.toBe(0);
  const lines = api.stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Cannot start: /);
  expect(lines[0]).toMatch(cause);
  expect(api.output()).not.toMatch(/\s{4}at /);
  return code;
}

describe('a start that cannot go on', () => {
  const root = mkdtempSync(join(tmpdir(), 'exchange-failures-'));
  const fresh = (name: string) => join(root, name);

  afterAll(() => {
    for (const pid of postgresOn(root)) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  describe('on a port already taken', () => {
    let taken: Server;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it('names the port, before starting the database', async () => {
      const dataDir = fresh('port');
      const api = spawnApi({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
      await expectOneLineFailure(api, new RegExp(`port ${port} is already in use`));
      expect(postgresOn(dataDir)).toEqual([]);
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
      expect(existsSync(join(dataDir, 'api.pid'))).toBe(false);
    });
  });

  it('names DATA_DIR when it cannot be written', async () => {
    const file = fresh('a-file');
    writeFileSync(file, '');
    const api = spawnApi({ DATA_DIR: join(file, 'data'), PORT: String(await freePort()) });
    expect(await expectOneLineFailure(api, /DATA_DIR .*ENOTDIR/)).toBe(78);
  });

  it('names DATA_DIR when it cannot be written, also with a JWT_SECRET given', async () => {
    const file = fresh('another-file');
    writeFileSync(file, '');
    const api = spawnApi({ DATA_DIR: join(file, 'data'), PORT: String(await freePort()), JWT_SECRET: 'x'.repeat(40) });
    await expectOneLineFailure(api, /DATA_DIR .*ENOTDIR/);
  });

  it('names the other API running on the same DATA_DIR', async () => {
    const dataDir = fresh('taken');
    mkdirSync(dataDir);
    // A live node process holds the lock: this test runner.
    writeFileSync(join(dataDir, 'api.pid'), String(process.pid));
    const api = spawnApi({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    await expectOneLineFailure(api, new RegExp(`another API \\(pid ${process.pid}\\) is running on ${dataDir}`));
    expect(postgresOn(dataDir)).toEqual([]);
  });

  it('names a bad setting', async () => {
    const api = spawnApi({ DATA_DIR: fresh('setting'), PORT: 'eighty' });
    expect(await expectOneLineFailure(api, /PORT/)).toBe(78);
  });

  it("says in one line why PostgreSQL would not start, and leaves no lock behind", async () => {
    const dataDir = fresh('broken-cluster');
    // Not a cluster PostgreSQL can use.
    mkdirSync(join(dataDir, 'postgres'), { recursive: true });
    writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '9.6\n');
    const api = spawnApi({ DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'info' });
    await expectOneLineFailure(api, /PostgreSQL/);
    expect(postgresOn(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'api.pid'))).toBe(false);
  });
});
