import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { readFile } from 'node:fs/promises';
import type { ModelVersionRef, RegisterInput, Task } from '@trainyard/contracts';
import { onnxInputSignature, timeFeatureName, type PreprocessPlan } from '@trainyard/ml';
import { ModelVersion } from '@trainyard/db';
import type { ActivityDeps } from './activity-deps';
import { CODE_VERSION } from './code-version';
import { runStep } from './job-context';
import { dataPath } from './job-files';

/** Records the model version; one per job, so a retried step returns the version it made the first time. */
export function createRegisterModel(deps: ActivityDeps) {
  return async function registerModel(input: RegisterInput): Promise<ModelVersionRef> {
    return runStep(deps, input, 'register', async (ctx) => {
      const { spec, prepared, trained, evaluated, load } = input;
      const plan = JSON.parse(await readFile(dataPath(deps.config.dataDir, evaluated.planPath), 'utf8')) as PreprocessPlan;
      for (let attempt = 0; ; attempt++) {
        const em = deps.orm.em.fork();
        const existing = await em.findOne(ModelVersion, { jobId: input.jobId });
        if (existing) return { name: existing.name, version: existing.version };

        const latest = await em.findOne(ModelVersion, { tenantId: input.tenantId, name: spec.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
        const version = em.create(ModelVersion, {
          tenantId: input.tenantId,
          name: spec.name,
          version: (latest?.version ?? 0) + 1,
          jobId: input.jobId,
          modelType: spec.model.type,
          task: prepared.task,
          artifactPath: evaluated.onnxPath,
          planPath: evaluated.planPath,
          sha256: evaluated.sha256,
          sizeBytes: evaluated.sizeBytes,
          metrics: evaluated.metrics,
          signature: modelSignature(plan, prepared.task, prepared.classLabels),
          featureImportance: trained.featureImportance,
          lineage: {
            datasetId: spec.datasetId,
            datasetSha256: load.datasetSha256,
            params: spec.model.params,
            codeVersion: CODE_VERSION,
            engine: trained.engine,
            engineVersion: trained.engineVersion,
            inputColumns: plan.inputs.map((i) => i.name),
            ...(prepared.featureSelection ? { featureSelection: prepared.featureSelection } : {}),
            ...(plan.timeColumn && plan.timeFeatures?.length ? { timeFeatures: { timeColumn: plan.timeColumn, features: plan.timeFeatures.map(timeFeatureName) } } : {}),
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
    });
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
