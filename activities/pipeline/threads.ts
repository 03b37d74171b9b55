import { availableParallelism } from 'node:os';
import type { ModelFamily } from '@trainyard/ml';

/** Concurrent jobs on one worker split its cores: OpenMP threads that outnumber cores spin against each other. */
export function threadsPerSlot(slots: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, slots)));
}

/** Sets the engine's thread count where the family has one and the job did not choose it. */
export function withThreads(family: ModelFamily, params: Record<string, unknown>, threads: number): Record<string, unknown> {
  if ('nthread' in params || family.validateParams({ nthread: threads }).length > 0) return params;
  return { nthread: threads, ...params };
}
