import { Migration } from '@mikro-orm/migrations';

/** Recurring retrains; promotion results on jobs. */
export class Migration20261122020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "schedules" ("id" uuid not null primary key, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "cron" text null, "interval_seconds" int null, "timezone" text not null, "job" jsonb not null, "overlap" text not null, "promote" jsonb null, "paused" boolean not null, "created_by" text not null, "created_at" timestamptz not null, "deleted_at" timestamptz null);`);
    this.addSql(`create index "schedules_tenant_id_created_at_index" on "schedules" ("tenant_id", "created_at");`);
    this.addSql(`create index "training_jobs_schedule_id_created_at_index" on "training_jobs" ("schedule_id", "created_at") where "schedule_id" is not null;`);
    this.addSql(`alter table "training_jobs" add column "promotion" jsonb null;`);
  }
}
