import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { PreprocessResult, StepInput } from '@trainyard/contracts';
import { classificationMetrics, kfoldSplits, loadPrepared, modelFamily, regressionMetrics, subsetMatrix } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, readStepResult, writeStepResult } from './job-files';
import { threadsPerSlot, withThreads } from './train.activity';

export interface CrossValidateFoldInput extends StepInput {
  prepared: PreprocessResult;
  fold: number;
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  validateRows: number;
  metrics: Record<string, unknown>;
}

/** Trains on every fold but one and scores the held-out fold; the workflow runs the folds side by side. */
export function createCrossValidateFold(deps: ActivityDeps) {
  return async function crossValidateFold(input: CrossValidateFoldInput): Promise<FoldResult> {
    return runStep(deps, input, 'train', async (ctx) => {
      const step = `cv-fold-${input.fold}`;
      const done = await readStepResult<FoldResult>(deps.config.dataDir, input.jobId, step);
      if (done) return done;

      const activity = Context.current();
      const prepared = await loadPrepared(dataPath(deps.config.dataDir, input.prepared.preparedPath));
      const { validation } = input.spec;
      const split = kfoldSplits(prepared.train.labels, validation.folds, { task: prepared.task, stratify: validation.stratify, seed: validation.seed })[input.fold];
      const train = subsetMatrix(prepared.train, split.train);
      const held = subsetMatrix(prepared.train, split.validate);
      const classes = prepared.classLabels?.length ?? 0;
      const family = modelFamily(input.spec.model.type);
      const trained = await family.train({
        task: prepared.task,
        numClasses: classes,
        train,
        validation: null,
        params: withoutEarlyStopping(withThreads(family, input.spec.model.params, threadsPerSlot(deps.config.cpuSlots))),
        onRound: (e) => {
          ctx.heartbeat({ fold: input.fold, round: e.round });
          return activity.cancellationSignal.aborted ? 'stop' : 'continue';
        },
      });
      if (trained.cancelled) throw new CancelledFailure('cross-validation cancelled');
      const predicted = await family.predict(trained.model, held, classes);
      const metrics =
        prepared.task === 'classification'
          ? (classificationMetrics(held.labels, predicted, prepared.classLabels ?? []) as unknown as Record<string, unknown>)
          : (regressionMetrics(held.labels, predicted) as unknown as Record<string, unknown>);
      const result: FoldResult = { fold: input.fold, trainRows: train.rows, validateRows: held.rows, metrics };
      await ctx.log('info', `fold ${input.fold + 1}/${validation.folds}: ${train.rows} train, ${held.rows} held-out rows`, { metrics: scalarMetrics(metrics) });
      await writeStepResult(deps.config.dataDir, input.jobId, step, result);
      return result;
    });
  };
}

/** Folds have no validation split of their own, so early stopping has nothing to watch. */
function withoutEarlyStopping(params: Record<string, unknown>): Record<string, unknown> {
  const { earlyStoppingRounds: _ignored, ...rest } = params;
  return rest;
}

export function scalarMetrics(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}
