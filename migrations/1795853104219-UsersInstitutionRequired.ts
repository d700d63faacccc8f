import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersInstitutionRequired1795853104219 implements MigrationInterface {
  name = 'UsersInstitutionRequired1795853104219';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "CHK_users_institution" CHECK ("role" = 'admin' OR "institution_id" IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CHK_users_institution"`);
  }
}
