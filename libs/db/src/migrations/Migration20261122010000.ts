import { Migration } from '@mikro-orm/migrations';

/** Model aliases and their audit trail; events and webhooks. */
export class Migration20261122010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "model_aliases" ("tenant_id" uuid not null references "tenants" ("id"), "model_name" text not null, "alias" text not null, "version" int not null, "updated_by" text not null, "updated_at" timestamptz not null, constraint "model_aliases_pkey" primary key ("tenant_id", "model_name", "alias"));`);
    this.addSql(`create table "model_alias_events" ("id" bigserial primary key, "tenant_id" uuid not null references "tenants" ("id"), "model_name" text not null, "alias" text not null, "from_version" int null, "to_version" int null, "actor" text not null, "reason" text null, "at" timestamptz not null);`);
    this.addSql(`create index "model_alias_events_tenant_id_model_name_id_index" on "model_alias_events" ("tenant_id", "model_name", "id");`);
    this.addSql(`alter table "model_versions" add column "plan_path" text null;`);
    this.addSql(`create table "events" ("seq" bigserial primary key, "id" uuid not null unique, "tenant_id" uuid not null references "tenants" ("id"), "type" text not null, "dedupe_key" text not null unique, "data" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "events_tenant_id_seq_index" on "events" ("tenant_id", "seq");`);
    this.addSql(`create table "webhooks" ("id" uuid not null primary key, "tenant_id" uuid not null references "tenants" ("id"), "url" text not null, "events" jsonb not null, "secret_ciphertext" text not null, "created_by" text not null, "created_at" timestamptz not null, "deleted_at" timestamptz null);`);
    this.addSql(`create index "webhooks_tenant_id_index" on "webhooks" ("tenant_id") where "deleted_at" is null;`);
    this.addSql(`create table "webhook_deliveries" ("webhook_id" uuid not null references "webhooks" ("id"), "event_id" uuid not null references "events" ("id"), "status" text not null, "attempts" int not null, "last_status_code" int null, "last_error" text null, "delivered_at" timestamptz null, "updated_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("webhook_id", "event_id"));`);
    this.addSql(`create index "model_versions_tenant_id_name_version_index" on "model_versions" ("tenant_id", "name", "version" desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "model_versions_tenant_id_name_version_index";`);
    for (const table of ['webhook_deliveries', 'webhooks', 'events', 'model_alias_events', 'model_aliases']) this.addSql(`drop table if exists "${table}";`);
    this.addSql(`alter table "model_versions" drop column if exists "plan_path";`);
  }
}
