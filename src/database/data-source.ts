import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

/** How long a request waits for a database connection before it is answered 503. */
const CONNECTION_TIMEOUT_MS = 5000;

/**
 * Every pooled connection listens for its own errors from the moment it is made. pg-pool
 * stops listening when it hands a new connection out, and TypeORM starts only a few
 * promise turns later: a backend ended (pg_terminate_backend, a server shutting down) just
 * as it finished connecting sends its FATAL in the same read as its ready message, the
 * client emits 'error' with no one listening, and the process dies. What such an error
 * means is still handled where it matters: the pool drops the connection, the query on it
 * fails (answered 503).
 */
function listenForErrors(client: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  client.on('error', () => undefined);
}

/** The one definition of how the application talks to PostgreSQL. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    // pg pool options. A connection that cannot be made (or a pooled one that does not come
    // free) fails after CONNECTION_TIMEOUT_MS instead of making the request wait for ever;
    // keepAlive notices a database host that vanished under an idle connection.
    extra: { max: 20, application_name: 'exchange-api', connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, keepAlive: true, onConnect: listenForErrors },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
