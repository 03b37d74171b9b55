import { parseNumber } from '../cell-values';
import { datasetInvalid } from '../dataset-invalid';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export interface CsvHeader {
  names: string[];
  /** Index just past the header record. */
  end: number;
  /** Line breaks up to `end`, blank lines before the header included. */
  lines: number;
}

/** The first non-blank record of `b` as checked column names, or null when there is none. */
export function readCsvHeader(b: Buffer, delimiter: number): CsvHeader | null {
  let i = 0;
  let lines = 0;
  while (b[i] === LF || (b[i] === CR && b[i + 1] === LF)) {
    i += b[i] === LF ? 1 : 2;
    lines++;
  }
  if (i >= b.length) return null;
  const fields: string[] = [];
  for (;;) {
    let text: string;
    if (b[i] === QUOTE) {
      let close = i + 1;
      while ((close = b.indexOf(QUOTE, close)) >= 0 && b[close + 1] === QUOTE) close += 2;
      if (close < 0) throw datasetInvalid('line 1: CSV could not be parsed: a quoted field is never closed', { line: 1, reason: 'UNCLOSED_QUOTE' });
      text = b.toString('utf8', i + 1, close).replaceAll('""', '"');
      lines += text.split('\n').length - 1;
      i = close + 1;
      if (b[i] === CR) i++;
    } else {
      let j = i;
      while (j < b.length && b[j] !== delimiter && b[j] !== LF) j++;
      text = b.toString('utf8', i, j > i && b[j - 1] === CR ? j - 1 : j);
      i = j;
    }
    fields.push(text);
    if (b[i] === delimiter) {
      i++;
      continue;
    }
    if (i < b.length) {
      i++;
      lines++;
    }
    return { names: checkNames(fields), end: i, lines };
  }
}

function checkNames(fields: string[]): string[] {
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
