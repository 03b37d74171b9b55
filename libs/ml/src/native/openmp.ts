import { isMainThread } from 'node:worker_threads';

/**
 * XGBoost and LightGBM parallelise with OpenMP, whose threads by default spin at every barrier waiting for the
 * others. When another process holds a core (a second training, the API, a neighbour on the VM), the spinning thread
 * burns its time slice while the one it waits for is descheduled: 1,200 rounds on 3,500 rows took 18–24 s with two
 * threads on a busy 2-core machine, against 0.9–1.9 s with passive waits and 1.0–1.3 s on one thread. Passive waits
 * cost a futex wake-up per barrier, which is noise beside a round's work. libgomp reads the policy once, when it is
 * loaded, so this runs before any engine library is; an operator's own OMP_WAIT_POLICY wins.
 */
export function preferPassiveOpenMpWaits(): void {
  // Only the main thread's process.env writes the process environment that libgomp reads.
  if (isMainThread && process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
}
