import { open } from 'node:fs/promises';

const CANDIDATES = [',', ';', '\t', '|'] as const;
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_LINES = 20;

/** Picks the delimiter that splits the first lines into the same, largest number of fields. */
export async function detectCsvDelimiter(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return delimiterOf(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

export function delimiterOf(sample: string): string {
  const lines = splitLines(sample);
  // The sample's last line may be cut short mid-record.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  let best: string = ',';
  let bestScore = 0;
  for (const delimiter of CANDIDATES) {
    const counts = complete.map((line) => countOutsideQuotes(line, delimiter));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.every((c) => c === header);
    const score = consistent ? header * 1000 : header;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/** Splits on newlines that sit outside double quotes, so quoted multi-line fields stay whole. */
function splitLines(sample: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < sample.length && lines.length < SAMPLE_LINES; i++) {
    const ch = sample[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) {
      const line = sample.slice(start, i).replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      start = i + 1;
    }
  }
  if (lines.length < SAMPLE_LINES && start < sample.length) lines.push(sample.slice(start));
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
