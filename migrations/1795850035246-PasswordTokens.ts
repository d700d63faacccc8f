import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordTokens1795850035246 implements MigrationInterface {
  name = 'PasswordTokens1795850035246';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "password_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_816120c39410c02dabd34b8672b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_password_tokens_user" ON "password_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_password_tokens_hash" ON "password_tokens"  ("token_hash") `);
    await queryRunner.query(`ALTER TABLE "password_tokens" ADD CONSTRAINT "FK_5ac1fd8593c46bf145b2b886195" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "password_tokens" DROP CONSTRAINT "FK_5ac1fd8593c46bf145b2b886195"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_password_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_password_tokens_user"`);
    await queryRunner.query(`DROP TABLE "password_tokens"`);
  }
}
