import { UnderscoreNamingStrategy } from '@mikro-orm/core';

/** MikroORM's names, except foreign keys, which keep PostgreSQL's own `<table>_<columns>_fkey` as the migrations made them. */
export class TrainyardNamingStrategy extends UnderscoreNamingStrategy {
  override indexName(tableName: string, columns: string[], type: 'primary' | 'foreign' | 'unique' | 'index' | 'sequence' | 'check'): string {
    if (type === 'foreign') return `${tableName.split('.').pop()}_${columns.join('_')}_fkey`;
    return super.indexName(tableName, columns, type);
  }
}
