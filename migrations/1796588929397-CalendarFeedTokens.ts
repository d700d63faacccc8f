import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarFeedTokens1796588929397 implements MigrationInterface {
  name = 'CalendarFeedTokens1796588929397';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "calendar_feed_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19357e4b3fb7d99faaa618f4616" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_calendar_feed_tokens_hash" ON "calendar_feed_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_calendar_feed_tokens_user" ON "calendar_feed_tokens"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "calendar_feed_tokens" ADD CONSTRAINT "FK_91dd5d95930f79852080990fd66" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calendar_feed_tokens" DROP CONSTRAINT "FK_91dd5d95930f79852080990fd66"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_calendar_feed_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_calendar_feed_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "calendar_feed_tokens"`);
  }
}
