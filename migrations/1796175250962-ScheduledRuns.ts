import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduledRuns1796175250962 implements MigrationInterface {
  name = 'ScheduledRuns1796175250962';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scheduled_runs" ("name" character varying(60) NOT NULL, "last_run_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6d232fa044802221f0422312c94" PRIMARY KEY ("name"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scheduled_runs"`);
  }
}
