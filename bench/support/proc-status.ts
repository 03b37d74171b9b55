import { readFileSync } from 'node:fs';

/** A /proc/self/status memory figure in bytes: VmHWM is the peak resident set so far, VmRSS the current one. */
export function statusBytes(field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(/(\d+)/.exec(line)![1]) * 1024 : NaN;
}
