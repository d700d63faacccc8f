import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApplicationListIndexes1795850970109 implements MigrationInterface {
  name = 'ApplicationListIndexes1795850970109';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_receiving"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_sending"`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_created" ON "applications"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_host_school" ON "applications"  ("receiving_institution_id", "created_at", "id") WHERE accepted_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_incoming" ON "applications"  ("receiving_institution_id", "created_at", "id") WHERE nominated_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_outgoing" ON "applications"  ("sending_institution_id", "created_at", "id") WHERE submitted_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_outgoing"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_incoming"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_host_school"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_applications_created"`);
    await queryRunner.query(`CREATE INDEX "IDX_applications_sending" ON "applications" ("sending_institution_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_applications_receiving" ON "applications" ("receiving_institution_id", "created_at", "id") `);
  }
}
