import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMissing, parseDatetime } from '../cell-values';
import type { NumericColumn } from '../frame';
import { readCsv } from '../read-csv';
import { dateMs, datetimeFromBytes, isMissingBytes } from './cell-bytes';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('CSV cell fast paths', () => {
  it('dateMs agrees with datetimeFromBytes and parseDatetime on valid, impossible and odd dates', () => {
    const cases = ['2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '0099-01-01', '0100-01-01', '9999-12-31', '2024-13-01', '2024-00-10', '2024-04-31', '2024-04-30', '20x4-01-01', '2024-1a-01', '1970-01-01', '1969-12-31'];
    for (let day = 0; day < 800; day += 7) cases.push(new Date(Date.UTC(1950, 0, 1) + day * 37 * 86_400_000).toISOString().slice(0, 10));
    for (const text of cases) {
      const expected = datetimeFromBytes(bytes(text), 0, 10);
      assert.deepEqual(dateMs(bytes(text), 0), expected, text);
      if (!Number.isNaN(expected)) assert.equal(expected, parseDatetime(text), text);
    }
  });

  it('dateMs gives Date.UTC for every day of every month, leap years and century years included, and NaN for days a month lacks', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (const year of [100, 400, 1582, 1899, 1900, 1904, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 5000, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const utc = Date.UTC(year, month - 1, day);
          const expected = new Date(utc).getUTCDate() === day ? utc : NaN;
          // Twice: the first call of a month fills its table entry, the second reads it.
          for (let pass = 0; pass < 2; pass++) assert.deepEqual(dateMs(bytes(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`), 0), expected, `${year}-${month}-${day}`);
        }
      }
    }
  });

  it('isMissingBytes knows the missing-value tokens of cell-values and nothing near them', () => {
    const cells = ['', 'NA', 'N/A', 'null', 'NULL', 'Null', 'NaN', 'nan', 'Na', 'na', 'NB', 'N/B', 'n/a', 'Nan', 'NAN', 'nul', 'nulls', 'NULLS', 'None', 'none', 'A', 'N', 'n', 'xA', 'ok', 'vip', 'Lima'];
    for (const text of cells) assert.equal(isMissingBytes(bytes(text), 0, text.length), isMissing(text), JSON.stringify(text));
  });

  it('reads numbers of up to and over nine digits, booleans and dates through the block parser as the string path does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainyard-cells-'));
    try {
      const rows = ['n,b,d', '123456789,true,2024-02-29', '-1234567890,false,1999-12-31', '0.000001,TRUE,2024-02-30', '12345.6789,False,', '99999999999999999,true,2024-01-01'];
      const path = join(dir, 'cells.csv');
      await writeFile(path, rows.join('\n') + '\n');
      const frame = await readCsv(path);
      const [n, b, d] = frame.columns;
      assert.equal(n!.type, 'number');
      assert.deepEqual([...(n as NumericColumn).values], [123456789, -1234567890, 0.000001, 12345.6789, 99999999999999999]);
      assert.deepEqual([...(b as NumericColumn).values], [1, 0, 1, 0, 1]);
      // 2024-02-30 is no date, so the column is text.
      assert.equal(d!.type, 'string');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
