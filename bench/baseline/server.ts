/**
 * The baseline: what the reads cost with nothing but node:http and pg. The same JWT check
 * as the API (jsonwebtoken, HS256, the API's issuer and audience, the key as a KeyObject),
 * a pool of the API's size, and for each route exactly the statements the API sends,
 * written in queries.ts (the bench compares them with the API's at every run).
 *
 * Env: DATABASE_URL, JWT_SECRET, PORT, POOL_SIZE.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { JWT, routes, type Db, type Sql } from './queries.js';

// Dates (`date` columns) as the API reads them: 'YYYY-MM-DD' strings, not JavaScript dates at local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20), application_name: 'exchange-baseline' });
const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));

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

function subjectOf(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  try {
    const claims = jwt.verify(header.slice(7), key as unknown as jwt.Secret, { algorithms: [JWT.algorithm], issuer: JWT.issuer, audience: JWT.audience }) as jwt.JwtPayload;
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

const server = createServer((request, response) => {
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return send(200, { status: 'ok' });
  for (const route of routes) {
    const match = request.method === route.method ? route.pattern.exec(url.pathname) : null;
    if (!match) continue;
    const sub = subjectOf(request);
    if (route.auth && !sub) return send(401, { code: 'auth.invalid_token' });
    route.handle(db, { sub, params: match.groups ?? {}, query: url.searchParams }).then(
      (answer) => send(answer.status, answer.body),
      (error: Error) => send(500, { code: 'internal', detail: error.message }),
    );
    return;
  }
  send(404, { code: 'not_found' });
});

server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
