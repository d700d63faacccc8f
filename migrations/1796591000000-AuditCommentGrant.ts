import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role that ran the migrations (the application's, with DATABASE_URL) may erase a
 * comment of the audit log: the AuditLog migration took every UPDATE from it. Where the
 * audit tables have been handed to their own owner since (protectAuditLog), the owner's
 * grant stands and this one grants nothing.
 */
export class AuditCommentGrant1796591000000 implements MigrationInterface {
  name = 'AuditCommentGrant1796591000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT UPDATE ("comment") ON "audit"."audit_log" TO CURRENT_USER`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE UPDATE ("comment") ON "audit"."audit_log" FROM CURRENT_USER`);
  }
}
