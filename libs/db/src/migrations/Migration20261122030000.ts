import { Migration } from '@mikro-orm/migrations';

/** Listing at scale: job lists sorted by completion time, and the per-experiment status counts, served from indexes. */
export class Migration20261122030000 extends Migration {
  override async up(): Promise<void> {
    // `sort=-completedAt` (id breaks ties): a backward scan gives completed_at DESC NULLS FIRST, id DESC, as the API sorts.
    this.addSql(`create index "training_jobs_tenant_id_completed_at_id_index" on "training_jobs" ("tenant_id", "completed_at", "id");`);
    // GET /v1/experiments counts jobs by experiment and status: an index-only scan instead of reading every row.
    this.addSql(`create index "training_jobs_tenant_id_experiment_status_created_at_index" on "training_jobs" ("tenant_id", "experiment", "status", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "training_jobs_tenant_id_completed_at_id_index";`);
    this.addSql(`drop index if exists "training_jobs_tenant_id_experiment_status_created_at_index";`);
  }
}
