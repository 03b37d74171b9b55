import { Migration } from '@mikro-orm/migrations';

const SEARCH_TEXT = `"name" || ' ' || coalesce("notes", '') || ' ' || coalesce("error"->>'message', '')`;

/**
 * Issue 20: a model version keeps its engine model (later runs build on it); a job records its training-split
 * metrics, class distribution, deploy-rule outcome and when training began (for its estimated completion); `?q=`
 * searches jobs through a trigram index (pg_trgm ships with PostgreSQL and is a trusted extension).
 */
export class Migration20261215000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "model_versions" add column "engine_model" jsonb null;`);
    this.addSql(`alter table "training_jobs" add column "train_metrics" jsonb null, add column "class_distribution" jsonb null, add column "deployment_ready" boolean null, add column "train_started_at" timestamptz null;`);
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "training_jobs_search_index" on "training_jobs" using gin ((${SEARCH_TEXT}) gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    // pg_trgm stays: dropping an extension would break anything else in the database that came to use it.
    this.addSql(`drop index if exists "training_jobs_search_index";`);
    this.addSql(`alter table "training_jobs" drop column "train_started_at", drop column "deployment_ready", drop column "class_distribution", drop column "train_metrics";`);
    this.addSql(`alter table "model_versions" drop column "engine_model";`);
  }
}
