import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadSettings } from '../../src/config/settings.js';

const SECRET = 'x'.repeat(40);
const dir = () => mkdtempSync(join(tmpdir(), 'settings-'));

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadSettings(env, dir());
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('settings', () => {
  it('has sane development defaults', () => {
    const settings = loadSettings({ DATA_DIR: dir() });
    expect(settings).toMatchObject({ nodeEnv: 'development', host: '127.0.0.1', port: 3000, databaseUrl: null, seedDemo: true, smtpUrl: null, logLevel: 'info' });
  });

  it('generates the development JWT secret once, kept with mode 0600', () => {
    const dataDir = dir();
    const first = loadSettings({ DATA_DIR: dataDir });
    const second = loadSettings({ DATA_DIR: dataDir });
    expect(first.jwtSecret).toHaveLength(64);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(first.jwtSecretGenerated).toBe(true);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first.jwtSecret);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ HOST: 'local host' }, 'HOST'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ TRUST_PROXY: 'sometimes' }, 'TRUST_PROXY'],
    [{ ADMIN_EMAIL: 'nobody' , ADMIN_PASSWORD: 'long-enough-pw'}, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'root@example.org' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'root@example.org', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ RETENTION_INTERVAL_SECONDS: 'daily' }, 'RETENTION_INTERVAL_SECONDS'],
    [{ RETENTION_YEARS: '0' }, 'RETENTION_YEARS'],
    [{ DOCUMENT_RETENTION_DAYS: '-1' }, 'DOCUMENT_RETENTION_DAYS'],
  ])('refuses %j naming %s', (env, variable) => {
    const error = errorOf({ JWT_SECRET: SECRET, ...env });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('runs the retention job daily, keeping people 5 years and documents of refused applications 365 days, unless told otherwise', () => {
    expect(loadSettings({ DATA_DIR: dir() }).retention).toEqual({ intervalSeconds: 86_400, years: 5, documentDays: 365 });
    expect(loadSettings({ DATA_DIR: dir(), RETENTION_INTERVAL_SECONDS: '0', RETENTION_YEARS: '7', DOCUMENT_RETENTION_DAYS: '30' }).retention).toEqual({ intervalSeconds: 0, years: 7, documentDays: 30 });
  });

  it('refuses a DATA_DIR where its secret cannot be kept, naming DATA_DIR', () => {
    const file = join(dir(), 'a-file');
    writeFileSync(file, '');
    const error = errorOf({ DATA_DIR: join(file, 'data') });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe('DATA_DIR');
    expect(error.message).toContain('ENOTDIR');
  });

  it('reads TRUST_PROXY as off, on, or a number of proxy hops', () => {
    const trust = (value?: string) => loadSettings({ JWT_SECRET: SECRET, ...(value === undefined ? {} : { TRUST_PROXY: value }) }, dir()).trustProxy;
    expect(trust()).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
  });

  describe('in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/exchange', JWT_SECRET: SECRET };

    it('requires DATABASE_URL and JWT_SECRET', () => {
      expect(errorOf({ NODE_ENV: 'production', JWT_SECRET: SECRET }).variable).toBe('DATABASE_URL');
      expect(errorOf({ NODE_ENV: 'production', DATABASE_URL: production.DATABASE_URL }).variable).toBe('JWT_SECRET');
    });

    it('refuses demo data', () => {
      expect(errorOf({ ...production, SEED_DEMO: 'true' }).variable).toBe('SEED_DEMO');
    });

    it('starts with both given, demo data off', () => {
      expect(loadSettings(production, dir())).toMatchObject({ nodeEnv: 'production', seedDemo: false, jwtSecretGenerated: false });
    });
  });
});
