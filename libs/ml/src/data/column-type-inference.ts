import type { ColumnType } from './frame';
import { isMissing, parseBoolean, parseDatetime, parseInteger, parseNumber } from './cell-values';

/** What one pass over a column's raw cells has ruled out; holds no cells, so memory stays flat. */
export class ColumnTypeInference {
  private integer = true;
  private number = true;
  private boolean = true;
  private datetime = true;
  private present = 0;
  nullCount = 0;

  observe(raw: string): void {
    if (isMissing(raw)) {
      this.nullCount++;
      return;
    }
    this.present++;
    if (this.integer && Number.isNaN(parseInteger(raw))) this.integer = false;
    if (this.number && !this.integer && Number.isNaN(parseNumber(raw))) this.number = false;
    if (this.boolean && Number.isNaN(parseBoolean(raw))) this.boolean = false;
    if (this.datetime && Number.isNaN(parseDatetime(raw))) this.datetime = false;
  }

  /** The narrowest type every present cell parses as; a column with no values is a string column. */
  result(): ColumnType {
    if (this.present === 0) return 'string';
    if (this.integer) return 'integer';
    if (this.number) return 'number';
    if (this.boolean) return 'boolean';
    if (this.datetime) return 'datetime';
    return 'string';
  }
}
