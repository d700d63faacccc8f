/**
 * The baseline: what the reads cost with nothing but node:http and pg. The same JWT check
 * as the API (jsonwebtoken, HS256, the API's issuer and audience, the key as a KeyObject),
 * a pool of the API's size, and for each route exactly the statements the API sends,
 * written in queries.ts (the bench compares them with the API's at every run). An answer
 * a route keeps serialized (the institutions') is sent as it is, with its headers.
 *
 * Every answer carries the headers every API answer carries (its security headers, given by
 * the bench as ANSWER_HEADERS, a request id, `Cache-Control: no-store` unless the route says
 * otherwise), so that both servers write, and the load generator reads, answers of one size.
 *
 * Env: DATABASE_URL, JWT_SECRET, PORT, POOL_SIZE, ANSWER_HEADERS (JSON object).
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { JWT, routes, type Answer, type Db, type Sql } from './queries.js';

// Dates (`date` columns) as the API reads them: 'YYYY-MM-DD' strings, not JavaScript dates at local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20), application_name: 'exchange-baseline' });
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const answerHeaders = JSON.parse(process.env.ANSWER_HEADERS || '{}') as Record<string, string>;

function queryOf(sql: Sql, values?: unknown[]): pg.QueryConfig {
  return typeof sql === 'string' ? { text: sql, values } : { text: sql.text, name: sql.name, values };
}

const db: Db = {
  query: async (sql, values) => (await pool.query(queryOf(sql, values))).rows,
  async transaction(work) {
    const client = await pool.connect();
    try {
      await client.query('START TRANSACTION');
      const inner: Db = { query: async (sql, values) => (await client.query(queryOf(sql, values))).rows, transaction: (w) => w(inner) };
      const result = await work(inner);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  },
};

/** The verified claims of the bearer token (the route reads its subject and session), or null. */
function claimsOf(request: IncomingMessage): jwt.JwtPayload | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  try {
    const claims = jwt.verify(header.slice(7), key as unknown as jwt.Secret, { algorithms: [JWT.algorithm], issuer: JWT.issuer, audience: JWT.audience });
    return typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

const server = createServer((request, response) => {
  const send = (status: number, answer: Pick<Answer, 'body' | 'raw' | 'headers'>) => {
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    const headers: Record<string, string | number> = {
      ...answerHeaders,
      'x-request-id': randomUUID(),
      'cache-control': 'no-store',
      ...answer.headers,
      'content-length': Buffer.byteLength(text),
    };
    if (text) headers['content-type'] = 'application/json; charset=utf-8';
    response.writeHead(status, headers);
    response.end(text);
  };
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return send(200, { body: { status: 'ok' } });
  for (const route of routes) {
    const match = request.method === route.method ? route.pattern.exec(url.pathname) : null;
    if (!match) continue;
    const claims = route.auth ? claimsOf(request) : null;
    if (route.auth && !claims) return send(401, { body: { code: 'auth.invalid_token' } });
    const ifNoneMatch = request.headers['if-none-match'];
    route.handle(db, { claims, params: match.groups ?? {}, query: url.searchParams, ifNoneMatch }).then(
      (answer) => send(answer.status, answer),
      (error: Error) => send(500, { body: { code: 'internal', detail: error.message } }),
    );
    return;
  }
  send(404, { body: { code: 'not_found' } });
});

server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
