import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readCodeVersion(): string {
  const root = join(__dirname, '..', '..');
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // A packaged build may lack package.json; the version alone is then unknown.
  }
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return `${version}+${sha}`;
  } catch {
    return version;
  }
}

/** The Trainyard version (and git commit where known) recorded in each model's lineage. */
export const CODE_VERSION = process.env.TRAINYARD_CODE_VERSION || readCodeVersion();
