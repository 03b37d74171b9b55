import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EvaluateResult, FeatureSelectionOutcome, LoadFeaturesResult, ModelVersionRef, StepInput, Task } from '@trainyard/contracts';
import { ModelVersion } from '@trainyard/db';
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
  trained: { engine: string; engineVersion: string; featureImportance: { feature: string; importance: number }[]; effectiveParams?: Record<string, unknown> };
  evaluated: EvaluateResult;
}

/** The version this job registered, if it did: a retried or resumed job registers at most one. */
export async function registeredVersion(deps: ActivityDeps, jobId: string): Promise<ModelVersionRef | null> {
  const existing = await deps.orm.em.fork().findOne(ModelVersion, { jobId }, { fields: ['name', 'version'] });
  return existing ? { name: existing.name, version: existing.version } : null;
}

/** Records the model version; one per job, so a retried step returns the version it made the first time. */
export async function registerVersion(deps: ActivityDeps, ctx: StepContext, input: StepInput, r: Registration): Promise<ModelVersionRef> {
  const { spec } = input;
  for (let attempt = 0; ; attempt++) {
    const done = await registeredVersion(deps, input.jobId);
    if (done) return done;
    const em = deps.orm.em.fork();
    const latest = await em.findOne(ModelVersion, { tenantId: input.tenantId, name: spec.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
    const version = em.create(ModelVersion, {
      tenantId: input.tenantId,
      name: spec.name,
      version: (latest?.version ?? 0) + 1,
      jobId: input.jobId,
      modelType: spec.model.type,
      task: r.task,
      artifact: r.evaluated.onnx,
      plan: r.evaluated.plan,
      sha256: r.evaluated.onnx.sha256,
      sizeBytes: r.evaluated.onnx.size,
      metrics: r.evaluated.metrics,
      signature: modelSignature(r.plan, r.task, r.classLabels),
      featureImportance: r.trained.featureImportance,
      label: spec.label ?? null,
      description: spec.description ?? null,
      lineage: {
        datasetId: spec.datasetId,
        datasetSha256: r.load.datasetSha256,
        params: spec.model.params,
        ...(r.trained.effectiveParams ? { effectiveParams: r.trained.effectiveParams } : {}),
        codeVersion: CODE_VERSION,
        engine: r.trained.engine,
        engineVersion: r.trained.engineVersion,
        inputColumns: r.plan.inputs.map((i) => i.name),
        ...(r.featureSelection ? { featureSelection: r.featureSelection } : {}),
        ...(r.plan.timeColumn && r.plan.timeFeatures?.length ? { timeFeatures: { timeColumn: r.plan.timeColumn, features: r.plan.timeFeatures.map(timeFeatureName) } } : {}),
      },
      createdAt: new Date(),
    });
    try {
      await em.persistAndFlush(version);
      await ctx.log('info', `registered ${version.name} v${version.version}`, { sha256: version.sha256 });
      return { name: version.name, version: version.version };
    } catch (err) {
      // Another job took this version number (or this job's retry won the race): look again.
      if (!(err instanceof UniqueConstraintViolationException) || attempt >= 5) throw err;
    }
  }
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
