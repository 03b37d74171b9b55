import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadFeaturesResult, StepInput } from '@trainyard/contracts';
import { Dataset } from '@trainyard/db';
import { column, readDataset, summarize, writeFrame } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, jobDir, readStepResult, writeStepResult } from './job-files';
import { jobFailure } from './to-failure';

const STEP = 'load-features';

/** Reads the dataset version the job names and snapshots it for the later steps. */
export function createLoadFeatures(deps: ActivityDeps) {
  return async function loadFeatures(input: StepInput): Promise<LoadFeaturesResult> {
    return runStep(deps, input, 'load_features', async (ctx) => {
      const done = await readStepResult<LoadFeaturesResult>(deps.config.dataDir, input.jobId, STEP);
      if (done) return done;

      const dataset = await deps.orm.em.fork().findOne(Dataset, { id: input.spec.datasetId, tenantId: input.tenantId });
      if (!dataset) throw jobFailure('DATASET_NOT_FOUND', `dataset ${input.spec.datasetId} does not exist`);
      const frame = await readDataset(dataPath(deps.config.dataDir, dataset.storagePath), dataset.format);
      if (!column(frame, input.spec.target)) {
        throw jobFailure('TARGET_COLUMN_MISSING', `target column "${input.spec.target}" is not in dataset ${dataset.name} v${dataset.version}`, {
          columns: frame.columns.map((c) => c.name),
        });
      }
      const framePath = join(jobDir(input.jobId), 'features.frame');
      await mkdir(dataPath(deps.config.dataDir, jobDir(input.jobId)), { recursive: true });
      await writeFrame(frame, dataPath(deps.config.dataDir, framePath));
      const result: LoadFeaturesResult = { framePath, rows: frame.rowCount, columns: summarize(frame), datasetSha256: dataset.sha256 };
      await ctx.log('info', `loaded ${frame.rowCount} rows × ${frame.columns.length} columns from ${dataset.name} v${dataset.version}`);
      await writeStepResult(deps.config.dataDir, input.jobId, STEP, result);
      return result;
    });
  };
}
