import { Migration } from '@mikro-orm/migrations';

/** Model aliases and their audit trail. */
export class Migration20261122010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "model_aliases" ("tenant_id" uuid not null references "tenants" ("id"), "model_name" text not null, "alias" text not null, "version" int not null, "updated_by" text not null, "updated_at" timestamptz not null, constraint "model_aliases_pkey" primary key ("tenant_id", "model_name", "alias"));`);
    this.addSql(`create table "model_alias_events" ("id" bigserial primary key, "tenant_id" uuid not null references "tenants" ("id"), "model_name" text not null, "alias" text not null, "from_version" int null, "to_version" int null, "actor" text not null, "reason" text null, "at" timestamptz not null);`);
    this.addSql(`create index "model_alias_events_tenant_id_model_name_id_index" on "model_alias_events" ("tenant_id", "model_name", "id");`);
    this.addSql(`alter table "model_versions" add column "plan_path" text null;`);
    this.addSql(`create index "model_versions_tenant_id_name_version_index" on "model_versions" ("tenant_id", "name", "version" desc);`);
  }
}
