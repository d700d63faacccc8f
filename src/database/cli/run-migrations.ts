/** `npm run migration:run`: applies pending migrations to DATABASE_URL (or the embedded server). */
import { loadSettings } from '../../config/settings.js';
import { openDatabaseServer } from '../database-server.js';
import { createDataSource } from '../data-source.js';

const settings = loadSettings();
const server = await openDatabaseServer(settings, { debug: () => undefined, warn: (line) => process.stderr.write(`${line}\n`) });
const dataSource = createDataSource(server.url);
try {
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  process.stdout.write(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}\n` : 'No pending migration.\n');
  await server.afterMigrations();
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  await server.stop();
}
