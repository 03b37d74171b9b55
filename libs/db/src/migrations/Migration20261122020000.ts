import { Migration } from '@mikro-orm/migrations';

/** Recurring retrains, promotion results on jobs; hyperparameter studies and their trials. */
export class Migration20261122020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "schedules" ("id" uuid not null primary key, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "cron" text null, "interval_seconds" int null, "timezone" text not null, "job" jsonb not null, "overlap" text not null, "promote" jsonb null, "paused" boolean not null, "created_by" text not null, "created_at" timestamptz not null, "deleted_at" timestamptz null);`);
    this.addSql(`create index "schedules_tenant_id_created_at_index" on "schedules" ("tenant_id", "created_at");`);
    this.addSql(`create index "training_jobs_schedule_id_created_at_index" on "training_jobs" ("schedule_id", "created_at") where "schedule_id" is not null;`);
    this.addSql(`alter table "training_jobs" add column "promotion" jsonb null;`);
    this.addSql(`create table "studies" ("id" uuid not null primary key, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "job" jsonb not null, "search_space" jsonb not null, "objective" jsonb not null, "trials" int not null, "parallelism" int not null, "sampler" text not null, "pruner" text not null, "timeout_seconds" int null, "seed" int not null, "status" text not null, "best_trial" jsonb null, "workflow_id" text not null, "created_by" text not null, "created_at" timestamptz not null, "completed_at" timestamptz null);`);
    this.addSql(`create index "studies_tenant_id_created_at_index" on "studies" ("tenant_id", "created_at");`);
    this.addSql(`create table "study_trials" ("study_id" uuid not null references "studies" ("id") on delete cascade, "number" int not null, "status" text not null, "params" jsonb not null, "value" double precision null, "job_id" uuid not null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "study_trials_pkey" primary key ("study_id", "number"));`);
    this.addSql(`create index "training_jobs_study_id_index" on "training_jobs" ("study_id") where "study_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "training_jobs_study_id_index";`);
    this.addSql(`drop table if exists "study_trials";`);
    this.addSql(`drop table if exists "studies";`);
    this.addSql(`alter table "training_jobs" drop column if exists "promotion";`);
    this.addSql(`drop index if exists "training_jobs_schedule_id_created_at_index";`);
    this.addSql(`drop table if exists "schedules";`);
  }
}
