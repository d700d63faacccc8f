import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Arrivals1796170853964 implements MigrationInterface {
  name = 'Arrivals1796170853964';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."checklist_responsible" AS ENUM('host_family', 'host_school')`);
    await queryRunner.query(`CREATE TABLE "checklist_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "sequence" integer NOT NULL DEFAULT '1', "due_on" date NOT NULL, "provisional" boolean NOT NULL DEFAULT false, "responsible" "public"."checklist_responsible" NOT NULL, "host_family_id" uuid, "completed_at" TIMESTAMP(3) WITH TIME ZONE, "completed_by" uuid, "completed_by_role" character varying(20), "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bae00945a1d4789bd648e583e29" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_checklist_items_open" ON "checklist_items"  ("due_on") WHERE completed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_checklist_items_application" ON "checklist_items"  ("application_id", "due_on", "code", "sequence") `);
    await queryRunner.query(`ALTER TABLE "applications" ADD "travel" jsonb`);
    await queryRunner.query(`ALTER TABLE "applications" ADD "expected_arrival_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_arrivals" ON "applications"  ("receiving_institution_id", "expected_arrival_at", "id") WHERE expected_arrival_at IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "checklist_items" ADD CONSTRAINT "FK_a35518fac95646009f3f5da5c32" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "checklist_items" DROP CONSTRAINT "FK_a35518fac95646009f3f5da5c32"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_arrivals"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP COLUMN "expected_arrival_at"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP COLUMN "travel"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_checklist_items_application"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_checklist_items_open"`);
    await queryRunner.query(`DROP TABLE "checklist_items"`);
    await queryRunner.query(`DROP TYPE "public"."checklist_responsible"`);
  }
}
