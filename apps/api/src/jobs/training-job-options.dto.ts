import { METRIC_DIRECTIONS, type ModelType, type Task, type TrainingMode } from '@trainyard/contracts';
import { familiesForMode, supportsTrainingMode, timeBound } from '@trainyard/ml';
import { z } from 'zod';
import { Name } from '../common/schemas';

/** The parts of a job body that say what it builds on, which period it learns from, and when it is ready to deploy. */

export const ParentModelDto = z
  .strictObject({
    model: Name.meta({ description: 'a registered model of this tenant' }),
    version: z.number('must be a version number').int('must be a version number').min(1, 'must be a version number').optional(),
    alias: z.string('must be an alias').max(63).optional().meta({ description: 'an alias, resolved when the job preprocesses (a schedule builds on what it holds at each run); latest is the newest version' }),
  })
  .superRefine((f, ctx) => {
    if ((f.version === undefined) === (f.alias === undefined)) ctx.addIssue({ code: 'custom', path: ['version'], message: 'give version or alias, not both' });
  })
  .meta({ id: 'ParentModel', description: 'The model version a non-full run starts from.', example: { model: 'churn-xgboost', alias: 'production' } });

const TimeBound = z.union([z.string().max(64), z.number()], 'must be an ISO-8601 date-time or a number').nullable().default(null);

export const DataRangeDto = z
  .strictObject({
    from: TimeBound.meta({ description: 'first time (inclusive), an ISO-8601 date-time (or a number for a numeric time column); null: from the start' }),
    to: TimeBound.meta({ description: 'last time (inclusive); null: to the end' }),
  })
  .superRefine((r, ctx) => {
    const [from, to] = [r.from, r.to].map(boundValue);
    if (from === null && to === null) ctx.addIssue({ code: 'custom', path: ['from'], message: 'give from, to or both' });
    if (Number.isNaN(from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be an ISO-8601 date-time or a number' });
    if (Number.isNaN(to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be an ISO-8601 date-time or a number' });
    if (from !== null && to !== null && from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  })
  .meta({ id: 'DataRange', description: 'The training period: only rows whose validation.timeColumn value lies in [from, to] are trained and tested on; earlier rows still give time features their history.', example: { from: '2024-01-01', to: '2024-06-30' } });

/** A bound as the number rows are compared with (epoch ms for date-times); NaN when it is neither; null when open. */
function boundValue(bound: string | number | null): number | null {
  if (bound === null) return null;
  try {
    return timeBound(bound, NaN);
  } catch {
    return NaN;
  }
}

const METRIC_NAMES = Object.keys(METRIC_DIRECTIONS) as [string, ...string[]];
export const TASK_METRICS: Record<Task, string[]> = {
  classification: ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'],
  regression: ['mae', 'rmse', 'mape', 'r2'],
};

export const DeployDto = z
  .strictObject({
    metric: z.enum(METRIC_NAMES, `must be one of ${METRIC_NAMES.join(', ')}`).meta({ description: 'a test metric of the job' }),
    min: z.number().nullable().default(null).meta({ description: 'ready when the metric is at least this' }),
    max: z.number().nullable().default(null).meta({ description: 'ready when the metric is at most this (for losses and errors)' }),
  })
  .superRefine((d, ctx) => {
    if (d.min === null && d.max === null) ctx.addIssue({ code: 'custom', path: ['min'], message: 'give min, max or both' });
  })
  .meta({ id: 'DeployRule', description: 'Sets deploymentReady when the job completes: whether its test metric meets the bounds.', example: { metric: 'rocAuc', min: 0.8 } });


type JobBody = {
  mode: TrainingMode;
  from: unknown;
  freezeLayers: number;
  model: Record<string, unknown>;
  features: string[] | null;
  exclude: string[];
  validation: { horizon: number | null; seriesColumn: string | null };
  preprocessing: { timeFeatures: unknown; featureSelection: unknown };
};

/** A run on a parent: `from` is its parent, the family can train in the mode, and the parent's plan decides the inputs. */
export function checkMode(b: JobBody, issue: (path: (string | number)[], message: string) => void): void {
  if (b.mode === 'full') {
    if (b.from) issue(['from'], 'only with mode incremental, transfer or ensemble_update');
    if (b.freezeLayers > 0) issue(['freezeLayers'], 'only with mode transfer');
    return;
  }
  if (!b.from) issue(['from'], `required with mode ${b.mode}: the model version to start from`);
  const type = b.model.type as ModelType;
  if (!supportsTrainingMode(type, b.mode)) issue(['mode'], `${type} cannot train in mode ${b.mode}; it is for ${familiesForMode(b.mode).join(', ')}`);
  if (b.freezeLayers > 0 && b.mode !== 'transfer') issue(['freezeLayers'], 'only with mode transfer');
  // The parent's preprocessing plan fixes the inputs, their encoding and what is forecast.
  const fixed = 'is the parent’s: a run on a parent encodes the data with the parent’s preprocessing plan';
  if (b.features !== null) issue(['features'], fixed);
  if (b.exclude.length > 0) issue(['exclude'], fixed);
  if (b.preprocessing.timeFeatures) issue(['preprocessing', 'timeFeatures'], fixed);
  if (b.preprocessing.featureSelection) issue(['preprocessing', 'featureSelection'], fixed);
  if (b.validation.horizon !== null) issue(['validation', 'horizon'], fixed);
}

