import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Applications1795850705617 implements MigrationInterface {
  name = 'Applications1795850705617';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."application_status" AS ENUM('draft', 'submitted', 'nominated', 'waitlisted', 'accepted', 'confirmed', 'arrived', 'completed', 'rejected', 'declined', 'withdrawn', 'cancelled')`);
    await queryRunner.query(`CREATE TYPE "public"."application_gender" AS ENUM('female', 'male', 'other')`);
    await queryRunner.query(`CREATE TABLE "applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "program_id" uuid NOT NULL, "student_id" uuid NOT NULL, "sending_institution_id" uuid NOT NULL, "receiving_institution_id" uuid NOT NULL, "status" "public"."application_status" NOT NULL DEFAULT 'draft', "motivation" text NOT NULL DEFAULT '', "language_levels" jsonb NOT NULL DEFAULT '[]', "date_of_birth" date, "gender" "public"."application_gender", "matching_profile" jsonb, "submitted_at" TIMESTAMP(3) WITH TIME ZONE, "nominated_at" TIMESTAMP(3) WITH TIME ZONE, "accepted_at" TIMESTAMP(3) WITH TIME ZONE, "arrived_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_938c0a27255637bde919591888f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_program_status" ON "applications"  ("program_id", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_receiving" ON "applications"  ("receiving_institution_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_sending" ON "applications"  ("sending_institution_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_student" ON "applications"  ("student_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_applications_program_student" ON "applications"  ("program_id", "student_id") `);
    await queryRunner.query(`CREATE TABLE "application_history" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "application_id" uuid NOT NULL, "action" character varying(30) NOT NULL, "from_status" character varying(20), "to_status" character varying(20) NOT NULL, "actor_id" uuid, "actor_role" character varying(20) NOT NULL, "comment" text, "reason" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cfaef81d8ab33ced714ecda2486" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_application_history_application" ON "application_history"  ("application_id", "seq") `);
    await queryRunner.query(`CREATE TYPE "public"."document_type" AS ENUM('transcript', 'motivation_letter', 'passport', 'language_certificate', 'insurance', 'parental_consent', 'transcript_of_records', 'other')`);
    await queryRunner.query(`CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "type" "public"."document_type" NOT NULL, "file_name" character varying(255) NOT NULL, "media_type" character varying(50) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "storage_key" uuid NOT NULL, "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_documents_application" ON "documents"  ("application_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "document_downloads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_id" uuid NOT NULL, "user_id" uuid NOT NULL, "user_role" character varying(20) NOT NULL, "downloaded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0ea2f1e4e5dbf16c11e554c3713" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_document_downloads_document" ON "document_downloads"  ("document_id", "downloaded_at") `);
    await queryRunner.query(`CREATE TABLE "learning_agreements" ("application_id" uuid NOT NULL, "version" integer NOT NULL DEFAULT '1', "components" jsonb NOT NULL DEFAULT '[]', "recognized_components" jsonb NOT NULL DEFAULT '[]', "signatures" jsonb NOT NULL DEFAULT '[]', "updated_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8b482b856ebf0ff2cef8cf0a25c" PRIMARY KEY ("application_id"))`);
    await queryRunner.query(`CREATE TABLE "learning_agreement_versions" ("application_id" uuid NOT NULL, "version" integer NOT NULL, "components" jsonb NOT NULL, "recognized_components" jsonb NOT NULL, "signatures" jsonb NOT NULL, "superseded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "superseded_by" uuid NOT NULL, CONSTRAINT "PK_290cb0aa08222015eaedc54a354" PRIMARY KEY ("application_id", "version"))`);
    await queryRunner.query(`ALTER TABLE "applications" ADD CONSTRAINT "FK_1cb4cb9e96a4bcfc8eb05756d13" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "applications" ADD CONSTRAINT "FK_791e5e9cf054d0295ebfe4491a9" FOREIGN KEY ("student_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "application_history" ADD CONSTRAINT "FK_4a6160211e82c84440ff4f7d804" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "documents" ADD CONSTRAINT "FK_723c3078829240efb0f35eb4c9d" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "document_downloads" ADD CONSTRAINT "FK_3b0cb22d83f9e534eebc1957610" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "learning_agreements" ADD CONSTRAINT "FK_8b482b856ebf0ff2cef8cf0a25c" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "learning_agreements" DROP CONSTRAINT "FK_8b482b856ebf0ff2cef8cf0a25c"`);
    await queryRunner.query(`ALTER TABLE "document_downloads" DROP CONSTRAINT "FK_3b0cb22d83f9e534eebc1957610"`);
    await queryRunner.query(`ALTER TABLE "documents" DROP CONSTRAINT "FK_723c3078829240efb0f35eb4c9d"`);
    await queryRunner.query(`ALTER TABLE "application_history" DROP CONSTRAINT "FK_4a6160211e82c84440ff4f7d804"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "FK_791e5e9cf054d0295ebfe4491a9"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "FK_1cb4cb9e96a4bcfc8eb05756d13"`);
    await queryRunner.query(`DROP TABLE "learning_agreement_versions"`);
    await queryRunner.query(`DROP TABLE "learning_agreements"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_document_downloads_document"`);
    await queryRunner.query(`DROP TABLE "document_downloads"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_documents_application"`);
    await queryRunner.query(`DROP TABLE "documents"`);
    await queryRunner.query(`DROP TYPE "public"."document_type"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_application_history_application"`);
    await queryRunner.query(`DROP TABLE "application_history"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_applications_program_student"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_student"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_sending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_receiving"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_program_status"`);
    await queryRunner.query(`DROP TABLE "applications"`);
    await queryRunner.query(`DROP TYPE "public"."application_gender"`);
    await queryRunner.query(`DROP TYPE "public"."application_status"`);
  }
}
