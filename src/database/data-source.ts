import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

/** How long a request waits for a database connection before it is answered 503. */
const CONNECTION_TIMEOUT_MS = 5000;

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
    extra: { max: 20, application_name: 'exchange-api', connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, keepAlive: true },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
