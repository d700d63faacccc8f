import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PrivacyLookups1796588100185 implements MigrationInterface {
  name = 'PrivacyLookups1796588100185';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_notifications_object" ON "notifications"  ("object_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_mail_jobs_notification" ON "mail_jobs"  ("notification_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_mail_jobs_to" ON "mail_jobs"  ("to_address") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_jobs_to"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_jobs_notification"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_object"`);
  }
}
