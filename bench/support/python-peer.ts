import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');

/** bench/.venv's interpreter, where scripts/bench.mjs installs the peers. */
export const PYTHON = join(REPO, 'bench', '.venv', 'bin', 'python');

export function peersInstalled(): boolean {
  return existsSync(PYTHON);
}

/** Runs bench/peers/<script> and parses the JSON object it prints on its last line. */
export async function runPeer<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await run(PYTHON, [join(REPO, 'bench', 'peers', script), ...args], { maxBuffer: 64 * 1024 * 1024 });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** A script compiled beside this one (dist/bench/support/<name>.js), run in its own Node process. */
export async function runNodeChild<T>(name: string, args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [join(__dirname, `${name}.js`), ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;
}

/** runPeer, with the wall time of the whole process as its caller sees it (interpreter start and imports included). */
export async function runPeerTimed<T>(script: string, args: string[]): Promise<{ result: T; wallSeconds: number }> {
  const t0 = performance.now();
  const result = await runPeer<T>(script, args);
  return { result, wallSeconds: (performance.now() - t0) / 1000 };
}
