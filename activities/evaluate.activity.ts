import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluateResult, LoadFeaturesResult, PreprocessResult, StepInput, TrainResult } from '@trainyard/contracts';
import {
  classificationMetrics,
  composeWithPreprocessing,
  loadPrepared,
  modelFamily,
  readFrame,
  regressionMetrics,
  scoreFrameRows,
  type Matrix,
} from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, readStepResult, writeFileAtomic, writeStepResult } from './job-files';
import { jobFailure } from './to-failure';

const STEP = 'evaluate';
/**
 * Largest difference allowed between the ONNX model and the engine on the test split: absolute for
 * probabilities and values up to 1, relative beyond (both sum trees in float32, so error grows with magnitude).
 */
export const PARITY_TOLERANCE = 1e-4;

export function parityGap(onnx: Float32Array, engine: Float32Array): number {
  if (onnx.length !== engine.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < onnx.length; i++) {
    const a = onnx[i];
    const b = engine[i];
    if (Number.isNaN(a) !== Number.isNaN(b)) return Infinity;
    if (Number.isNaN(a)) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  }
  return worst;
}

/**
 * Exports the model to ONNX with its preprocessing inside, so it takes the dataset's raw columns; checks it on the
 * raw test rows against the engine's own predictions on the encoded rows, and scores the test split with it.
 */
export function createEvaluate(deps: ActivityDeps) {
  return async function evaluate(input: StepInput & { load: LoadFeaturesResult; prepared: PreprocessResult; trained: TrainResult }): Promise<EvaluateResult> {
    return runStep(deps, input, 'evaluate', async (ctx) => {
      const done = await readStepResult<EvaluateResult>(deps.config.dataDir, input.jobId, STEP);
      if (done) return done;

      const prepared = await loadPrepared(dataPath(deps.config.dataDir, input.prepared.preparedPath));
      const model = await readFile(dataPath(deps.config.dataDir, input.trained.modelPath));
      const family = modelFamily(input.spec.model.type);
      const core = family.toOnnx(model, { featureCount: prepared.featureNames.length, task: prepared.task, classLabels: prepared.classLabels });
      const onnx = composeWithPreprocessing(core, prepared.plan);
      const frame = await readFrame(dataPath(deps.config.dataDir, input.load.framePath));
      const rows = prepared.frameRows;
      if (!rows) throw new Error('prepared data has no frame rows; preprocess again');

      const classes = prepared.classLabels?.length ?? 0;
      // Rows go in time order with their history when the plan has lag or rolling features, as callers send them.
      const scoreWithOnnx = (frameRows: Int32Array) => scoreFrameRows(onnx, prepared.plan, frame, frameRows);
      const onnxTest = await scoreWithOnnx(rows.test);
      const native = await family.predict(model, prepared.test, classes);
      const parity = parityGap(onnxTest, native);
      if (!(parity <= PARITY_TOLERANCE)) {
        throw jobFailure('ONNX_PARITY_FAILED', `ONNX predictions differ from the engine's by ${parity} (tolerance ${PARITY_TOLERANCE})`);
      }

      const score = (m: Matrix, predicted: Float32Array) =>
        prepared.task === 'classification'
          ? classificationMetrics(m.labels, predicted, prepared.classLabels ?? [])
          : regressionMetrics(m.labels, predicted);
      const metrics = score(prepared.test, onnxTest) as unknown as Record<string, unknown>;
      const validationMetrics = prepared.validation
        ? (score(prepared.validation, await scoreWithOnnx(rows.validation)) as unknown as Record<string, unknown>)
        : null;

      const sha256 = createHash('sha256').update(onnx).digest('hex');
      const onnxPath = join('artifacts', sha256.slice(0, 2), `${sha256}.onnx`);
      const artifactFile = dataPath(deps.config.dataDir, onnxPath);
      if (!(await access(artifactFile).then(() => true, () => false))) await writeFileAtomic(artifactFile, onnx);
      // Serving turns JSON records into the model's raw inputs with the same plan.
      const planPath = join('artifacts', sha256.slice(0, 2), `${sha256}.plan.json`);
      await writeFileAtomic(dataPath(deps.config.dataDir, planPath), JSON.stringify(prepared.plan));

      await ctx.jobs.setResults(input.jobId, { metrics, validationMetrics });
      await ctx.log('info', `ONNX parity max |Δ| = ${parity.toExponential(2)}; test metrics recorded`, { metrics: headline(metrics) });
      const result: EvaluateResult = { onnxPath, planPath, sha256, sizeBytes: onnx.byteLength, metrics, validationMetrics, parityMaxAbsDiff: parity };
      await writeStepResult(deps.config.dataDir, input.jobId, STEP, result);
      return result;
    });
  };
}

function headline(metrics: Record<string, unknown>): Record<string, unknown> {
  const { perClass: _perClass, confusionMatrix: _confusion, ...rest } = metrics;
  return rest;
}
