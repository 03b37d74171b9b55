import { Migration } from '@mikro-orm/migrations';

/** A model version can carry a label (e.g. "v3.0") and a description. */
export class Migration20261216010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "model_versions" add column "label" text null, add column "description" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "model_versions" drop column "label", drop column "description";`);
  }
}
