import { pino, type DestinationStream, type Logger } from 'pino';
import type { Settings } from '../../config/settings.js';

/** Fields that hold secrets or personal data, wherever a line carries them (top level or one down). */
const SENSITIVE = ['password', 'passwordHash', 'accessToken', 'refreshToken', 'token', 'tokenHash', 'email'];

/** Paths that never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE.flatMap((field) => [field, `*.${field}`]),
  // A mail server's refusal quotes the recipients.
  'err.response',
  'err.rejected',
  'err.rejectedErrors',
];

/**
 * Structured JSON logs (pino). The one instance behind Fastify's request loggers (each with
 * its request id) and Nest's logger; `destination` is stdout unless a test collects lines.
 */
export function createLogger(settings: Pick<Settings, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: settings.logLevel,
      base: { service: 'exchange-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
