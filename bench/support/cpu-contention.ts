import { readFileSync } from 'node:fs';
import { ownCpuSecondsWithChildren } from './proc-status';

interface CpuSample {
  /** All CPUs' busy and total clock ticks since boot (/proc/stat). */
  busy: number;
  total: number;
  /** This process's ticks plus those of its finished children (the peers). */
  own: number;
}

function sample(): CpuSample {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + cpu[4]!;
  // In clock ticks, as /proc/stat counts (100 a second).
  return { busy: total - idle, total, own: Math.round(ownCpuSecondsWithChildren() * 100) };
}

/**
 * Share of the machine's CPU that processes outside this bench used while `fn` ran: on two cores, OpenMP
 * engines slow down several-fold when a neighbour competes, so figures taken above ~10% are suspect.
 */
export async function withContention<T>(fn: () => Promise<T>): Promise<{ result: T; othersShare: number }> {
  const before = sample();
  const result = await fn();
  const after = sample();
  const others = after.busy - before.busy - (after.own - before.own);
  return { result, othersShare: Math.max(0, others) / Math.max(1, after.total - before.total) };
}
