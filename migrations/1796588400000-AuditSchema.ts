import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log in a schema of its own: the owner of a schema may drop any table in it,
 * and the application's role owns `public` (it owns the database). At start, the
 * superuser hands `audit` and its tables to a role the application is not
 * (src/database/app-role.ts, protectAuditLog).
 */
export class AuditSchema1796588400000 implements MigrationInterface {
  name = 'AuditSchema1796588400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA "audit"`);
    await queryRunner.query(`ALTER TABLE "public"."audit_log" SET SCHEMA "audit"`);
    await queryRunner.query(`ALTER TABLE "public"."audit_chain" SET SCHEMA "audit"`);
    await queryRunner.query(`ALTER FUNCTION "public"."audit_log_append_only"() SET SCHEMA "audit"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION "audit"."audit_log_append_only"() SET SCHEMA "public"`);
    await queryRunner.query(`ALTER TABLE "audit"."audit_chain" SET SCHEMA "public"`);
    await queryRunner.query(`ALTER TABLE "audit"."audit_log" SET SCHEMA "public"`);
    await queryRunner.query(`DROP SCHEMA "audit"`);
  }
}
