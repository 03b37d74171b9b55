import {
  JOB_ERROR_CODES,
  JOB_STATUSES,
  MODEL_TYPES,
  PIPELINE_MODES,
  PRIORITIES,
  STAGES,
  TASKS,
  TRAINING_MODES,
  VALIDATION_METHODS,
  isTimeOrdered,
  type ModelType,
  type TrainingSpec,
} from '@trainyard/contracts';
import { availableModelTypes, modelFamily, modelParamNames, validateEnsembleParams } from '@trainyard/ml';
import { z } from 'zod';
import { byIdEndpoint, createEndpoint, endpoint, listEndpoint } from '../common/endpoint';
import { checkMode, DataRangeDto, DeployDto, ParentModelDto, TASK_METRICS } from './training-job-options.dto';
import { JsonObject, Name, PageQuery, Timestamp, Uuid, VersionDescription, VersionLabel, queryEnum, queryInt, queryText, sortQuery } from '../common/schemas';

/** The graph adds one NaN row per lag step and one Add per window step: bounds keep exported models small. */
const MAX_LAG = 1000;
const MAX_WINDOW = 100;
const MAX_STEPS = 20;
const MAX_HORIZON = 1000;

const Column = z.string().min(1, 'must be a column name').max(500);
const dedupe = (values: string[]) => [...new Set(values)];
const Columns = (description: string) => z.array(Column, 'must be an array of column names').max(10_000).transform(dedupe).meta({ description, example: ['tenure', 'plan'] });

const PARAM_DESCRIPTIONS: Record<ModelType, string> = {
  xgboost: 'XGBoost booster parameters (camelCase), e.g. maxDepth, learningRate, numRounds, earlyStoppingRounds.',
  lightgbm: 'LightGBM gradient boosting parameters (camelCase), e.g. numLeaves, learningRate, numRounds.',
  random_forest: 'Random forest (LightGBM rf boosting) parameters, e.g. numTrees, maxDepth, featureFraction.',
  linear: 'Linear or logistic regression parameters, e.g. l2, maxIterations.',
  mlp: 'Multi-layer perceptron parameters, e.g. hiddenLayers, epochs, learningRate, batchSize.',
  lstm: 'LSTM sequence model parameters, e.g. window, units, epochs, learningRate.',
  ensemble: 'A stacked or averaged ensemble: members (each { type, params }), method and weights.',
};

/** One object per model type: its params are the family's own, checked against the family's parameter table. */
const ModelDto = z
  .discriminatedUnion(
    'type',
    MODEL_TYPES.map((type) =>
      z.strictObject({
        type: z.literal(type),
        params: z
          .looseObject(Object.fromEntries(modelParamNames(type).map((name) => [name, z.unknown().optional()])))
          .default({})
          .meta({ description: `${PARAM_DESCRIPTIONS[type]} Every name is optional; unknown names and out-of-range values are refused with the accepted range.` }),
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
    { error: () => `must be an object whose type is one of ${MODEL_TYPES.join(', ')}` },
  )
  .superRefine((model, ctx) => {
    const type = model.type as ModelType;
    if (!availableModelTypes().includes(type)) ctx.addIssue({ code: 'custom', path: ['type'], message: `${type} is not available yet; available: ${availableModelTypes().join(', ')}` });
  })
  .meta({ id: 'ModelSpec', description: 'The model family and its hyperparameters.', example: { type: 'xgboost', params: { maxDepth: 6, numRounds: 200 } } });

const ValidationDto = z
  .strictObject({
    method: z.enum(VALIDATION_METHODS).default('holdout').meta({ description: 'holdout: one random (stratified) split; kfold: k folds; time_series / time_series_cv: ordered by timeColumn, newest rows last' }),
    testSize: z.number().min(0.01).lt(0.9).default(0.2).meta({ description: 'share of rows held out for the test metrics, in [0.01, 0.9)' }),
    validationSize: z.number().min(0).lt(0.9).default(0.1).meta({ description: 'share of rows for early stopping and validation metrics, in [0, 0.9)' }),
    stratify: z.boolean().default(true).meta({ description: 'keep class shares equal across splits (classification)' }),
    folds: z.number().int().min(2).max(20).default(5).meta({ description: 'folds for kfold and time_series_cv, 2 to 20' }),
    timeColumn: Column.nullable().default(null).meta({ description: 'the column that orders rows in time; required by time_series methods and time features' }),
    seed: z.number().int().refine(Number.isSafeInteger, 'must be an integer').default(42).meta({ description: 'seed of the random split' }),
    horizon: z
      .number()
      .int('must be an integer from 1 to 1000')
      .min(1, 'must be an integer from 1 to 1000')
      .max(MAX_HORIZON, 'must be an integer from 1 to 1000')
      .nullable()
      .default(null)
      .meta({
        description:
          'forecasting: each row learns the target this many rows later in timeColumn order (within its series when seriesColumn is set); rows without a target that far ahead are left out. The target column is then an input too (its value at the row’s time is known)',
        example: 7,
      }),
    seriesColumn: Column.nullable().default(null).meta({ description: 'with horizon: the column naming each row’s series; rows are shifted within their own series' }),
  })
  .superRefine((v, ctx) => {
    if (v.testSize + v.validationSize > 0.9) ctx.addIssue({ code: 'custom', path: ['validationSize'], message: 'testSize + validationSize must leave at least 10% of rows for training' });
    if (isTimeOrdered(v.method) && !v.timeColumn) ctx.addIssue({ code: 'custom', path: ['timeColumn'], message: `required for method ${v.method}: the column that orders rows in time` });
    if (v.horizon !== null && !v.timeColumn) ctx.addIssue({ code: 'custom', path: ['timeColumn'], message: 'required with horizon: the column that orders rows in time' });
    if (v.seriesColumn !== null && v.horizon === null) ctx.addIssue({ code: 'custom', path: ['seriesColumn'], message: 'only used with horizon' });
  })
  .meta({ id: 'ValidationSpec', description: 'How rows are split for testing and validation.' });

const steps = (min: number, max: number, description: string) =>
  z
    .array(z.number().int().min(min).max(max), `must be an array of at most ${MAX_STEPS} integers from ${min} to ${max}`)
    .max(MAX_STEPS, `must be an array of at most ${MAX_STEPS} integers from ${min} to ${max}`)
    .transform((v) => [...new Set(v)].sort((a, b) => a - b))
    .meta({ description });

const TimeFeaturesDto = z
  .strictObject({
    columns: Columns('numeric or boolean feature columns to derive lags and rolling means from').refine((c) => c.length > 0, 'must name at least one numeric or boolean feature column'),
    lags: steps(1, MAX_LAG, 'each lag k adds column.lagk: the value k rows earlier').optional(),
    rollingMeans: steps(2, MAX_WINDOW, 'each window w adds column.rollingMeanw: the mean of this row and the w - 1 before it').optional(),
  })
  .superRefine((t, ctx) => {
    if (t.lags === undefined && t.rollingMeans === undefined) ctx.addIssue({ code: 'custom', path: ['lags'], message: 'give lags, rollingMeans or both' });
  })
  .transform((t) => ({ columns: t.columns, lags: t.lags ?? [], rollingMeans: t.rollingMeans ?? [] }))
  .meta({ id: 'TimeFeaturesSpec', description: 'Lag and rolling-mean features over rows ordered by validation.timeColumn.', example: { columns: ['sales'], lags: [1, 7], rollingMeans: [7] } });

const FeatureSelectionDto = z
  .strictObject({
    topK: z.number().int().min(1).max(10_000).nullable().default(null).meta({ description: 'keep the k raw columns with the most gain in a quick first fit' }),
    minImportance: z.number().gt(0).lt(1).nullable().default(null).meta({ description: 'keep the columns whose share of total gain is at least this, in (0, 1)' }),
  })
  .superRefine((s, ctx) => {
    if (s.topK === null && s.minImportance === null) ctx.addIssue({ code: 'custom', path: ['topK'], message: 'give topK, minImportance or both' });
  })
  .meta({ id: 'FeatureSelectionSpec' });

const ClassWeightsDto = z
  .union([z.literal('balanced'), z.record(z.string(), z.number().positive('weights must be positive numbers'))])
  .meta({
    id: 'ClassWeights',
    description: 'classification: "balanced" weighs each class by the inverse of its share of the training rows; a map gives a weight per label (labels not named weigh 1)',
    example: 'balanced',
  });

const PreprocessingDto = z
  .strictObject({
    timeFeatures: TimeFeaturesDto.nullable().default(null),
    featureSelection: FeatureSelectionDto.nullable().default(null),
    classWeights: ClassWeightsDto.nullable().default(null),
    oversample: z.boolean().default(false).meta({ description: 'classification: repeat random training rows of the smaller classes until each matches the largest (validation and test rows are never touched)' }),
  })
  .meta({ id: 'PreprocessingSpec', description: 'Derived features, feature selection and class balance, the features applied the same way when the model serves.' });

const ExecutionDto = z
  .strictObject({
    device: z.enum(['cpu', 'gpu', 'auto']).default('auto').meta({ description: 'auto uses a GPU when a worker offers one for the family' }),
    requireGpu: z.boolean().default(false).meta({ description: 'fail with GPU_UNAVAILABLE instead of falling back to the CPU' }),
    pipeline: z
      .enum(['auto', ...PIPELINE_MODES])
      .default('auto')
      .meta({
        description:
          'fused: every step in one activity, data in memory; staged: one activity per step, data through the object store (steps may run on other machines, a crash resumes at its step); auto: staged on a live GPU worker or above TRAINYARD_FUSE_MAX_BYTES, else fused',
      }),
  })
  .superRefine((e, ctx) => {
    if (e.requireGpu && e.device === 'cpu') ctx.addIssue({ code: 'custom', path: ['requireGpu'], message: 'cannot be true with device cpu' });
  })
  .meta({ id: 'ExecutionSpec' });

const Tags = z
  .record(
    z.string().max(100).regex(/^[^:]*$/, 'keys up to 100 characters without ":"'),
    z.string('string values up to 500 characters').max(500, 'string values up to 500 characters'),
  )
  .refine((t) => Object.keys(t).length <= 50, 'must be an object of at most 50 string values')
  .meta({ description: 'free key/value labels, filterable with ?tag=key:value', example: { team: 'growth' } });

/** The training job body: `POST /v1/training-jobs`, and the `job` of studies and schedules. */
export const TrainingJobRequest = z
  .strictObject({
    name: Name.optional().meta({ description: 'registry model name; default: dataset name + "-" + model type' }),
    experiment: Name.default('default').meta({ description: 'groups jobs for comparison' }),
    datasetId: Uuid.meta({ description: 'the id of a dataset of this tenant' }),
    target: Column.meta({ description: 'the column to predict', example: 'churned' }),
    task: z.enum(TASKS).nullable().default(null).meta({ description: 'inferred from the target when omitted' }),
    features: Columns('default: every column but the target and exclude').nullable().default(null),
    exclude: Columns('columns never used as features').default([]),
    model: ModelDto,
    validation: ValidationDto.default(ValidationDto.parse({})),
    preprocessing: PreprocessingDto.default({ timeFeatures: null, featureSelection: null, classWeights: null, oversample: false }),
    priority: z.enum(PRIORITIES).default('normal'),
    execution: ExecutionDto.default({ device: 'auto', requireGpu: false, pipeline: 'auto' }),
    tags: Tags.default({}),
    notes: z.string().max(10_000, 'must be a string of at most 10000 characters').nullable().default(null),
    mode: z
      .enum(TRAINING_MODES)
      .default('full')
      .meta({
        description:
          'full: from scratch; incremental (xgboost, lightgbm): more boosting rounds on the parent’s trees, on this data; transfer (mlp, lstm): start from the parent’s weights (a new output layer when the classes differ); ensemble_update (ensemble): model.params.members are trained on this data and join the parent’s members. Every mode but full needs `from` and encodes the data with the parent’s preprocessing plan',
      }),
    from: ParentModelDto.nullable().default(null),
    freezeLayers: z.number().int('must be an integer from 0 to 100').min(0, 'must be an integer from 0 to 100').max(100, 'must be an integer from 0 to 100').default(0).meta({ description: 'transfer: how many of the parent network’s first layers keep their weights (mlp: hidden layers; lstm: 1 is the LSTM layer)' }),
    dataRange: DataRangeDto.nullable().default(null),
    deploy: DeployDto.nullable().default(null),
    label: VersionLabel.nullable().default(null).meta({ description: 'a label the registered model version carries, e.g. "v3.0"' }),
    description: VersionDescription.nullable().default(null).meta({ description: 'a description the registered model version carries' }),
  })
  .superRefine((b, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const forecasting = b.validation.horizon !== null;
    // Forecasting may read the target's current value: it is known at the row's time.
    if (!forecasting && b.features?.includes(b.target)) issue(['features'], 'must not include the target column (unless validation.horizon forecasts it)');
    if (!forecasting && b.preprocessing.timeFeatures?.columns.includes(b.target)) issue(['preprocessing', 'timeFeatures', 'columns'], 'must not include the target column (unless validation.horizon forecasts it)');
    if (b.preprocessing.timeFeatures && !b.validation.timeColumn) issue(['validation', 'timeColumn'], 'required with preprocessing.timeFeatures: the column that orders rows in time');
    if (b.preprocessing.timeFeatures && b.validation.seriesColumn) issue(['validation', 'seriesColumn'], 'time features are computed over all rows in time order, not per series: leave out seriesColumn or preprocessing.timeFeatures');
    if (b.dataRange && !b.validation.timeColumn) issue(['validation', 'timeColumn'], 'required with dataRange: the column the range is on');
    checkMode(b, issue);
    if (b.deploy && b.task && !TASK_METRICS[b.task].includes(b.deploy.metric)) issue(['deploy', 'metric'], `a ${b.task} job has no ${b.deploy.metric}; one of ${TASK_METRICS[b.task].join(', ')}`);
  })
  .superRefine(
    (b, ctx) => {
      // The family's own parameter table; an ensemble_update names only the members it adds.
      if (!b?.model) return;
      const type = b.model.type as ModelType;
      if (!availableModelTypes().includes(type)) return;
      const params = b.model.params as Record<string, unknown>;
      const issues = b.mode === 'ensemble_update' && type === 'ensemble' ? validateEnsembleParams(params, { parentMembers: null }) : modelFamily(type).validateParams(params);
      for (const e of issues) ctx.addIssue({ code: 'custom', path: ['model', 'params', e.field], message: e.message });
    },
    // Also when other fields failed, so one answer names every problem.
    { when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'model' || i.path?.[0] === 'mode') },
  )
  .transform(
    (b): ParsedJobRequest => ({
      spec: {
        name: b.name ?? null,
        experiment: b.experiment,
        datasetId: b.datasetId,
        target: b.target,
        task: b.task,
        features: b.features,
        exclude: b.exclude,
        model: { type: b.model.type as ModelType, params: b.model.params as Record<string, unknown> },
        validation: b.validation,
        preprocessing: b.preprocessing,
        priority: b.priority,
        execution: b.execution,
        mode: b.mode,
        from: b.from,
        freezeLayers: b.freezeLayers,
        dataRange: b.dataRange,
        deploy: b.deploy,
        label: b.label,
        description: b.description,
      },
      tags: b.tags,
      notes: b.notes,
    }),
  )
  .meta({
    id: 'TrainingJobRequest',
    example: { name: 'churn', datasetId: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11', target: 'churned', exclude: ['customer_id'], model: { type: 'xgboost', params: { maxDepth: 6, numRounds: 200 } } },
  });

export interface ParsedJobRequest {
  /** The spec with every default applied except the name, which needs the dataset's name. */
  spec: Omit<TrainingSpec, 'name'> & { name: string | null };
  tags: Record<string, string>;
  notes: string | null;
}

/** `POST /v1/training-jobs/{id}/retry`: any fields of a job body, replacing the failed job's. */
export const RetryRequest = z
  .strictObject({
    name: Name.optional(),
    experiment: Name.optional(),
    datasetId: Uuid.optional(),
    target: Column.optional(),
    task: z.enum(TASKS).nullable().optional(),
    features: z.array(Column).nullable().optional(),
    exclude: z.array(Column).optional(),
    model: z.unknown().optional(),
    validation: z.unknown().optional(),
    preprocessing: z.unknown().optional(),
    priority: z.enum(PRIORITIES).optional(),
    execution: z.unknown().optional(),
    tags: z.unknown().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    mode: z.unknown().optional(),
    from: z.unknown().optional(),
    freezeLayers: z.unknown().optional(),
    dataRange: z.unknown().optional(),
    deploy: z.unknown().optional(),
    label: z.unknown().optional(),
    description: z.unknown().optional(),
  })
  .meta({
    id: 'RetryRequest',
    description: 'Fields to override, each as in a training job body; the merged body is validated like a new job.',
    example: { target: 'churned', model: { type: 'xgboost', params: { maxDepth: 4 } } },
  });

const Metrics = z
  .looseObject({
    accuracy: z.number().nullable().optional(),
    precision: z.number().nullable().optional(),
    recall: z.number().nullable().optional(),
    f1: z.number().nullable().optional().meta({ description: 'macro' }),
    rocAuc: z.number().nullable().optional(),
    logLoss: z.number().nullable().optional(),
    perClass: z
      .record(z.string(), z.looseObject({ precision: z.number().nullable(), recall: z.number().nullable(), f1: z.number().nullable(), support: z.number().int() }))
      .optional()
      .meta({ description: 'class label → its precision, recall, f1 and support (test rows of that class)' }),
    confusionMatrix: z
      .array(z.array(z.number().int()))
      .optional()
      .meta({ description: 'test rows by class: confusionMatrix[true][predicted], classes in the order of the model version’s signature.classLabels' }),
    mae: z.number().nullable().optional(),
    rmse: z.number().nullable().optional(),
    mape: z.number().nullable().optional(),
    r2: z.number().nullable().optional(),
  })
  .meta({ id: 'Metrics', description: 'classification: accuracy, precision, recall, f1 (macro), rocAuc, logLoss, perClass, confusionMatrix; regression: mae, rmse, mape, r2' });

export const TrainingJobDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    experiment: z.string(),
    status: z.enum(JOB_STATUSES),
    stage: z.enum(STAGES).nullable(),
    progress: z.number().min(0).max(1).meta({ description: '0..1, rises monotonically while running' }),
    priority: z.enum(PRIORITIES),
    model: z.strictObject({ type: z.enum(MODEL_TYPES), params: JsonObject }),
    effectiveParams: JsonObject.nullable().meta({ description: 'the model params as trained: every default resolved and the thread count the worker injected; null until training starts' }),
    datasetId: Uuid,
    target: z.string(),
    task: z.enum(TASKS).nullable(),
    features: z.array(z.string()).nullable(),
    exclude: z.array(z.string()),
    validation: JsonObject.meta({ description: 'the ValidationSpec after defaults' }),
    preprocessing: JsonObject.meta({ description: 'the PreprocessingSpec after defaults' }),
    execution: z.strictObject({ device: z.enum(['cpu', 'gpu', 'auto']), requireGpu: z.boolean(), pipeline: z.enum(['auto', ...PIPELINE_MODES]).optional() }),
    device: z.enum(['cpu', 'gpu']).nullable().meta({ description: 'where it trained' }),
    metrics: Metrics.nullable().meta({ description: 'test-set metrics' }),
    validationMetrics: Metrics.nullable(),
    cvMetrics: JsonObject.nullable().meta({ description: 'per-fold metrics and their mean and spread, for cross-validated methods' }),
    trainMetrics: Metrics.nullable().meta({ description: 'the same metrics on the training split (a seeded sample of at most 20000 rows), set at evaluation: far better than the test metrics means overfitting' }),
    classDistribution: z
      .strictObject({
        counts: z.record(z.string(), z.number().int()).meta({ description: 'rows per class label, over every row with a target' }),
        imbalanceRatio: z.number().meta({ description: 'rows of the largest class over rows of the smallest (1 when balanced)' }),
        oversampledTrainCounts: z.record(z.string(), z.number().int()).optional().meta({ description: 'training rows per class after preprocessing.oversample' }),
      })
      .nullable()
      .meta({ id: 'ClassDistribution', description: 'classification: set at preprocessing' }),
    error: z.strictObject({ code: z.enum(JOB_ERROR_CODES), message: z.string() }).nullable(),
    modelVersion: z.strictObject({ name: z.string(), version: z.number().int() }).nullable(),
    deploymentReady: z.boolean().nullable().meta({ description: 'whether the test metrics met the job’s deploy rule (and, for a schedule that promotes, whether the model beat the alias holder); null without either' }),
    performanceImprovement: z.number().nullable(),
    retryOf: Uuid.nullable(),
    studyId: Uuid.nullable(),
    scheduleId: Uuid.nullable(),
    workflowId: z.string(),
    temporalUrl: z.string().nullable().meta({ description: "the run's page in the Temporal UI, when the deployment sets TRAINYARD_TEMPORAL_UI_URL" }),
    tags: z.record(z.string(), z.string()),
    notes: z.string().nullable(),
    label: z.string().nullable().meta({ description: 'the label its model version takes' }),
    description: z.string().nullable().meta({ description: 'the description its model version takes' }),
    createdBy: z.string().meta({ description: 'the name of the token that submitted it' }),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    durationSeconds: z.number().nullable(),
    estimatedCompletionAt: Timestamp.nullable().meta({ description: 'running jobs that have begun training: now plus the remaining progress at the pace measured since training began' }),
    mode: z.enum(TRAINING_MODES),
    from: z.strictObject({ model: z.string(), version: z.number().int().optional(), alias: z.string().optional() }).nullable().meta({ description: 'the parent of a non-full mode, as asked; lineage names the version it resolved to' }),
    freezeLayers: z.number().int(),
    dataRange: z.strictObject({ from: z.union([z.string(), z.number()]).nullable(), to: z.union([z.string(), z.number()]).nullable() }).nullable(),
    deploy: z.strictObject({ metric: z.string(), min: z.number().nullable(), max: z.number().nullable() }).nullable(),
  })
  .meta({ id: 'TrainingJob' });
export type TrainingJobDto = z.output<typeof TrainingJobDto>;


const LOG_LEVEL_VALUES = ['debug', 'info', 'warn', 'error'] as const;

export const JobLogDto = z
  .strictObject({
    ts: Timestamp,
    level: z.enum(LOG_LEVEL_VALUES),
    stage: z.enum(STAGES).nullable(),
    message: z.string(),
    data: JsonObject.nullable(),
  })
  .meta({ id: 'JobLog' });

export const JobLogsDto = z.strictObject({ items: z.array(JobLogDto) }).meta({ id: 'JobLogs' });

export const MetricSeriesDto = z
  .strictObject({
    series: z.record(z.string(), z.array(z.strictObject({ step: z.number().int(), value: z.number().nullable(), ts: Timestamp }))).meta({
      description: 'per metric name (e.g. train.logLoss, validation.logLoss), one point per boosting round or epoch',
    }),
  })
  .meta({ id: 'MetricSeries' });

const ScalarRecord = z.record(z.string(), z.number().nullable());

export const JobComparisonDto = z
  .strictObject({
    jobs: z.array(
      z.strictObject({
        id: Uuid,
        name: z.string(),
        experiment: z.string(),
        status: z.enum(JOB_STATUSES),
        modelType: z.enum(MODEL_TYPES),
        datasetId: Uuid,
        params: JsonObject,
        metrics: ScalarRecord,
        validationMetrics: ScalarRecord,
        durationSeconds: z.number().nullable(),
        modelVersion: z.strictObject({ name: z.string(), version: z.number().int() }).nullable(),
      }),
    ),
    params: z.record(z.string(), z.record(z.string(), z.unknown())).meta({ description: 'param name → job id → value (null where a job did not set it)' }),
    metrics: z.record(z.string(), z.record(z.string(), z.number().nullable())).meta({ description: 'metric name → job id → value' }),
  })
  .meta({ id: 'JobComparison' });
export type JobComparison = z.output<typeof JobComparisonDto>;

export const JOB_SORT_FIELDS = ['createdAt', 'startedAt', 'completedAt', 'name', 'status', 'priority', 'progress'] as const;

const TagFilter = z
  .preprocess(
    (v) => (v === undefined || v === '' ? [] : ([] as unknown[]).concat(v)),
    z.array(z.string().regex(/^[^:]+:/, 'must look like key:value')),
  )
  .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)])) as Record<string, string>)
  .meta({ description: 'key:value; repeat for several tags (all must match)', example: 'team:growth' });

export const JobListQuery = PageQuery.extend({
  q: queryText('jobs whose name, notes or error message contain this text (case-insensitive)', z.string().max(200, 'must be at most 200 characters')),
  status: queryEnum(JOB_STATUSES, 'only jobs in this status'),
  experiment: queryText('only jobs of this experiment', Name),
  name: queryText('only jobs of this model name', Name),
  modelType: queryEnum(MODEL_TYPES, 'only jobs of this model type'),
  tag: TagFilter,
  sort: sortQuery(JOB_SORT_FIELDS, '-createdAt'),
});
export type JobListQuery = z.output<typeof JobListQuery>;

const tag = 'training-jobs';

export const createJob = createEndpoint({
  path: '/v1/training-jobs',
  tag,
  summary: 'Submit a training job',
  description:
    'Column names (target, features, exclude, validation.timeColumn, preprocessing.timeFeatures.columns) are checked against the dataset at submit, and so is the target against the task: classification needs a label column with at most 100 distinct values (not continuous numbers), regression a numeric one.',
  role: 'trainer',
  body: TrainingJobRequest,
  responseDescription: 'the queued job',
  response: TrainingJobDto,
  errors: ['DATASET_NOT_FOUND', 'UNAVAILABLE'],
});

export const listJobs = listEndpoint({ path: '/v1/training-jobs', tag, summary: 'List training jobs', query: JobListQuery, item: TrainingJobDto });

export const compareJobs = endpoint({
  method: 'get',
  path: '/v1/training-jobs/compare',
  tag,
  summary: 'Params and metrics of several jobs side by side',
  role: 'viewer',
  query: z.strictObject({
    ids: z
      .string('a comma-separated list of 1 to 50 job ids')
      .transform((raw) => [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))])
      .pipe(z.array(Uuid, 'a comma-separated list of 1 to 50 job ids').min(1, 'a comma-separated list of 1 to 50 job ids').max(50, 'a comma-separated list of 1 to 50 job ids'))
      .meta({ description: 'comma-separated job ids', example: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11,0b8e3f6a-81d5-4c1e-9d5e-3a2b1c0d9e8f' }),
  }),
  status: 200,
  responseDescription: 'the jobs, their params and their metrics',
  response: JobComparisonDto,
  errors: [],
});

export const getJob = byIdEndpoint({
  method: 'get',
  path: '/v1/training-jobs/{id}',
  tag,
  summary: 'Get a training job',
  role: 'viewer',
  resource: 'JOB',
  status: 200,
  responseDescription: 'the job',
  response: TrainingJobDto,
  errors: [],
});

export const BulkCancelRequest = z
  .strictObject({
    status: z.enum(['queued', 'running'], 'must be queued or running').default('queued').meta({ description: 'which jobs: queued (the default) or running' }),
    experiment: Name.optional().meta({ description: 'only jobs of this experiment' }),
    tag: TagFilter.meta({ description: 'key:value, or an array of them (all must match)', example: 'team:growth' }),
  })
  .meta({ id: 'BulkCancelRequest', example: { status: 'queued', experiment: 'nightly', tag: 'team:growth' } });

export type BulkCancelFilter = z.output<typeof BulkCancelRequest>;

export const cancelJobs = endpoint({
  method: 'post',
  path: '/v1/training-jobs/cancel',
  tag,
  summary: 'Cancel every job that matches a filter',
  description:
    'Asks every matching job of the tenant to stop, as POST …/{id}/cancel does for one; each reaches cancelled shortly after (until then it keeps its status, and a second call asks it again). An empty body cancels every queued job.',
  role: 'trainer',
  body: BulkCancelRequest,
  bodyOptional: true,
  status: 202,
  responseDescription: 'how many jobs were asked to stop',
  response: z.strictObject({ cancelled: z.number().int().meta({ description: 'jobs whose cancellation was requested' }) }).meta({ id: 'BulkCancelResult' }),
  errors: ['UNAVAILABLE'],
});

export const cancelJob = byIdEndpoint({
  method: 'post',
  path: '/v1/training-jobs/{id}/cancel',
  tag,
  summary: 'Cancel a job',
  description: 'The job reaches cancelled shortly after.',
  role: 'trainer',
  resource: 'JOB',
  status: 202,
  responseDescription: 'the job',
  response: TrainingJobDto,
  errors: ['JOB_NOT_CANCELLABLE', 'UNAVAILABLE'],
});

export const retryJob = byIdEndpoint({
  method: 'post',
  path: '/v1/training-jobs/{id}/retry',
  tag,
  summary: 'Retry a failed or cancelled job',
  description: 'A new job with the same request, with any fields in the body replacing the old ones (validated as a new job), and retryOf set.',
  role: 'trainer',
  body: RetryRequest,
  bodyOptional: true,
  resource: 'JOB',
  status: 201,
  responseDescription: 'the new job',
  response: TrainingJobDto,
  errors: ['JOB_NOT_RETRYABLE', 'DATASET_NOT_FOUND', 'UNAVAILABLE'],
});

export const jobMetrics = byIdEndpoint({
  method: 'get',
  path: '/v1/training-jobs/{id}/metrics',
  tag,
  summary: "A job's metric series",
  role: 'viewer',
  resource: 'JOB',
  status: 200,
  responseDescription: 'the series',
  response: MetricSeriesDto,
  errors: [],
});

export const jobLogs = byIdEndpoint({
  method: 'get',
  path: '/v1/training-jobs/{id}/logs',
  tag,
  summary: "A job's log",
  description: 'JSON by default; with Accept: text/event-stream a live stream of `log` events and a final `end` event ({ status, error }) when the job ends.',
  role: 'viewer',
  query: z.strictObject({
    tail: queryInt(1, 10_000, 100, 'the last n lines'),
    level: z.preprocess((v) => (v === '' ? undefined : v), z.enum(LOG_LEVEL_VALUES, `must be one of ${LOG_LEVEL_VALUES.join(', ')}`).default('debug')).meta({ description: 'the least level shown' }),
  }),
  resource: 'JOB',
  status: 200,
  responseDescription: 'the log lines, oldest first',
  response: JobLogsDto,
  produces: { 'text/event-stream': { description: 'events `log` (a JobLog), then `end` ({ status, error }) when the job ends' } },
  errors: [],
});
