import type { PreparedData } from '../preprocess/prepared-data';
import { rankColumns, type ColumnImportance } from '../preprocess/rank-columns';
import { xgboostFamily } from './xgboost-family';

/** Small and shallow: the ranking only needs which columns the trees split on, and how much they gain. */
const QUICK_FIT = { numRounds: 30, maxDepth: 4, learningRate: 0.3, seed: 0 };

/** Ranks the prepared data's raw columns by the gain of a quick XGBoost fit on the training split. */
export async function rankColumnsByGain(prepared: PreparedData, threads: number): Promise<ColumnImportance[]> {
  const trained = await xgboostFamily.train({
    task: prepared.task,
    numClasses: prepared.classLabels?.length ?? 0,
    train: prepared.train,
    validation: null,
    params: { ...QUICK_FIT, nthread: threads },
  });
  return rankColumns(prepared.plan, trained.featureImportance);
}
