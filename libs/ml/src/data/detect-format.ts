import { datasetInvalid } from './dataset-invalid';

export type DatasetFormat = 'csv' | 'parquet';

const PARQUET_MAGIC = 'PAR1';
/** Share of control characters past which a head is treated as binary, not text. */
const MAX_CONTROL_SHARE = 0.01;

/** Tells a Parquet file from a CSV by its first bytes; anything else is rejected as unreadable. */
export function detectFormat(fileName: string, head: Buffer): DatasetFormat {
  if (head.length === 0) throw datasetInvalid('file is empty');
  if (head.subarray(0, 4).toString('latin1') === PARQUET_MAGIC) return 'parquet';
  if (/\.parquet$/i.test(fileName)) throw datasetInvalid('file is named .parquet but does not start with the Parquet magic bytes');
  if (!looksLikeText(head)) throw datasetInvalid('file is neither CSV text nor Parquet (binary content found)');
  return 'csv';
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  if (!isUtf8Prefix(head)) return false;
  let control = 0;
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control / head.length <= MAX_CONTROL_SHARE;
}

/** Valid UTF-8, allowing the head to end partway through a multi-byte character. */
function isUtf8Prefix(head: Buffer): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // Try again without the last bytes, which may be a truncated character.
    }
  }
  return false;
}
