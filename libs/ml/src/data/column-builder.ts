import type { ColumnType, FrameColumn } from './frame';
import { isMissing, parseBoolean, parseDatetime, parseNumber } from './cell-values';

const NUMERIC_PARSERS: Record<Exclude<ColumnType, 'string'>, (raw: string) => number> = {
  integer: parseNumber,
  number: parseNumber,
  boolean: parseBoolean,
  datetime: parseDatetime,
};

/** Fills one typed column of a known length from raw cells, once its type is settled. */
export class ColumnBuilder {
  private readonly numbers: Float64Array | null;
  private readonly strings: (string | null)[] | null;
  private readonly parse: ((raw: string) => number) | null;
  private length = 0;
  private nullCount = 0;

  constructor(
    private readonly name: string,
    private readonly type: ColumnType,
    capacity: number,
  ) {
    if (type === 'string') {
      this.numbers = null;
      this.parse = null;
      this.strings = new Array<string | null>(capacity);
    } else {
      this.numbers = new Float64Array(capacity);
      this.parse = NUMERIC_PARSERS[type];
      this.strings = null;
    }
  }

  push(raw: string): void {
    const missing = isMissing(raw);
    if (missing) this.nullCount++;
    if (this.strings) {
      this.strings[this.length++] = missing ? null : raw;
    } else {
      this.numbers![this.length++] = missing ? NaN : this.parse!(raw);
    }
  }

  build(): FrameColumn {
    const { name, nullCount } = this;
    if (this.strings) {
      this.strings.length = this.length;
      return { name, type: 'string', nullCount, values: this.strings };
    }
    const values = this.length === this.numbers!.length ? this.numbers! : this.numbers!.slice(0, this.length);
    return { name, type: this.type as Exclude<ColumnType, 'string'>, nullCount, values };
  }
}
