import { recordsToFrame } from '../data/records-to-frame';
import { applyPlan } from './apply-plan';
import type { PreprocessPlan } from './preprocess-plan';

/** Encodes raw JSON records (as a predict request carries them) with a saved plan; absent fields are missing. */
export function applyPlanToRecords(plan: PreprocessPlan, records: readonly Record<string, unknown>[]): Float32Array {
  return applyPlan(plan, recordsToFrame(records, plan.inputs));
}
