import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ErasedAccounts1796587237486 implements MigrationInterface {
  name = 'ErasedAccounts1796587237486';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "erased_at" TIMESTAMP(3) WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "erased_at"`);
  }
}
