import { Migration } from '@mikro-orm/migrations';

/** A GPU worker advertises which model families it can train on its GPU, so placement sends only those there. */
export class Migration20261216040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "worker_heartbeats" add column "gpu_families" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "worker_heartbeats" drop column "gpu_families";`);
  }
}
