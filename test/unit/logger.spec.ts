import { createLogger } from '../../src/common/logging/logger.js';

describe('createLogger', () => {
  const linesAt = (logLevel: 'info' | 'warn', log: (logger: ReturnType<typeof createLogger>) => void) => {
    const lines: string[] = [];
    log(createLogger({ logLevel }, { write: (line: string) => void lines.push(line) }));
    return lines.map((line) => JSON.parse(line) as Record<string, any>);
  };

  it('redacts secrets and e-mail addresses at the top level and one level down, and what a mail server quotes', () => {
    const [line] = linesAt('info', (logger) =>
      logger.info(
        {
          password: 'p1',
          email: 'a@example.org',
          body: { password: 'p2', refreshToken: 'r', accessToken: 'a', token: 't', email: 'b@example.org' },
          user: { passwordHash: '$argon2id$h', tokenHash: 'th' },
          req: { headers: { authorization: 'Bearer x', cookie: 'c', 'idempotency-key': 'k', accept: 'application/json' } },
          err: { code: 'EENVELOPE', response: '550 <c@example.org> rejected', rejected: ['c@example.org'] },
        },
        'something',
      ),
    );
    expect(line).toMatchObject({
      level: 'info',
      service: 'exchange-api',
      msg: 'something',
      password: '[redacted]',
      email: '[redacted]',
      body: { password: '[redacted]', refreshToken: '[redacted]', accessToken: '[redacted]', token: '[redacted]', email: '[redacted]' },
      user: { passwordHash: '[redacted]', tokenHash: '[redacted]' },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'idempotency-key': '[redacted]', accept: 'application/json' } },
      err: { code: 'EENVELOPE', response: '[redacted]', rejected: '[redacted]' },
    });
    expect(JSON.stringify(line)).not.toMatch(/p1|p2|example\.org|argon2|Bearer/);
  });

  it('writes nothing below LOG_LEVEL', () => {
    expect(linesAt('warn', (logger) => logger.info('hidden'))).toEqual([]);
  });
});
