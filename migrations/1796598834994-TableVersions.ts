import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The version of the institutions table (entity TableVersion), one more on every statement
 * that writes it, in the writing transaction: a trigger, so that every writer counts (the
 * API, another instance on the same database, a script). The API answers GET /institutions
 * from what it read at a version as long as that version is the current one.
 */
export class TableVersions1796598834994 implements MigrationInterface {
  name = 'TableVersions1796598834994';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "table_versions" ("table_name" character varying(63) NOT NULL, "version" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_cd39562f380ba15aa765b587a61" PRIMARY KEY ("table_name"))`);
    await queryRunner.query(`CREATE FUNCTION "table_version_bump"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO "table_versions" ("table_name", "version") VALUES (TG_TABLE_NAME, 1)
          ON CONFLICT ("table_name") DO UPDATE SET "version" = "table_versions"."version" + 1;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`INSERT INTO "table_versions" ("table_name", "version") VALUES ('institutions', 0)`);
    await queryRunner.query(`CREATE TRIGGER "institutions_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "institutions" FOR EACH STATEMENT EXECUTE FUNCTION "table_version_bump"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "institutions_version" ON "institutions"`);
    await queryRunner.query(`DROP FUNCTION "table_version_bump"()`);
    await queryRunner.query(`DROP TABLE "table_versions"`);
  }
}
