/**
 * `npm run migration:generate -- AddSomething`: migrates a scratch database to the latest
 * committed migration, compares it with the entities and writes the difference as a new
 * migration in migrations/, registered in migrations/index.ts. Uses DATABASE_URL when set
 * (it must point at a database that may be migrated), otherwise a throw-away embedded server.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDataSource } from '../data-source.js';
import { startEmbeddedServer } from '../embedded-server.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  process.stderr.write('usage: npm run migration:generate -- PascalCaseName\n');
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'exchange-migration-'));
const server = process.env.DATABASE_URL ? null : await startEmbeddedServer({ dataDir: join(scratch, 'pg'), secretsDir: scratch, fast: true });
const dataSource = createDataSource(process.env.DATABASE_URL ?? server!.url('postgres'));
try {
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    process.stdout.write('The entities and the migrations agree: nothing to generate.\n');
  } else {
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const q = (text: string) => '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map((query) => `    await queryRunner.query(${q(query.query)});`).join('\n');
    const down = [...sql.downQueries].reverse().map((query) => `    await queryRunner.query(${q(query.query)});`).join('\n');
    const file = `${timestamp}-${name}`;
    const root = resolve(process.cwd(), 'migrations');
    writeFileSync(
      join(root, `${file}.ts`),
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    const index = join(root, 'index.ts');
    const current = readFileSync(index, 'utf8');
    const imports = [...current.matchAll(/^import .*$/gm)].map((m) => m[0]);
    const names = [...current.matchAll(/^import \{ (\w+) \}/gm)].map((m) => m[1]);
    imports.push(`import { ${className} } from './${file}.js';`);
    names.push(className);
    writeFileSync(
      index,
      `// The ordered list of migrations; \`npm run migration:generate -- Name\` appends to it.\n${imports.join('\n')}\n\nexport const migrations = [\n${names.map((n) => `  ${n},`).join('\n')}\n];\n`,
    );
    process.stdout.write(`Wrote migrations/${file}.ts (${sql.upQueries.length} statements). Review it before committing.\n`);
  }
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
