import { Migration } from '@mikro-orm/migrations';

/** The first schema: tenants, tokens, datasets, training jobs with their logs and metric series, model versions. */
export class Migration20261122000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "tenants" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null, constraint "tenants_pkey" primary key ("id"));`);
    this.addSql(`alter table "tenants" add constraint "tenants_name_unique" unique ("name");`);

    this.addSql(`create table "api_tokens" ("id" uuid not null, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "role" text not null check ("role" in ('admin', 'trainer', 'viewer')), "token_hash" text not null, "prefix" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "api_tokens_tenant_id_created_at_index" on "api_tokens" ("tenant_id", "created_at");`);

    this.addSql(`create table "datasets" ("id" uuid not null, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "version" int not null, "description" text null, "format" text not null, "rows" int not null, "columns" jsonb not null, "sha256" text not null, "size_bytes" bigint not null, "storage_path" text not null, "created_by" text not null, "created_at" timestamptz not null, constraint "datasets_pkey" primary key ("id"));`);
    this.addSql(`create index "datasets_tenant_id_created_at_index" on "datasets" ("tenant_id", "created_at");`);
    this.addSql(`create index "datasets_tenant_id_name_sha256_index" on "datasets" ("tenant_id", "name", "sha256");`);
    this.addSql(`alter table "datasets" add constraint "datasets_tenant_id_name_version_unique" unique ("tenant_id", "name", "version");`);

    this.addSql(`create table "idempotency_records" ("id" uuid not null, "tenant_id" uuid not null references "tenants" ("id"), "route" text not null, "key" text not null, "request_hash" text not null, "status_code" int null, "response_body" jsonb null, "created_at" timestamptz not null, constraint "idempotency_records_pkey" primary key ("id"));`);
    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_tenant_id_route_key_unique" unique ("tenant_id", "route", "key");`);

    this.addSql(`create table "training_jobs" ("id" uuid not null, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "experiment" text not null, "dataset_id" uuid not null, "target" text not null, "task" text null, "model_type" text not null, "spec" jsonb not null, "status" text not null default 'queued', "stage" text null, "progress" double precision not null default 0, "priority" text not null default 'normal', "device" text null, "metrics" jsonb null, "validation_metrics" jsonb null, "cv_metrics" jsonb null, "error" jsonb null, "model_version" jsonb null, "retry_of" uuid null, "study_id" uuid null, "schedule_id" uuid null, "workflow_id" text not null, "tags" jsonb not null, "notes" text null, "created_by" text not null, "created_at" timestamptz not null, "started_at" timestamptz null, "completed_at" timestamptz null, constraint "training_jobs_pkey" primary key ("id"));`);
    this.addSql(`create index "training_jobs_status_index" on "training_jobs" ("status");`);
    this.addSql(`create index "training_jobs_tenant_id_name_created_at_index" on "training_jobs" ("tenant_id", "name", "created_at");`);
    this.addSql(`create index "training_jobs_tenant_id_experiment_created_at_index" on "training_jobs" ("tenant_id", "experiment", "created_at");`);
    this.addSql(`create index "training_jobs_tenant_id_status_created_at_index" on "training_jobs" ("tenant_id", "status", "created_at");`);
    this.addSql(`create index "training_jobs_tenant_id_created_at_index" on "training_jobs" ("tenant_id", "created_at");`);
    this.addSql(`create index "training_jobs_tags_index" on "training_jobs" using gin ("tags" jsonb_path_ops);`);

    this.addSql(`create table "job_logs" ("id" bigserial primary key, "job_id" uuid not null references "training_jobs" ("id") on delete cascade, "ts" timestamptz not null, "level" text not null, "stage" text null, "message" text not null, "data" jsonb null);`);
    this.addSql(`create index "job_logs_job_id_id_index" on "job_logs" ("job_id", "id");`);

    this.addSql(`create table "metric_points" ("id" bigserial primary key, "job_id" uuid not null references "training_jobs" ("id") on delete cascade, "name" text not null, "step" int not null, "value" double precision not null, "ts" timestamptz not null);`);
    this.addSql(`alter table "metric_points" add constraint "metric_points_job_id_name_step_unique" unique ("job_id", "name", "step");`);

    this.addSql(`create table "model_versions" ("id" uuid not null, "tenant_id" uuid not null references "tenants" ("id"), "name" text not null, "version" int not null, "job_id" uuid not null references "training_jobs" ("id"), "model_type" text not null, "task" text not null, "artifact_path" text not null, "sha256" text not null, "size_bytes" bigint not null, "metrics" jsonb not null, "signature" jsonb not null, "feature_importance" jsonb not null, "lineage" jsonb not null, "created_at" timestamptz not null, constraint "model_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "model_versions" add constraint "model_versions_job_id_unique" unique ("job_id");`);
    this.addSql(`alter table "model_versions" add constraint "model_versions_tenant_id_name_version_unique" unique ("tenant_id", "name", "version");`);
    this.addSql(`create table "worker_heartbeats" ("identity" text not null, "task_queue" text not null, "device" text not null, "slots" int not null, "busy" int not null, "gpu_name" text null, "last_seen_at" timestamptz not null, constraint "worker_heartbeats_pkey" primary key ("identity", "task_queue"));`);
    this.addSql(`create index "model_versions_lineage_dataset_index" on "model_versions" (("lineage"->>'datasetId'));`);
  }

  override async down(): Promise<void> {
    for (const table of ['worker_heartbeats', 'model_versions', 'metric_points', 'job_logs', 'training_jobs', 'idempotency_records', 'datasets', 'api_tokens', 'tenants']) {
      this.addSql(`drop table if exists "${table}";`);
    }
  }
}
