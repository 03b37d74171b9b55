import { Migration } from '@mikro-orm/migrations';

/** A job records its model params as trained: defaults resolved, the thread count injected. */
export class Migration20261216020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "training_jobs" add column "effective_params" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "training_jobs" drop column "effective_params";`);
  }
}
