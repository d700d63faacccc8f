import { createDataSource } from '../../src/database/data-source.js';
import { createEmptyDatabase } from '../harness/database.js';

describe('migrations', () => {
  it('build exactly the schema the entities describe, and roll back to nothing', async () => {
    const dataSource = createDataSource(await createEmptyDatabase());
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);

      for (let i = dataSource.migrations.length; i > 0; i--) await dataSource.undoLastMigration({ transaction: 'each' });
      const tables = (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`)) as unknown[];
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
