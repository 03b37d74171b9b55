import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { metricsWithoutPlots, type EvaluateResult, type FeatureSelectionOutcome, type LoadFeaturesResult, type ModelVersionRef, type StepInput, type Task, type TrainingSpec } from '@trainyard/contracts';
import { ModelVersion, type ModelLineage } from '@trainyard/db';
import { onnxInputSignature, timeFeatureName, type PreprocessPlan } from '@trainyard/ml';
import type { ActivityDeps } from '../activity-deps';
import { CODE_VERSION } from '../code-version';
import type { StepContext } from './step-context';

export interface Registration {
  load: LoadFeaturesResult;
  plan: PreprocessPlan;
  task: Task;
  classLabels: string[] | null;
  featureSelection?: FeatureSelectionOutcome;
  trained: { engine: string; engineVersion: string; featureImportance: { feature: string; importance: number }[]; params?: Record<string, unknown>; effectiveParams?: Record<string, unknown> };
  evaluated: EvaluateResult;
  /** The version a non-full run built on. */
  parent?: ModelVersionRef;
}

/** A model version row as registration writes it. */
export type NewModelVersion = Pick<
  ModelVersion,
  'tenantId' | 'name' | 'version' | 'jobId' | 'modelType' | 'task' | 'artifact' | 'plan' | 'engineModel' | 'sha256' | 'sizeBytes' | 'metrics' | 'signature' | 'featureImportance' | 'lineage' | 'label' | 'description' | 'createdAt'
>;

/** Where model versions are recorded: the database in a worker (versionRegistry), a fake in a spec. */
export interface VersionRegistry {
  /** The version this job registered, if it did: a retried or resumed job registers at most one. */
  registeredBy(jobId: string): Promise<ModelVersionRef | null>;
  /** The highest version of the tenant's model `name`; 0 before its first. */
  latest(tenantId: string, name: string): Promise<number>;
  /** Records the version; false when its number, or a version of its job, is already taken. */
  insert(version: NewModelVersion): Promise<boolean>;
}

/** The registry on the database, each call on its own EntityManager fork. */
export function versionRegistry(deps: ActivityDeps): VersionRegistry {
  return {
    async registeredBy(jobId) {
      const existing = await deps.orm.em.fork().findOne(ModelVersion, { jobId }, { fields: ['name', 'version'] });
      return existing ? { name: existing.name, version: existing.version } : null;
    },
    async latest(tenantId, name) {
      const latest = await deps.orm.em.fork().findOne(ModelVersion, { tenantId, name }, { orderBy: { version: 'desc' }, fields: ['version'] });
      return latest?.version ?? 0;
    },
    async insert(version) {
      const em = deps.orm.em.fork();
      try {
        await em.persistAndFlush(em.create(ModelVersion, version));
        return true;
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException) return false;
        throw err;
      }
    },
  };
}

/** Tries at most this many version numbers before the attempt fails (and Temporal retries it). */
const VERSION_TRIES = 6;

/** Records the model version; one per job, so a retried step returns the version it made the first time. */
export async function registerVersion(versions: VersionRegistry, ctx: StepContext, input: StepInput, r: Registration): Promise<ModelVersionRef> {
  for (let tries = 1; ; tries++) {
    const done = await versions.registeredBy(input.jobId);
    if (done) return done;
    const version = versionRow(input, r, (await versions.latest(input.tenantId, input.spec.name)) + 1);
    if (await versions.insert(version)) {
      await ctx.log('info', `registered ${version.name} v${version.version}`, { sha256: version.sha256 });
      return { name: version.name, version: version.version };
    }
    // Another job took this version number (or this job's retry won the race): look again.
    if (tries >= VERSION_TRIES) throw new Error(`no free version number for ${input.spec.name} after ${tries} tries`);
  }
}

/** The version row: the exported model, its signature, and the lineage that says how it was made. */
function versionRow(input: StepInput, r: Registration, version: number): NewModelVersion {
  const { spec } = input;
  return {
    tenantId: input.tenantId,
    name: spec.name,
    version,
    jobId: input.jobId,
    modelType: spec.model.type,
    task: r.task,
    artifact: r.evaluated.onnx,
    plan: r.evaluated.plan,
    engineModel: r.evaluated.engineModel ?? null,
    sha256: r.evaluated.onnx.sha256,
    sizeBytes: r.evaluated.onnx.size,
    // The plots stay on the job (GET /v1/training-jobs/{id}): every version listing would carry them otherwise.
    metrics: metricsWithoutPlots(r.evaluated.metrics),
    signature: modelSignature(r.plan, r.task, r.classLabels),
    featureImportance: r.trained.featureImportance,
    lineage: modelLineage(spec, r),
    label: spec.label ?? null,
    description: spec.description ?? null,
    createdAt: new Date(),
  };
}

/** Where the model came from: data, params, code and engine, and what it builds on and predicts. */
function modelLineage(spec: TrainingSpec, r: Registration): ModelLineage {
  const timeColumn = spec.validation.timeColumn;
  return {
    datasetId: spec.datasetId,
    datasetSha256: r.load.datasetSha256,
    params: r.trained.params ?? spec.model.params,
    ...(r.trained.effectiveParams ? { effectiveParams: r.trained.effectiveParams } : {}),
    codeVersion: CODE_VERSION,
    engine: r.trained.engine,
    engineVersion: r.trained.engineVersion,
    inputColumns: r.plan.inputs.map((i) => i.name),
    ...(r.featureSelection ? { featureSelection: r.featureSelection } : {}),
    ...(r.plan.timeColumn && r.plan.timeFeatures?.length ? { timeFeatures: { timeColumn: r.plan.timeColumn, features: r.plan.timeFeatures.map(timeFeatureName) } } : {}),
    ...(r.parent && spec.mode && spec.mode !== 'full' ? { mode: spec.mode, parent: r.parent } : {}),
    ...(r.plan.forecast ? { forecast: { ...r.plan.forecast } } : {}),
    ...(spec.dataRange && timeColumn ? { dataRange: { timeColumn, from: spec.dataRange.from, to: spec.dataRange.to } } : {}),
  };
}

/** The raw columns the model takes (as the dataset has them; datetimes as epoch ms) and what it returns. */
export function modelSignature(plan: PreprocessPlan, task: Task, classLabels: string[] | null) {
  return {
    inputs: onnxInputSignature(plan).map((i) => ({ name: i.name, type: i.columnType, onnxType: i.type })),
    outputs:
      task === 'classification'
        ? [
            { name: 'label', type: 'int64[N]' },
            { name: 'probabilities', type: `float32[N,${classLabels?.length ?? 2}]` },
          ]
        : [{ name: 'variable', type: 'float32[N,1]' }],
    classLabels,
  };
}
