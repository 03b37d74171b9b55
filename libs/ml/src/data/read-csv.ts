import { ColumnBuilder } from './column-builder';
import { ColumnTypeInference } from './column-type-inference';
import { detectCsvDelimiter } from './csv-delimiter';
import { csvRecords } from './csv-records';
import { datasetInvalid } from './dataset-invalid';
import type { Frame } from './frame';
import { parseNumber } from './cell-values';

/**
 * Reads a CSV in two streaming passes: the first settles each column's type and the row count,
 * the second fills preallocated typed columns, so raw string rows are never held.
 */
export async function readCsv(path: string, maxRows = Infinity): Promise<Frame> {
  const delimiter = await detectCsvDelimiter(path);
  const { header, inferences, rowCount } = await inferCsvSchema(path, delimiter, maxRows);
  const builders = header.map((name, i) => new ColumnBuilder(name, inferences[i].result(), rowCount));
  let first = true;
  for await (const fields of csvRecords(path, delimiter, rowCount + 1)) {
    if (first) {
      first = false;
      continue;
    }
    for (let i = 0; i < builders.length; i++) builders[i].push(fields[i]);
  }
  return { rowCount, columns: builders.map((b) => b.build()) };
}

async function inferCsvSchema(path: string, delimiter: string, maxRows: number) {
  let header: string[] | null = null;
  let inferences: ColumnTypeInference[] = [];
  let rowCount = 0;
  for await (const fields of csvRecords(path, delimiter, maxRows + 1)) {
    if (!header) {
      header = checkHeader(fields);
      inferences = header.map(() => new ColumnTypeInference());
      continue;
    }
    for (let i = 0; i < fields.length; i++) inferences[i].observe(fields[i]);
    rowCount++;
  }
  if (!header) throw datasetInvalid('file is empty');
  if (rowCount === 0) throw datasetInvalid('file has a header but no data rows');
  return { header, inferences, rowCount };
}

function checkHeader(fields: string[]): string[] {
  const names = fields.map((f) => f.trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') throw datasetInvalid(`line 1: column ${i + 1} has an empty name`, { line: 1, column: i + 1 });
    if (seen.has(name)) throw datasetInvalid(`line 1: duplicate column name "${name}"`, { line: 1, column: name });
    seen.add(name);
  });
  // A first row of numbers is data, which means the file has no header.
  if (names.every((name) => !Number.isNaN(parseNumber(name)))) {
    throw datasetInvalid('line 1: expected a header row of column names, found numbers', { line: 1 });
  }
  return names;
}
