import {
  MODEL_TYPES,
  PIPELINE_MODES,
  PRIORITIES,
  TASKS,
  VALIDATION_METHODS,
  defaultPreprocessing,
  defaultValidation,
  isTimeOrdered,
  type ExecutionSpec,
  type FeatureSelectionSpec,
  type ModelType,
  type PreprocessingSpec,
  type TimeFeaturesSpec,
  type TrainingSpec,
  type ValidationSpec,
} from '@trainyard/contracts';
import { availableModelTypes, modelFamily } from '@trainyard/ml';
import { validationFailed, type FieldError } from '../common/api-error';

const TOP_LEVEL = ['name', 'experiment', 'datasetId', 'target', 'task', 'features', 'exclude', 'model', 'validation', 'preprocessing', 'priority', 'execution', 'tags', 'notes'];
/** The graph adds one NaN row per lag step and one Add per window step: bounds keep exported models small. */
const MAX_LAG = 1000;
const MAX_WINDOW = 100;
const MAX_STEPS = 20;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ParsedJobRequest {
  /** The spec with every default applied except the name, which needs the dataset's name. */
  spec: Omit<TrainingSpec, 'name'> & { name: string | null };
  tags: Record<string, string>;
  notes: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownFields(value: Obj, allowed: string[], prefix: string, errors: FieldError[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) errors.push({ field: prefix + key, message: 'is not a known field' });
  }
}

function stringList(value: unknown, field: string, errors: FieldError[]): string[] | null {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    errors.push({ field, message: 'must be an array of column names' });
    return null;
  }
  return [...new Set(value as string[])];
}

function fraction(value: unknown, field: string, fallback: number, min: number, max: number, errors: FieldError[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value < max)) {
    errors.push({ field, message: `must be a number in [${min}, ${max})` });
    return fallback;
  }
  return value;
}

function parseValidation(raw: unknown, errors: FieldError[]): ValidationSpec {
  if (raw === undefined) return { ...defaultValidation };
  if (!isObj(raw)) {
    errors.push({ field: 'validation', message: 'must be an object' });
    return { ...defaultValidation };
  }
  unknownFields(raw, Object.keys(defaultValidation), 'validation.', errors);
  const v: ValidationSpec = { ...defaultValidation };
  if (raw.method !== undefined) {
    if (!VALIDATION_METHODS.includes(raw.method as never)) errors.push({ field: 'validation.method', message: `must be one of ${VALIDATION_METHODS.join(', ')}` });
    else v.method = raw.method as ValidationSpec['method'];
  }
  v.testSize = fraction(raw.testSize, 'validation.testSize', v.testSize, 0.01, 0.9, errors);
  v.validationSize = fraction(raw.validationSize, 'validation.validationSize', v.validationSize, 0, 0.9, errors);
  if (v.testSize + v.validationSize > 0.9) errors.push({ field: 'validation.validationSize', message: 'testSize + validationSize must leave at least 10% of rows for training' });
  if (raw.stratify !== undefined) {
    if (typeof raw.stratify !== 'boolean') errors.push({ field: 'validation.stratify', message: 'must be a boolean' });
    else v.stratify = raw.stratify;
  }
  if (raw.folds !== undefined) {
    if (!Number.isInteger(raw.folds) || (raw.folds as number) < 2 || (raw.folds as number) > 20) errors.push({ field: 'validation.folds', message: 'must be an integer from 2 to 20' });
    else v.folds = raw.folds as number;
  }
  if (raw.timeColumn !== undefined && raw.timeColumn !== null && typeof raw.timeColumn !== 'string') errors.push({ field: 'validation.timeColumn', message: 'must be a column name or null' });
  else if (raw.timeColumn !== undefined) v.timeColumn = raw.timeColumn as string | null;
  if (raw.seed !== undefined) {
    if (!Number.isSafeInteger(raw.seed)) errors.push({ field: 'validation.seed', message: 'must be an integer' });
    else v.seed = raw.seed as number;
  }
  if (isTimeOrdered(v.method) && !v.timeColumn) errors.push({ field: 'validation.timeColumn', message: `required for method ${v.method}: the column that orders rows in time` });
  return v;
}

function integerList(value: unknown, field: string, min: number, max: number, errors: FieldError[]): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_STEPS || value.some((v) => !Number.isInteger(v) || v < min || v > max)) {
    errors.push({ field, message: `must be an array of at most ${MAX_STEPS} integers from ${min} to ${max}` });
    return [];
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function parseTimeFeatures(raw: unknown, validation: ValidationSpec, errors: FieldError[]): TimeFeaturesSpec | null {
  if (raw === undefined || raw === null) return null;
  const field = 'preprocessing.timeFeatures';
  if (!isObj(raw)) {
    errors.push({ field, message: 'must be an object or null' });
    return null;
  }
  unknownFields(raw, ['columns', 'lags', 'rollingMeans'], `${field}.`, errors);
  const columns = stringList(raw.columns, `${field}.columns`, errors) ?? [];
  if (raw.columns !== undefined && Array.isArray(raw.columns) && columns.length === 0) errors.push({ field: `${field}.columns`, message: 'must name at least one numeric or boolean feature column' });
  const lags = integerList(raw.lags, `${field}.lags`, 1, MAX_LAG, errors);
  const rollingMeans = integerList(raw.rollingMeans, `${field}.rollingMeans`, 2, MAX_WINDOW, errors);
  if (raw.lags === undefined && raw.rollingMeans === undefined) errors.push({ field: `${field}.lags`, message: 'give lags, rollingMeans or both' });
  if (!validation.timeColumn) errors.push({ field: 'validation.timeColumn', message: 'required with preprocessing.timeFeatures: the column that orders rows in time' });
  return { columns, lags, rollingMeans };
}

function parseFeatureSelection(raw: unknown, errors: FieldError[]): FeatureSelectionSpec | null {
  if (raw === undefined || raw === null) return null;
  const field = 'preprocessing.featureSelection';
  if (!isObj(raw)) {
    errors.push({ field, message: 'must be an object or null' });
    return null;
  }
  unknownFields(raw, ['topK', 'minImportance'], `${field}.`, errors);
  const selection: FeatureSelectionSpec = { topK: null, minImportance: null };
  if (raw.topK !== undefined && raw.topK !== null) {
    if (!Number.isInteger(raw.topK) || (raw.topK as number) < 1) errors.push({ field: `${field}.topK`, message: 'must be a positive integer or null' });
    else selection.topK = raw.topK as number;
  }
  if (raw.minImportance !== undefined && raw.minImportance !== null) {
    if (typeof raw.minImportance !== 'number' || !(raw.minImportance > 0 && raw.minImportance < 1)) errors.push({ field: `${field}.minImportance`, message: 'must be a share of total importance in (0, 1), or null' });
    else selection.minImportance = raw.minImportance;
  }
  if (raw.topK == null && raw.minImportance == null) errors.push({ field: `${field}.topK`, message: 'give topK, minImportance or both' });
  return selection;
}

function parsePreprocessing(raw: unknown, validation: ValidationSpec, target: unknown, errors: FieldError[]): PreprocessingSpec {
  if (raw === undefined) return { ...defaultPreprocessing };
  if (!isObj(raw)) {
    errors.push({ field: 'preprocessing', message: 'must be an object' });
    return { ...defaultPreprocessing };
  }
  unknownFields(raw, Object.keys(defaultPreprocessing), 'preprocessing.', errors);
  const timeFeatures = parseTimeFeatures(raw.timeFeatures, validation, errors);
  if (typeof target === 'string' && timeFeatures?.columns.includes(target)) errors.push({ field: 'preprocessing.timeFeatures.columns', message: 'must not include the target column' });
  return { timeFeatures, featureSelection: parseFeatureSelection(raw.featureSelection, errors) };
}

/** Validates a training job body field by field and applies the documented defaults. */
export function parseTrainingJobRequest(body: unknown): ParsedJobRequest {
  const errors: FieldError[] = [];
  if (!isObj(body)) throw validationFailed([{ field: 'body', message: 'must be a JSON object' }]);
  unknownFields(body, TOP_LEVEL, '', errors);

  if (body.name !== undefined && (typeof body.name !== 'string' || !NAME.test(body.name))) errors.push({ field: 'name', message: 'letters, digits, ".", "_" or "-", up to 128 characters' });
  const experiment = body.experiment === undefined ? 'default' : body.experiment;
  if (typeof experiment !== 'string' || !NAME.test(experiment)) errors.push({ field: 'experiment', message: 'letters, digits, ".", "_" or "-", up to 128 characters' });
  if (typeof body.datasetId !== 'string' || !UUID.test(body.datasetId)) errors.push({ field: 'datasetId', message: 'required: the id of a dataset' });
  if (typeof body.target !== 'string' || body.target === '') errors.push({ field: 'target', message: 'required: the name of the column to predict' });
  if (body.task !== undefined && body.task !== null && !TASKS.includes(body.task as never)) errors.push({ field: 'task', message: `must be one of ${TASKS.join(', ')}` });
  const features = body.features === undefined || body.features === null ? null : stringList(body.features, 'features', errors);
  const exclude = body.exclude === undefined ? [] : (stringList(body.exclude, 'exclude', errors) ?? []);
  if (typeof body.target === 'string' && features?.includes(body.target)) errors.push({ field: 'features', message: 'must not include the target column' });

  let modelType: ModelType = 'xgboost';
  let params: Obj = {};
  if (!isObj(body.model)) errors.push({ field: 'model', message: 'required: { "type": ..., "params": {...} }' });
  else {
    unknownFields(body.model, ['type', 'params'], 'model.', errors);
    if (!MODEL_TYPES.includes(body.model.type as never)) errors.push({ field: 'model.type', message: `must be one of ${MODEL_TYPES.join(', ')}` });
    else if (!availableModelTypes().includes(body.model.type as ModelType)) errors.push({ field: 'model.type', message: `${String(body.model.type)} is not available yet; available: ${availableModelTypes().join(', ')}` });
    else modelType = body.model.type as ModelType;
    if (body.model.params !== undefined && !isObj(body.model.params)) errors.push({ field: 'model.params', message: 'must be an object' });
    else if (isObj(body.model.params)) params = body.model.params;
    if (availableModelTypes().includes(modelType)) {
      for (const e of modelFamily(modelType).validateParams(params)) errors.push({ field: `model.params.${e.field}`, message: e.message });
    }
  }

  const validation = parseValidation(body.validation, errors);
  const preprocessing = parsePreprocessing(body.preprocessing, validation, body.target, errors);
  const priority = body.priority ?? 'normal';
  if (!PRIORITIES.includes(priority as never)) errors.push({ field: 'priority', message: `must be one of ${PRIORITIES.join(', ')}` });

  const execution: ExecutionSpec = { device: 'auto', requireGpu: false, pipeline: 'auto' };
  if (body.execution !== undefined) {
    if (!isObj(body.execution)) errors.push({ field: 'execution', message: 'must be an object' });
    else {
      unknownFields(body.execution, ['device', 'requireGpu', 'pipeline'], 'execution.', errors);
      if (body.execution.device !== undefined) {
        if (!['cpu', 'gpu', 'auto'].includes(body.execution.device as string)) errors.push({ field: 'execution.device', message: 'must be one of cpu, gpu, auto' });
        else execution.device = body.execution.device as 'cpu' | 'gpu' | 'auto';
      }
      if (body.execution.requireGpu !== undefined) {
        if (typeof body.execution.requireGpu !== 'boolean') errors.push({ field: 'execution.requireGpu', message: 'must be a boolean' });
        else execution.requireGpu = body.execution.requireGpu;
      }
      if (body.execution.pipeline !== undefined) {
        if (!['auto', ...PIPELINE_MODES].includes(body.execution.pipeline as string)) errors.push({ field: 'execution.pipeline', message: `must be one of auto, ${PIPELINE_MODES.join(', ')}` });
        else execution.pipeline = body.execution.pipeline as ExecutionSpec['pipeline'];
      }
      if (execution.requireGpu && execution.device === 'cpu') errors.push({ field: 'execution.requireGpu', message: 'cannot be true with device cpu' });
    }
  }

  const tags: Record<string, string> = {};
  if (body.tags !== undefined) {
    if (!isObj(body.tags) || Object.keys(body.tags).length > 50) errors.push({ field: 'tags', message: 'must be an object of at most 50 string values' });
    else {
      for (const [k, v] of Object.entries(body.tags)) {
        if (typeof v !== 'string' || k.length > 100 || v.length > 500 || k.includes(':')) errors.push({ field: `tags.${k}`, message: 'keys up to 100 characters without ":", string values up to 500' });
        else tags[k] = v;
      }
    }
  }
  if (body.notes !== undefined && body.notes !== null && (typeof body.notes !== 'string' || body.notes.length > 10_000)) errors.push({ field: 'notes', message: 'must be a string of at most 10000 characters' });
  if (errors.length) throw validationFailed(errors);

  return {
    spec: {
      name: (body.name as string | undefined) ?? null,
      experiment: experiment as string,
      datasetId: body.datasetId as string,
      target: body.target as string,
      task: (body.task as TrainingSpec['task']) ?? null,
      features,
      exclude,
      model: { type: modelType, params },
      validation,
      preprocessing,
      priority: priority as TrainingSpec['priority'],
      execution,
    },
    tags,
    notes: (body.notes as string | null | undefined) ?? null,
  };
}
