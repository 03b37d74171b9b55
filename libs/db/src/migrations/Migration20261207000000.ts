import { Migration } from '@mikro-orm/migrations';

/**
 * Data moves from the shared data dir to the object store: a dataset's file is named by its object key (the same
 * relative path as before), and a model version records its ONNX and plan objects with their sha256, so every
 * reader can check what it fetched. A study that fails says why.
 */
export class Migration20261207000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "datasets" rename column "storage_path" to "storage_key";`);
    this.addSql(`alter table "model_versions" add column "artifact" jsonb null, add column "plan" jsonb null;`);
    // Versions registered before kept their files under artifacts/ in the data dir; their objects are named alike.
    this.addSql(`update "model_versions" set
      "artifact" = jsonb_build_object('key', "artifact_path", 'sha256', "sha256", 'size', "size_bytes", 'encoding', 'identity')
      where "artifact" is null;`);
    this.addSql(`alter table "model_versions" alter column "artifact" set not null, drop column "artifact_path", drop column "plan_path";`);
    this.addSql(`alter table "studies" add column "error" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "studies" drop column "error";`);
    this.addSql(`alter table "model_versions" add column "artifact_path" text null, add column "plan_path" text null;`);
    this.addSql(`update "model_versions" set "artifact_path" = "artifact"->>'key', "plan_path" = "plan"->>'key';`);
    this.addSql(`alter table "model_versions" alter column "artifact_path" set not null, drop column "artifact", drop column "plan";`);
    this.addSql(`alter table "datasets" rename column "storage_key" to "storage_path";`);
  }
}
