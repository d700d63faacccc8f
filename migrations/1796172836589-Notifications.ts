import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1796172836589 implements MigrationInterface {
  name = 'Notifications1796172836589';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" character varying(60) NOT NULL, "object_type" character varying(30) NOT NULL, "object_id" uuid, "params" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_notifications_unread" ON "notifications"  ("user_id", "created_at", "id") WHERE read_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_notifications_user" ON "notifications"  ("user_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TYPE "public"."mail_job_status" AS ENUM('queued', 'sending', 'sent', 'dead')`);
    await queryRunner.query(`CREATE TABLE "mail_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notification_id" uuid, "kind" character varying(60) NOT NULL, "to_address" character varying(254) NOT NULL, "subject" text NOT NULL, "text" text, "html" text, "message_id" character varying(200) NOT NULL, "status" "public"."mail_job_status" NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "locked_until" TIMESTAMP(3) WITH TIME ZONE, "last_error" text, "sent_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_00b07e7a4a840474700d5dbf90e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_mail_jobs_status" ON "mail_jobs"  ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_mail_jobs_due" ON "mail_jobs"  ("next_attempt_at") WHERE status IN ('queued', 'sending')`);
    await queryRunner.query(`CREATE TABLE "reminders_sent" ("kind" character varying(60) NOT NULL, "object_id" uuid NOT NULL, "user_id" uuid NOT NULL, "sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f27ac812f27e17e9a6f1dd1ce7" PRIMARY KEY ("kind", "object_id", "user_id"))`);
    await queryRunner.query(`ALTER TABLE "users" ADD "notification_preferences" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "notification_preferences"`);
    await queryRunner.query(`DROP TABLE "reminders_sent"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_jobs_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_jobs_status"`);
    await queryRunner.query(`DROP TABLE "mail_jobs"`);
    await queryRunner.query(`DROP TYPE "public"."mail_job_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_unread"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
