import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1796587099719 implements MigrationInterface {
  name = 'AuditLog1796587099719';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL, "seq" bigint NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_role" character varying(20), "action" character varying(60) NOT NULL, "target_type" character varying(30) NOT NULL, "target_id" uuid, "institution_ids" uuid array NOT NULL DEFAULT '{}', "from_status" character varying(30), "to_status" character varying(30), "comment" text, "details" jsonb, "request_id" character varying(100), "client_address" character varying(64), "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_action" ON "audit_log"  ("action", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_target" ON "audit_log"  ("target_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_actor" ON "audit_log"  ("actor_id", "seq") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_audit_log_seq" ON "audit_log"  ("seq") `);
    await queryRunner.query(`CREATE TABLE "audit_chain" ("id" smallint NOT NULL, "seq" bigint NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "CHK_audit_chain_single" CHECK (id = 1), CONSTRAINT "PK_b8d1381b52157dc73c080e39f09" PRIMARY KEY ("id"))`);
    // Written by hand: what the entities cannot say.
    // The coordinators' filter: entries of objects of one institution.
    await queryRunner.query(`CREATE INDEX "IDX_audit_log_institutions" ON "audit_log" USING gin ("institution_ids")`);
    // The chain's head, before any entry: seq 0 and the genesis hash.
    await queryRunner.query(`INSERT INTO "audit_chain" ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64))`);
    // Append-only: no UPDATE, DELETE or TRUNCATE of an entry, whoever asks (a superuser can
    // still disable the trigger; the hash chain is what then tells). The head row is only
    // ever moved forward, never removed.
    await queryRunner.query(`CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_change" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_chain_no_delete" BEFORE DELETE ON "audit_chain" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_chain_no_truncate" BEFORE TRUNCATE ON "audit_chain" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`);
    // And the role that runs the migrations (the application's) holds no such privilege.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM PUBLIC, CURRENT_USER`);
    await queryRunner.query(`REVOKE INSERT, DELETE, TRUNCATE ON "audit_chain" FROM PUBLIC, CURRENT_USER`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_chain_no_truncate" ON "audit_chain"`);
    await queryRunner.query(`DROP TRIGGER "audit_chain_no_delete" ON "audit_chain"`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_truncate" ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_change" ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_institutions"`);
    await queryRunner.query(`DROP TABLE "audit_chain"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_seq"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_actor"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_action"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
