import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgreementsAndPrograms1795849496166 implements MigrationInterface {
  name = 'AgreementsAndPrograms1795849496166';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."agreement_status" AS ENUM('draft', 'active', 'terminated')`);
    await queryRunner.query(`CREATE TABLE "agreements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(300) NOT NULL, "status" "public"."agreement_status" NOT NULL DEFAULT 'draft', "starts_on" date NOT NULL, "ends_on" date NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_by" uuid NOT NULL, "terminated_at" TIMESTAMP WITH TIME ZONE, "terminated_by" uuid, "termination_reason" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_agreements_dates" CHECK ("starts_on" < "ends_on"), CONSTRAINT "PK_01532f6c999d44c776e3d1fa4c8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_agreements_created" ON "agreements"  ("created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "agreement_partners" ("agreement_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_8be4e3271a0473eb04f2ab32b0c" PRIMARY KEY ("agreement_id", "institution_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_agreement_partners_institution" ON "agreement_partners"  ("institution_id", "agreement_id") `);
    await queryRunner.query(`CREATE TABLE "agreement_quotas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agreement_id" uuid NOT NULL, "from_institution_id" uuid NOT NULL, "to_institution_id" uuid NOT NULL, "academic_year" character(9) NOT NULL, "seats" integer NOT NULL, CONSTRAINT "CHK_agreement_quotas_direction" CHECK ("from_institution_id" <> "to_institution_id"), CONSTRAINT "CHK_agreement_quotas_seats" CHECK ("seats" >= 0), CONSTRAINT "PK_0e6dbb64f3eaab173b07b0a0938" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_agreement_quotas_direction_year" ON "agreement_quotas"  ("agreement_id", "from_institution_id", "to_institution_id", "academic_year") `);
    await queryRunner.query(`CREATE TABLE "agreement_approvals" ("agreement_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "approved_by" uuid NOT NULL, "approved_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "comment" text, CONSTRAINT "PK_bf51653d80d54f030ab2b3ea168" PRIMARY KEY ("agreement_id", "institution_id"))`);
    await queryRunner.query(`CREATE TABLE "agreement_versions" ("agreement_id" uuid NOT NULL, "version" integer NOT NULL, "snapshot" jsonb NOT NULL, "superseded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "superseded_by" uuid NOT NULL, CONSTRAINT "PK_98e72b1ca564c47e1b245c58902" PRIMARY KEY ("agreement_id", "version"))`);
    await queryRunner.query(`CREATE TYPE "public"."program_accommodation" AS ENUM('host_family', 'residence', 'none')`);
    await queryRunner.query(`CREATE TYPE "public"."program_status" AS ENUM('draft', 'published', 'closed', 'cancelled')`);
    await queryRunner.query(`CREATE TABLE "programs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agreement_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "description" text NOT NULL DEFAULT '', "sending_institution_id" uuid NOT NULL, "receiving_institution_id" uuid NOT NULL, "academic_year" character(9) NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "application_opens_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "application_closes_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "seats" integer NOT NULL, "language_requirement" jsonb, "required_documents" text array NOT NULL DEFAULT '{}', "accommodation" "public"."program_accommodation" NOT NULL DEFAULT 'none', "requires_learning_agreement" boolean NOT NULL DEFAULT false, "status" "public"."program_status" NOT NULL DEFAULT 'draft', "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_programs_direction" CHECK ("sending_institution_id" <> "receiving_institution_id"), CONSTRAINT "CHK_programs_seats" CHECK ("seats" >= 1), CONSTRAINT "CHK_programs_dates" CHECK ("starts_on" < "ends_on" AND "application_opens_at" < "application_closes_at"), CONSTRAINT "PK_d43c664bcaafc0e8a06dfd34e05" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_programs_starts" ON "programs"  ("starts_on", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_programs_receiving" ON "programs"  ("receiving_institution_id", "starts_on", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_programs_sending" ON "programs"  ("sending_institution_id", "starts_on", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_programs_direction" ON "programs"  ("agreement_id", "sending_institution_id", "receiving_institution_id", "academic_year") `);
    await queryRunner.query(`ALTER TABLE "agreement_partners" ADD CONSTRAINT "FK_afb2021f44d08806d4801afa866" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_partners" ADD CONSTRAINT "FK_7cbb8c118d1b0f56ec8bd440598" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" ADD CONSTRAINT "FK_9fc8616629fd2aa245305614fd3" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" ADD CONSTRAINT "FK_b9452c315e027f38ca691eeee4e" FOREIGN KEY ("from_institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" ADD CONSTRAINT "FK_e1b4fe0ff09dc7f97f1eeb414ec" FOREIGN KEY ("to_institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_approvals" ADD CONSTRAINT "FK_6a94d40c72806282a363527c7de" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agreement_versions" ADD CONSTRAINT "FK_b5498431a4ab6908eeec22e7303" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "programs" ADD CONSTRAINT "FK_03101cdf0c6861e21adb5079cfe" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "programs" ADD CONSTRAINT "FK_2ed070da48d1a86159cfb54fd53" FOREIGN KEY ("sending_institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "programs" ADD CONSTRAINT "FK_c3a3e13f8eb804e0a1a52ba2be0" FOREIGN KEY ("receiving_institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_c3a3e13f8eb804e0a1a52ba2be0"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_2ed070da48d1a86159cfb54fd53"`);
    await queryRunner.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_03101cdf0c6861e21adb5079cfe"`);
    await queryRunner.query(`ALTER TABLE "agreement_versions" DROP CONSTRAINT "FK_b5498431a4ab6908eeec22e7303"`);
    await queryRunner.query(`ALTER TABLE "agreement_approvals" DROP CONSTRAINT "FK_6a94d40c72806282a363527c7de"`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" DROP CONSTRAINT "FK_e1b4fe0ff09dc7f97f1eeb414ec"`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" DROP CONSTRAINT "FK_b9452c315e027f38ca691eeee4e"`);
    await queryRunner.query(`ALTER TABLE "agreement_quotas" DROP CONSTRAINT "FK_9fc8616629fd2aa245305614fd3"`);
    await queryRunner.query(`ALTER TABLE "agreement_partners" DROP CONSTRAINT "FK_7cbb8c118d1b0f56ec8bd440598"`);
    await queryRunner.query(`ALTER TABLE "agreement_partners" DROP CONSTRAINT "FK_afb2021f44d08806d4801afa866"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_programs_direction"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_programs_sending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_programs_receiving"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_programs_starts"`);
    await queryRunner.query(`DROP TABLE "programs"`);
    await queryRunner.query(`DROP TYPE "public"."program_status"`);
    await queryRunner.query(`DROP TYPE "public"."program_accommodation"`);
    await queryRunner.query(`DROP TABLE "agreement_versions"`);
    await queryRunner.query(`DROP TABLE "agreement_approvals"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_agreement_quotas_direction_year"`);
    await queryRunner.query(`DROP TABLE "agreement_quotas"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreement_partners_institution"`);
    await queryRunner.query(`DROP TABLE "agreement_partners"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_agreements_created"`);
    await queryRunner.query(`DROP TABLE "agreements"`);
    await queryRunner.query(`DROP TYPE "public"."agreement_status"`);
  }
}
