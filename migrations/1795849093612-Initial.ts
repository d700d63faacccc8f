import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795849093612 implements MigrationInterface {
  name = 'Initial1795849093612';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."institution_kind" AS ENUM('university', 'school')`);
    await queryRunner.query(`CREATE TABLE "institutions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "short_name" character varying(50) NOT NULL, "city" character varying(100) NOT NULL, "country" character(2) NOT NULL, "kind" "public"."institution_kind" NOT NULL, "timezone" character varying(64) NOT NULL, "schac_code" character varying(100), "erasmus_code" character varying(30), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0be7539dcdba335470dc05e9690" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_institutions_name" ON "institutions"  ("name") `);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('admin', 'coordinator', 'host_school', 'host_family', 'student')`);
    await queryRunner.query(`CREATE TYPE "public"."user_locale" AS ENUM('en', 'fr', 'ru')`);
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "password_hash" character varying(255), "full_name" character varying(200) NOT NULL, "role" "public"."user_role" NOT NULL, "institution_id" uuid, "host_family_id" uuid, "locale" "public"."user_locale" NOT NULL DEFAULT 'en', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users"  ("email") `);
    await queryRunner.query(`CREATE INDEX "IDX_users_institution_email" ON "users"  ("institution_id", "email") `);
    await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_refresh_tokens_user" ON "refresh_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_refresh_tokens_family" ON "refresh_tokens"  ("family_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "idempotency_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "scope" character varying(100) NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "status_code" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_9ae4e93699362b0d4e3da3dd1c2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_idempotency_records_created" ON "idempotency_records"  ("created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_idempotency_records_scope_key" ON "idempotency_records"  ("scope", "key") `);
    await queryRunner.query(`CREATE TABLE "rate_limit_buckets" ("key" character varying(300) NOT NULL, "hits" integer NOT NULL, "resets_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9eb2f8a2ae370667b4ca83dd313" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_rate_limit_buckets_resets_at" ON "rate_limit_buckets"  ("resets_at") `);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_822972ceea1fda0973b8acc7bbe" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_822972ceea1fda0973b8acc7bbe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_rate_limit_buckets_resets_at"`);
    await queryRunner.query(`DROP TABLE "rate_limit_buckets"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_idempotency_records_scope_key"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_idempotency_records_created"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_refresh_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_refresh_tokens_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_refresh_tokens_user"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_users_institution_email"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_locale"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_institutions_name"`);
    await queryRunner.query(`DROP TABLE "institutions"`);
    await queryRunner.query(`DROP TYPE "public"."institution_kind"`);
  }
}
