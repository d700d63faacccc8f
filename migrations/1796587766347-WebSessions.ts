import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebSessions1796587766347 implements MigrationInterface {
  name = 'WebSessions1796587766347';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "web_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3ae6bbf6cb5ac95b7f617d395d3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_web_sessions_hash" ON "web_sessions"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_web_sessions_user" ON "web_sessions"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "web_sessions" ADD CONSTRAINT "FK_099af5f73522b589358b3d1189f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "web_sessions" DROP CONSTRAINT "FK_099af5f73522b589358b3d1189f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_web_sessions_user"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_web_sessions_hash"`);
    await queryRunner.query(`DROP TABLE "web_sessions"`);
  }
}
