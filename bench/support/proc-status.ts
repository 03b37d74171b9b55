import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

/**
 * A /proc/<pid>/status memory figure in bytes (this process by default): VmHWM is the peak resident set so far,
 * VmRSS the current one. NaN once the process is gone.
 */
export function statusBytes(field: 'VmHWM' | 'VmRSS', pid: number | 'self' = 'self'): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const line = status.split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(/(\d+)/.exec(line)![1]) * 1024 : NaN;
}

/**
 * Starts a new peak: the kernel sets the process's VmHWM back to its current RSS (`clear_refs` 5), so the next
 * VmHWM read is the peak of what ran in between. Needs to own the process (or root).
 */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Proportional set size: shared pages (libraries, a parent's copy-on-write pages) split among the processes that map them. */
export function pssBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n').find((l) => l.startsWith('Pss:'));
    return line ? Number(/(\d+)/.exec(line)![1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

/** Every process this user can see, with its parent and command line. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // ended while we looked
    }
  }
  return out;
}

/** `roots` and all their descendants. */
export function descendants(roots: Iterable<number>, all: ProcInfo[] = listProcesses()): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const seen = new Map<number, ProcInfo>();
  const queue = [...roots];
  for (const pid of queue) {
    const self = all.find((p) => p.pid === pid);
    if (self && !seen.has(pid)) seen.set(pid, self);
    for (const child of byParent.get(pid) ?? []) {
      if (!seen.has(child.pid)) queue.push(child.pid);
    }
  }
  return [...seen.values()];
}

/** CPU seconds (user + system, every thread) a process has used so far; NaN once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name; in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds this process and its finished (reaped) children have used so far: a bench and the peers it ran. */
export function ownCpuSecondsWithChildren(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime, stime, cutime, cstime are fields 14-17 of the line, 12-15 after the command name; in clock ticks (100/s).
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) / 100;
}

/**
 * CPU seconds of a process's main thread and of all its other threads (Node names every thread `node`, so worker
 * threads, the engine thread, OpenMP and onnxruntime threads cannot be told apart by name). Threads that have ended
 * are in neither (their time is in cpuSeconds).
 */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  const out = { main: 0, others: 0 };
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { main: NaN, others: NaN };
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (Number(tid) === pid) out.main += seconds;
      else out.others += seconds;
    } catch {
      // the thread ended
    }
  }
  return out;
}
