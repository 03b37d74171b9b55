import { METRIC_DIRECTIONS, MODEL_TYPES, PRUNERS, SAMPLERS, type ModelType } from '@trainyard/contracts';
import { modelParamNames } from '@trainyard/ml';
import { z } from 'zod';
import { validateSearchSpace } from '../../../../workflows/search';
import { byIdEndpoint, createEndpoint, listEndpoint } from '../common/endpoint';
import { AliasName, IdParams, JsonObject, Name, Timestamp, Uuid } from '../common/schemas';
import { TrainingJobRequest } from '../jobs/training-job.dto';

/** Metric names are checked as own keys of this list: `constructor` is not a metric. */
export const METRIC_NAMES = Object.keys(METRIC_DIRECTIONS) as [string, ...string[]];
export const Metric = z.enum(METRIC_NAMES, `one of ${METRIC_NAMES.join(', ')}`);

const Choice = z.union([z.string(), z.number(), z.boolean()]);
const Condition = z.strictObject({ param: z.string(), in: z.array(Choice).min(1) }).meta({ description: 'the parameter is sampled only when `param` (a categorical) takes one of `in`' });
const numeric = (type: 'int' | 'float') =>
  z
    .strictObject({
      type: z.literal(type),
      low: z.number(),
      high: z.number(),
      step: z.number().positive().optional().meta({ description: 'sample only low + k·step' }),
      log: z.boolean().optional().meta({ description: 'sample uniformly in log space' }),
      condition: Condition.optional(),
    })
    .meta({ id: type === 'int' ? 'IntParam' : 'FloatParam', example: type === 'int' ? { type, low: 3, high: 10 } : { type, low: 0.01, high: 0.3, log: true } });
const Categorical = z
  .strictObject({ type: z.literal('categorical'), choices: z.array(Choice).min(1), condition: Condition.optional() })
  .meta({ id: 'CategoricalParam', example: { type: 'categorical', choices: ['gbtree', 'dart'] } });

export const SearchSpaceDto = z
  .record(z.string(), z.discriminatedUnion('type', [numeric('int'), numeric('float'), Categorical], { error: () => 'type must be "int", "float" or "categorical"' }))
  .meta({
    id: 'SearchSpace',
    description: 'model parameter name → its domain; names must be parameters of the job’s model type',
    example: { maxDepth: { type: 'int', low: 3, high: 10 }, learningRate: { type: 'float', low: 0.01, high: 0.3, log: true } },
  });

export const StudyRequest = z
  .strictObject({
    name: Name,
    job: TrainingJobRequest,
    searchSpace: SearchSpaceDto,
    objective: z
      .strictObject({
        metric: Metric,
        direction: z.enum(['maximize', 'minimize']).optional().meta({ description: 'default: the metric’s own direction' }),
      })
      .transform((o) => ({ metric: o.metric, direction: o.direction ?? (METRIC_DIRECTIONS[o.metric] === 'min' ? ('minimize' as const) : ('maximize' as const)) })),
    trials: z.number().int().min(1).max(10_000).default(20),
    parallelism: z.number().int().min(1).max(64).default(4),
    sampler: z.enum(SAMPLERS).default('tpe').meta({ description: 'tpe samples at random for its first 10 trials' }),
    pruner: z.enum(PRUNERS).default('none'),
    timeoutSeconds: z.number().int().min(10).max(30 * 86_400).nullable().default(null),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().meta({ description: 'default: random' }),
    register: z
      .strictObject({
        topK: z.number().int().min(0).max(20).default(1).meta({ description: 'how many of the best trials are exported, checked and registered when the study ends' }),
        alias: AliasName.nullable().default(null).meta({ description: 'pointed at the best trial’s version when set' }),
      })
      .refine((r) => r.alias === null || r.topK > 0, { message: 'an alias needs topK of at least 1', path: ['alias'] })
      .default({ topK: 1, alias: null })
      .meta({ description: 'trials train and score natively; only the best become model versions' }),
  })
  .superRefine((b, ctx) => {
    // Trials share one prepared dataset and train from scratch; a parent's plan and model are for single jobs.
    if (b?.job?.spec?.mode && b.job.spec.mode !== 'full') ctx.addIssue({ code: 'custom', path: ['job', 'mode'], message: 'a study’s trials train in mode full' });
    // Only once the job and the space parsed: the space's names are checked against the model types it may train.
    if (!b?.job?.spec?.model || !b.searchSpace) return;
    const types = modelTypesOf(b.searchSpace, b.job.spec.model.type, ctx);
    const known = [MODEL_TYPE_PARAM, ...new Set(types.flatMap((t) => [...modelParamNames(t)]))];
    for (const e of validateSearchSpace(b.searchSpace, known)) {
      ctx.addIssue({ code: 'custom', path: e.field.split('.'), message: e.message });
    }
  }, { when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'searchSpace') }) // also when other fields failed: one answer names every problem
  .meta({
    id: 'StudyRequest',
    example: {
      name: 'churn-search',
      job: { datasetId: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11', target: 'churned', model: { type: 'xgboost' } },
      searchSpace: { maxDepth: { type: 'int', low: 3, high: 10 } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 50,
      parallelism: 4,
      sampler: 'tpe',
      pruner: 'median',
    },
  });
export type StudyRequest = z.output<typeof StudyRequest>;

/** The search may choose the model family: `model.type` as a categorical of model types. */
const MODEL_TYPE_PARAM = 'model.type';

/** The model types the study may train: those of a `model.type` categorical, else the job's own. */
function modelTypesOf(space: Record<string, { type: string; choices?: unknown[]; condition?: unknown }>, own: ModelType, ctx: z.RefinementCtx): ModelType[] {
  const param = space[MODEL_TYPE_PARAM];
  if (!param) return [own];
  const choices = param.type === 'categorical' ? (param.choices ?? []) : [];
  const bad = choices.filter((c) => !(MODEL_TYPES as readonly unknown[]).includes(c));
  if (param.type !== 'categorical' || bad.length || param.condition) {
    ctx.addIssue({ code: 'custom', path: ['searchSpace', MODEL_TYPE_PARAM], message: `a categorical of model types (${MODEL_TYPES.join(', ')}), without a condition` });
    return [own];
  }
  return choices as ModelType[];
}

const BestTrial = z.strictObject({
  number: z.number().int(),
  params: JsonObject,
  value: z.number(),
  jobId: Uuid,
  modelVersion: z.strictObject({ name: z.string(), version: z.number().int() }).optional().meta({ description: 'the version the best trial became, once the study registered it' }),
});

export const StudyDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    objective: z.strictObject({ metric: z.string(), direction: z.enum(['maximize', 'minimize']) }),
    searchSpace: JsonObject.meta({ description: 'the SearchSpace as submitted' }),
    sampler: z.enum(SAMPLERS),
    pruner: z.enum(PRUNERS),
    trials: z.number().int(),
    parallelism: z.number().int(),
    timeoutSeconds: z.number().int().nullable(),
    seed: z.number().int(),
    job: JsonObject.meta({ description: 'the trial job spec after defaults, with its tags' }),
    trialsCompleted: z.number().int(),
    trialsPruned: z.number().int(),
    trialsFailed: z.number().int(),
    trialsRunning: z.number().int(),
    bestTrial: BestTrial.nullable(),
    error: z.strictObject({ code: z.string(), message: z.string() }).nullable().meta({ description: 'why a failed study failed' }),
    workflowId: z.string(),
    temporalUrl: z.string().nullable().meta({ description: "the study's page in the Temporal UI, when the deployment sets TRAINYARD_TEMPORAL_UI_URL" }),
    warnings: z.array(z.string()).meta({ description: 'settings that make the study less useful than it looks, e.g. too few trials for TPE' }),
    createdBy: z.string(),
    createdAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Study' });
export type StudyDto = z.output<typeof StudyDto>;

export const TrialDto = z
  .strictObject({
    number: z.number().int(),
    status: z.enum(['running', 'completed', 'pruned', 'failed']),
    params: JsonObject,
    value: z.number().nullable(),
    intermediate: z.array(z.strictObject({ step: z.number().int(), value: z.number().nullable() })).meta({ description: 'the objective (or the validation loss) per round or epoch' }),
    jobId: Uuid,
  })
  .meta({ id: 'Trial' });

const tag = 'studies';

export const createStudy = createEndpoint({
  path: '/v1/studies',
  tag,
  summary: 'Start a hyperparameter search',
  role: 'trainer',
  body: StudyRequest,
  responseDescription: 'the study',
  response: StudyDto,
  errors: ['DATASET_NOT_FOUND', 'UNAVAILABLE'],
});

export const listStudies = listEndpoint({ path: '/v1/studies', tag, summary: 'List studies', item: StudyDto });

export const getStudy = byIdEndpoint({
  method: 'get',
  path: '/v1/studies/{id}',
  tag,
  summary: 'Get a study',
  role: 'viewer',
  resource: 'STUDY',
  status: 200,
  responseDescription: 'the study',
  response: StudyDto,
  errors: [],
});

export const listTrials = listEndpoint({ path: '/v1/studies/{id}/trials', tag, summary: "A study's trials, by number", params: IdParams, notFound: 'STUDY', item: TrialDto, errors: ['STUDY_NOT_FOUND'] });

export const cancelStudy = byIdEndpoint({
  method: 'post',
  path: '/v1/studies/{id}/cancel',
  tag,
  summary: 'Cancel a study',
  role: 'trainer',
  resource: 'STUDY',
  status: 202,
  responseDescription: 'the study',
  response: StudyDto,
  errors: ['STUDY_NOT_CANCELLABLE', 'UNAVAILABLE'],
});

/** `GET /v1/studies/{id}/events` (additive): the study's trials as they run, as server-sent events. */
export const studyEvents = byIdEndpoint({
  method: 'get',
  path: '/v1/studies/{id}/events',
  tag,
  summary: 'Live study events',
  description: 'A text/event-stream of `trial` (a trial started or ended, with its value), `intermediate` (a trial’s objective per round), `progress` and a final `end` ({ status }); `Last-Event-ID` resumes.',
  role: 'viewer',
  resource: 'STUDY',
  status: 200,
  responseDescription: 'the event stream',
  response: null,
  produces: { 'text/event-stream': { description: 'events `trial`, `intermediate`, `progress`, then `end`' } },
  errors: [],
});
