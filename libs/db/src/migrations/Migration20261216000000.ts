import { Migration } from '@mikro-orm/migrations';

/** Datasets can be archived: hidden from lists and refused by new jobs, kept for the lineage of their models. */
export class Migration20261216000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "datasets" add column "archived_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "datasets" drop column "archived_at";`);
  }
}
