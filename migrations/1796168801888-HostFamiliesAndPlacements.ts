import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HostFamiliesAndPlacements1796168801888 implements MigrationInterface {
  name = 'HostFamiliesAndPlacements1796168801888';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."host_family_gender_preference" AS ENUM('any', 'female', 'male')`);
    await queryRunner.query(`CREATE TYPE "public"."host_family_status" AS ENUM('pending_vetting', 'approved', 'rejected', 'suspended')`);
    await queryRunner.query(`CREATE TABLE "host_families" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "institution_id" uuid NOT NULL, "display_name" character varying(200) NOT NULL, "contact_email" character varying(254) NOT NULL, "contact_phone" character varying(40) NOT NULL, "address" jsonb NOT NULL, "capacity" integer NOT NULL, "languages" text array NOT NULL DEFAULT '{}', "has_pets" boolean NOT NULL DEFAULT false, "pet_types" text array NOT NULL DEFAULT '{}', "smoking_household" boolean NOT NULL DEFAULT false, "diets_supported" text array NOT NULL DEFAULT '{}', "accepts_minors" boolean NOT NULL DEFAULT false, "gender_preference" "public"."host_family_gender_preference" NOT NULL DEFAULT 'any', "available_from" date NOT NULL, "available_to" date NOT NULL, "commute_minutes" integer, "status" "public"."host_family_status" NOT NULL DEFAULT 'pending_vetting', "vetting_expires_on" date, "suspension_reason" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_host_families_availability" CHECK ("available_from" <= "available_to"), CONSTRAINT "CHK_host_families_capacity" CHECK ("capacity" BETWEEN 1 AND 20), CONSTRAINT "PK_ef596eb155dde5213c55d231db4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_host_families_matching" ON "host_families"  ("institution_id", "vetting_expires_on") WHERE status = 'approved'`);
    await queryRunner.query(`CREATE INDEX "IDX_host_families_institution_name" ON "host_families"  ("institution_id", "display_name", "id") `);
    await queryRunner.query(`CREATE TYPE "public"."host_family_vetting_outcome" AS ENUM('approved', 'rejected')`);
    await queryRunner.query(`CREATE TABLE "host_family_vettings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "host_family_id" uuid NOT NULL, "background_check_on" date NOT NULL, "home_visit_on" date NOT NULL, "outcome" "public"."host_family_vetting_outcome" NOT NULL, "notes" text NOT NULL DEFAULT '', "expires_on" date NOT NULL, "recorded_by" uuid, "recorder_role" character varying(20) NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85c96cc5bcb5e8f702db97bbf6a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_host_family_vettings_family" ON "host_family_vettings"  ("host_family_id", "recorded_at") `);
    await queryRunner.query(`CREATE TYPE "public"."placement_status" AS ENUM('proposed', 'accepted', 'declined', 'cancelled', 'ended')`);
    await queryRunner.query(`CREATE TABLE "placements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "host_family_id" uuid NOT NULL, "student_id" uuid NOT NULL, "receiving_institution_id" uuid NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "status" "public"."placement_status" NOT NULL DEFAULT 'proposed', "accepted_at" TIMESTAMP(3) WITH TIME ZONE, "ended_on" date, "reason" text, "proposed_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_placements_dates" CHECK ("starts_on" <= "ends_on"), CONSTRAINT "PK_91cca43a1baa03ee278d7be74da" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_placements_application" ON "placements"  ("application_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_placements_student" ON "placements"  ("student_id", "created_at", "id") WHERE accepted_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_placements_family" ON "placements"  ("host_family_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_placements_institution" ON "placements"  ("receiving_institution_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_placements_family_live" ON "placements"  ("host_family_id", "starts_on", "ends_on") WHERE status IN ('proposed', 'accepted')`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_placements_live_application" ON "placements"  ("application_id") WHERE status IN ('proposed', 'accepted')`);
    await queryRunner.query(`ALTER TABLE "application_history" ADD "details" jsonb`);
    await queryRunner.query(`ALTER TABLE "host_families" ADD CONSTRAINT "FK_581848f5c82377c7a729b156e60" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "host_family_vettings" ADD CONSTRAINT "FK_ee44420ea21d305b8a484cbadbc" FOREIGN KEY ("host_family_id") REFERENCES "host_families"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "host_family_vettings" ADD CONSTRAINT "FK_451450ef93db6ed7e3a7ee13391" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_0914c4f6c655447c4eac7ad9f87" FOREIGN KEY ("host_family_id") REFERENCES "host_families"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "placements" ADD CONSTRAINT "FK_642cd21ae8a022a801ce685b91d" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "placements" ADD CONSTRAINT "FK_cb7ed411ae6f6bac3bd1687fe30" FOREIGN KEY ("host_family_id") REFERENCES "host_families"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "placements" DROP CONSTRAINT "FK_cb7ed411ae6f6bac3bd1687fe30"`);
    await queryRunner.query(`ALTER TABLE "placements" DROP CONSTRAINT "FK_642cd21ae8a022a801ce685b91d"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_0914c4f6c655447c4eac7ad9f87"`);
    await queryRunner.query(`ALTER TABLE "host_family_vettings" DROP CONSTRAINT "FK_451450ef93db6ed7e3a7ee13391"`);
    await queryRunner.query(`ALTER TABLE "host_family_vettings" DROP CONSTRAINT "FK_ee44420ea21d305b8a484cbadbc"`);
    await queryRunner.query(`ALTER TABLE "host_families" DROP CONSTRAINT "FK_581848f5c82377c7a729b156e60"`);
    await queryRunner.query(`ALTER TABLE "application_history" DROP COLUMN "details"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_placements_live_application"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_placements_family_live"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_placements_institution"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_placements_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_placements_student"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_placements_application"`);
    await queryRunner.query(`DROP TABLE "placements"`);
    await queryRunner.query(`DROP TYPE "public"."placement_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_host_family_vettings_family"`);
    await queryRunner.query(`DROP TABLE "host_family_vettings"`);
    await queryRunner.query(`DROP TYPE "public"."host_family_vetting_outcome"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_host_families_institution_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_host_families_matching"`);
    await queryRunner.query(`DROP TABLE "host_families"`);
    await queryRunner.query(`DROP TYPE "public"."host_family_status"`);
    await queryRunner.query(`DROP TYPE "public"."host_family_gender_preference"`);
  }
}
