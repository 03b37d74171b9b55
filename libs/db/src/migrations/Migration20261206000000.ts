import { Migration } from '@mikro-orm/migrations';

/** Column defaults the entities have always declared, so the database and the entity metadata agree. */
const DEFAULTS: [table: string, column: string, value: string][] = [
  ['studies', 'status', `'running'`],
  ['study_trials', 'status', `'running'`],
  ['schedules', 'timezone', `'UTC'`],
  ['schedules', 'overlap', `'skip'`],
  ['schedules', 'paused', 'false'],
  ['webhook_deliveries', 'status', `'pending'`],
  ['webhook_deliveries', 'attempts', '0'],
];

export class Migration20261206000000 extends Migration {
  override async up(): Promise<void> {
    for (const [table, column, value] of DEFAULTS) this.addSql(`alter table "${table}" alter column "${column}" set default ${value};`);
  }

  override async down(): Promise<void> {
    for (const [table, column] of DEFAULTS) this.addSql(`alter table "${table}" alter column "${column}" drop default;`);
  }
}
