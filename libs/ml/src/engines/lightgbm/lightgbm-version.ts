import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { locateNativeLibrary } from '../../native';

let version: string | null = null;

/** The wheel's VERSION.txt beside lib/, since LightGBM's C API does not report its own version. */
export function lightgbmVersion(): string {
  if (version) return version;
  const file = join(dirname(dirname(locateNativeLibrary('lightgbm'))), 'VERSION.txt');
  version = existsSync(file) ? readFileSync(file, 'utf8').trim() || 'unknown' : 'unknown';
  return version;
}
