import { readFileSync } from 'node:fs';

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
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime, stime, cutime, cstime are fields 14-17 of the stat line, 12-15 after the command name.
  const own = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
  return { busy: total - idle, total, own };
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
