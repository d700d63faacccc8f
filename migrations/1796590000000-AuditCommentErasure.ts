import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit entry's comment can be erased (set to null) when it names a person whose data is
 * erased, and nothing else about an entry can change: the chain covers the comment's
 * SHA-256 (`comment_sha256`), so the text may go while any other change still shows.
 */
export class AuditCommentErasure1796590000000 implements MigrationInterface {
  name = 'AuditCommentErasure1796590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit"."audit_log" ADD "comment_sha256" character(64)`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "audit"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The one change let through: an entry's comment erased, everything else as it was.
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' THEN
          IF (to_jsonb(NEW) ->> 'comment') IS NULL AND (to_jsonb(NEW) - 'comment') = (to_jsonb(OLD) - 'comment') THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "audit"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`ALTER TABLE "audit"."audit_log" DROP COLUMN "comment_sha256"`);
  }
}
