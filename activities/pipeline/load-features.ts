import type { LoadFeaturesResult, StepInput } from '@trainyard/contracts';
import { Dataset, datasetObject } from '@trainyard/db';
import { readDataset, type Frame } from '@trainyard/ml';
import type { ActivityDeps } from '../activity-deps';
import { jobFailure } from '../to-failure';
import type { DataContext } from './step-context';

/**
 * Finds the job's dataset version and checks that the columns the job names are there. Reads no data: the header
 * was checked at upload and the row holds the schema.
 */
export async function resolveFeatures(deps: ActivityDeps, input: StepInput): Promise<LoadFeaturesResult> {
  const dataset = await deps.orm.em.fork().findOne(Dataset, { id: input.spec.datasetId, tenantId: input.tenantId });
  if (!dataset) throw jobFailure('DATASET_NOT_FOUND', `dataset ${input.spec.datasetId} does not exist`);
  const names = new Set(dataset.columns.map((c) => c.name));
  if (!names.has(input.spec.target)) {
    throw jobFailure('TARGET_COLUMN_MISSING', `target column "${input.spec.target}" is not in dataset ${dataset.name} v${dataset.version}`, {
      columns: [...names],
    });
  }
  return { dataset: datasetObject(dataset), format: dataset.format, rows: dataset.rows, columns: dataset.columns, datasetSha256: dataset.sha256 };
}

/** Fetches the dataset file (from the local cache when it is there), checks its sha256 and parses it. */
export async function loadFrame(ctx: DataContext, load: LoadFeaturesResult): Promise<Frame> {
  const file = await ctx.storage.open(load.dataset);
  ctx.progress();
  try {
    const frame = await readDataset(file.path, load.format);
    ctx.progress();
    return frame;
  } finally {
    file.release();
  }
}
