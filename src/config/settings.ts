import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The one typed settings object of the process. Everything configurable comes from the
 * environment, is validated here once at boot, and a bad value stops the start with a
 * message naming the variable. Defaults and their meaning: config/README.md.
 */
export interface Settings {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** null: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  jwtSecret: string;
  /** true when the secret was generated and kept in dataDir (refused in production). */
  jwtSecretGenerated: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  seedDemo: boolean;
  smtpUrl: string | null;
  /** Where people reach the API and portal, for links in mail (no trailing slash). */
  publicUrl: string;
  /** The mail queue's worker (src/notifications/mail-worker.ts). */
  mail: {
    /** pause between two looks at the queue when it was empty */
    pollMs: number;
    /** tries before a mail is dead */
    maxAttempts: number;
    /** how long a claimed mail is held by its worker before another may take it (kept up while sending) */
    leaseMs: number;
    /** the first retry's pause; each next one doubles, up to an hour */
    backoffBaseMs: number;
  };
  /** Seconds between two runs of the reminders (one instance at a time does the work); 0 turns the timer off. */
  reminderIntervalSeconds: number;
  /** Personal data kept no longer than needed (src/privacy/retention.service.ts). */
  retention: {
    /** seconds between two runs of the retention job (once per period across all instances); 0 turns the timer off */
    intervalSeconds: number;
    /** students whose applications all ended (or whose account went unused) this many years ago are anonymised, and unused families' contact data erased */
    years: number;
    /** documents of rejected or withdrawn applications are deleted this many days after the application ended */
    documentDays: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Proxies in front of the API whose X-Forwarded-For is believed: false, true, or a hop count. */
  trustProxy: boolean | number;
  /** Login throttling: attempts per window, per e-mail and per client address. */
  loginRateLimit: { perEmail: number; perIp: number; windowSeconds: number };
  /** Proposed placements hold a bed until the family answers: at most this long. */
  placements: {
    /** days after which a proposal not yet accepted lapses (declined), freeing its bed */
    proposalDays: number;
    /** seconds between two runs of the lapse job (once per period across all instances); 0 turns the timer off */
    lapseIntervalSeconds: number;
  };
  /** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json (off in production unless asked for). */
  apiDocs: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'test', 'production'] as const;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function trustProxy(env: Env): boolean | number {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw === '') return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  return boolean(env, 'TRUST_PROXY', false);
}

/** Reads a secret kept in dataDir, or creates it (mode 0600) on the first start. */
export function keptSecret(dataDir: string, fileName: string, bytes = 48): string {
  const file = join(dataDir, fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  const secret = randomBytes(bytes).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

export function loadSettings(env: Env = process.env, cwd = process.cwd()): Settings {
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';

  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address (got "${host}")`);

  const rawDataDir = env.DATA_DIR || './.data';
  const dataDir = isAbsolute(rawDataDir) ? rawDataDir : resolve(cwd, rawDataDir);

  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (production && !databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production');
  }

  let jwtSecret = env.JWT_SECRET ?? '';
  let jwtSecretGenerated = false;
  if (jwtSecret) {
    if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  } else if (production) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  } else {
    try {
      jwtSecret = keptSecret(dataDir, 'jwt-secret');
    } catch (error) {
      throw new ConfigError('DATA_DIR', `cannot be used: ${(error as Error).message}`);
    }
    jwtSecretGenerated = true;
  }

  const adminEmail = env.ADMIN_EMAIL || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminEmail && !EMAIL.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'must be an e-mail address');
  if (adminEmail && !adminPassword) throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_EMAIL is set');
  if (adminPassword && !adminEmail) throw new ConfigError('ADMIN_EMAIL', 'is required when ADMIN_PASSWORD is set');
  if (adminPassword && (adminPassword.length < 8 || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 8 to 128 characters long');
  }

  const seedDemo = boolean(env, 'SEED_DEMO', !production);
  if (production && seedDemo) throw new ConfigError('SEED_DEMO', 'cannot be on when NODE_ENV=production');

  return {
    nodeEnv,
    host,
    port,
    databaseUrl,
    dataDir,
    jwtSecret,
    jwtSecretGenerated,
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    seedDemo,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    publicUrl: (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
    mail: {
      pollMs: integer(env, 'MAIL_POLL_MS', 1000, 10, 600_000),
      maxAttempts: integer(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 100),
      leaseMs: integer(env, 'MAIL_LEASE_MS', 120_000, 1000, 3_600_000),
      backoffBaseMs: integer(env, 'MAIL_BACKOFF_BASE_MS', 2000, 10, 3_600_000),
    },
    reminderIntervalSeconds: integer(env, 'REMINDER_INTERVAL_SECONDS', 900, 0, 86_400),
    retention: {
      intervalSeconds: integer(env, 'RETENTION_INTERVAL_SECONDS', 86_400, 0, 2_592_000),
      years: integer(env, 'RETENTION_YEARS', 5, 1, 100),
      documentDays: integer(env, 'DOCUMENT_RETENTION_DAYS', 365, 1, 36_500),
    },
    trustProxy: trustProxy(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    loginRateLimit: {
      perEmail: integer(env, 'LOGIN_MAX_PER_EMAIL', 5, 1, 10_000),
      perIp: integer(env, 'LOGIN_MAX_PER_IP', 30, 1, 100_000),
      windowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    },
    placements: {
      proposalDays: integer(env, 'PLACEMENT_PROPOSAL_DAYS', 14, 1, 365),
      lapseIntervalSeconds: integer(env, 'PLACEMENT_LAPSE_INTERVAL_SECONDS', 3600, 0, 86_400),
    },
    apiDocs: boolean(env, 'API_DOCS', !production),
  };
}

/** Injection token of the Settings object. */
export const SETTINGS = Symbol('SETTINGS');
