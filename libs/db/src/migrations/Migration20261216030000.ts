import { Migration } from '@mikro-orm/migrations';

/** Tokens may expire. */
export class Migration20261216030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop column "expires_at";`);
  }
}
