import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The client address of an audit entry can be erased with the person who acted (set to
 * null), like a comment naming a person: the chain covers the address's SHA-256
 * (`client_address_sha256`), so the value may go while any other change still shows.
 */
export class AuditAddressErasure1796592000000 implements MigrationInterface {
  name = 'AuditAddressErasure1796592000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit"."audit_log" ADD "client_address_sha256" character(64)`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "audit"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The one change let through: an entry's comment or client address erased (set to null), everything else as it was.
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' THEN
          IF (to_jsonb(NEW) - 'comment' - 'client_address') = (to_jsonb(OLD) - 'comment' - 'client_address')
             AND ((to_jsonb(NEW) -> 'comment') = (to_jsonb(OLD) -> 'comment') OR (to_jsonb(NEW) ->> 'comment') IS NULL)
             AND ((to_jsonb(NEW) -> 'client_address') = (to_jsonb(OLD) -> 'client_address') OR (to_jsonb(NEW) ->> 'client_address') IS NULL) THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`GRANT UPDATE ("client_address") ON "audit"."audit_log" TO CURRENT_USER`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE UPDATE ("client_address") ON "audit"."audit_log" FROM CURRENT_USER`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "audit"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' THEN
          IF (to_jsonb(NEW) ->> 'comment') IS NULL AND (to_jsonb(NEW) - 'comment') = (to_jsonb(OLD) - 'comment') THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`ALTER TABLE "audit"."audit_log" DROP COLUMN "client_address_sha256"`);
  }
}
