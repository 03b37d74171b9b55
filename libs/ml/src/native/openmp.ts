import { isMainThread } from 'node:worker_threads';

/** Barrier spins before an OpenMP thread sleeps: tens of microseconds, against libgomp's default of 300,000. */
export const OPENMP_SPIN_COUNT = '10000';

/**
 * XGBoost and LightGBM parallelise with libgomp, whose threads spin for a long while at every barrier before they
 * sleep. When another process holds a core (a second training, the API, a neighbour on the VM) the spinning thread
 * burns the time slice of the one it waits for: 1,200 rounds on 3,500 rows took 18–24 s with two threads on a busy
 * 2-core machine. Sleeping at once (OMP_WAIT_POLICY=PASSIVE) fixes that but pays a futex wake-up at each of a round's
 * many barriers: 3,000 rounds on 1,600 rows took 6.4 s idle against 1.3 s spinning. A short spin keeps both:
 * 1.3 s idle and 4.0 s beside two busy processes (PASSIVE 3.3 s, the default 22 s); LightGBM 1.1 s and 2.2 s.
 * libgomp reads its environment once, when it is loaded, so this runs before any engine library is; an operator's
 * own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
 */
export function boundOpenMpSpinning(): void {
  // Only the main thread's process.env writes the process environment that libgomp reads.
  if (!isMainThread) return;
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) process.env.GOMP_SPINCOUNT = OPENMP_SPIN_COUNT;
}
