import { Context } from '@temporalio/activity';
import { meetsDeployRule, type InputScaling, type ModelVersionRef, type PreprocessResult, type StudyData, type Task, type TrainingSpec, type TrialInput, type TrialOutcome, type TrialResult } from '@trainyard/contracts';
import { EventStore, JobStore, StudyTrial, TrainingJob } from '@trainyard/db';
import { classificationMetrics, modelFamily, regressionMetrics, type Matrix } from '@trainyard/ml';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { startDeliveryIfSubscribed, trainingEventData } from './events';
import { evaluateModel } from './pipeline/evaluate-model';
import { loadFrame, resolveFeatures } from './pipeline/load-features';
import { PreparedCache } from './pipeline/prepared-cache';
import { prepareForSpec, scalingOf, storePrepared } from './pipeline/preprocess';
import { registerVersion, versionRegistry } from './pipeline/register-version';
import { runStep, withProgress } from './pipeline/step-context';
import { threadsPerSlot } from './pipeline/threads';
import { trainModel } from './pipeline/train-model';
import { toFailure } from './to-failure';

/**
 * A study's compute: its data prepared once for every trial; each trial trained and scored natively on that data
 * (no ONNX export, no parity check, no model version); only the best trials exported, checked and registered when
 * the study ends. Trial jobs keep their rows, metric series and logs, as any job's.
 */
export function createTrialActivities(deps: ActivityDeps) {
  const shared = new PreparedCache(deps.config.preparedCacheBytes);

  return {
    /**
     * Reads the study's dataset and prepares it once per input scaling its trials need (raw for trees, scaled for
     * linear models and networks); the bundles go to the study's objects for every trial.
     */
    async prepareStudy(input: { studyId: string; tenantId: string; spec: TrainingSpec; device: 'cpu' | 'gpu'; scalings?: InputScaling[] }): Promise<StudyData> {
      const warn = async (message: string) => console.warn(`study ${input.studyId}: ${message}`);
      try {
        return await withProgress(
          deps,
          { stage: 'preprocess' },
          async (ctx) => {
            const load = await resolveFeatures(deps, { jobId: input.studyId, tenantId: input.tenantId, spec: input.spec, device: input.device });
            const frame = await loadFrame(ctx, load);
            const variants: Partial<Record<InputScaling, PreprocessResult>> = {};
            for (const scaling of input.scalings ?? [scalingOf(input.spec)]) {
              const { prepared, summary } = await prepareForSpec(input.spec, frame, threadsPerSlot(deps.config.cpuSlots), scaling);
              const object = await storePrepared(ctx, prepared, objectKeys.study(input.studyId, `prepared-${scaling}`));
              variants[scaling] = { prepared: object, ...summary };
              ctx.progress();
            }
            const own = variants[scalingOf(input.spec)] ?? Object.values(variants)[0]!;
            return { load, prepared: own, device: input.device, variants };
          },
          warn,
        );
      } catch (err) {
        throw toFailure(err);
      }
    },

    /**
     * One trial: trains on the shared data (reporting to the study's pruner), scores the objective on the
     * validation rows, keeps the model when it may still be registered (modelBar), and closes the trial's job and trial row.
     */
    async runTrial(input: TrialInput): Promise<TrialResult> {
      return runStep(deps, input, 'train', async (ctx) => {
        const data = await shared.get(ctx, input.prepared);
        const trained = await trainModel(deps, ctx, input, data);
        // Trained to the end: from here the trial completes, whatever the pruner decides meanwhile.
        const score = async (m: Matrix) => scoreNatively(input.spec.model.type, trained.model, m, data.task, data.classLabels);
        const [metrics, validationMetrics] = await Promise.all([score(data.test), data.validation ? score(data.validation) : null]);
        const value = (validationMetrics ?? metrics)[input.objective.metric];
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`the objective ${input.objective.metric} is not defined for this ${data.task} trial`);
        const kept = input.modelBar === undefined || beats(value, input.modelBar, input.objective.direction);
        const model = kept ? await ctx.storage.putBytes(objectKeys.study(input.studyId, `trial-${input.trial.number}.model`), trained.model) : null;
        // A retried trial may find the checkpoints of the attempt before: only a first attempt can know there are none.
        const objectsLeft = trained.checkpointed || Context.current().info.attempt > 1;
        await closeTrial(deps, input, { task: data.task, metrics, validationMetrics, value }, objectsLeft);
        return { value, trained: model && { model, engine: trained.engine, engineVersion: trained.engineVersion, featureImportance: trained.featureImportanceByName } };
      });
    },

    /** Exports one of the study's best trials to ONNX, holds it to the engine, and registers it as a model version. */
    async registerTrial(input: TrialInput & { data: StudyData; outcome: TrialOutcome }): Promise<ModelVersionRef> {
      return runStep(deps, input, 'evaluate', async (ctx) => {
        const [data, model] = await Promise.all([shared.get(ctx, input.prepared), ctx.storage.readBytes(input.outcome.trained.model)]);
        const evaluated = await evaluateModel(deps, ctx, input, data, model).catch(async (err: unknown) => {
          await ctx.log('error', `not registered: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        });
        await ctx.enter('register');
        const version = await registerVersion(versionRegistry(deps), ctx, input, {
          load: input.data.load,
          plan: data.plan,
          task: data.task,
          classLabels: data.classLabels,
          featureSelection: input.data.prepared.featureSelection,
          trained: input.outcome.trained,
          evaluated,
        });
        await ctx.jobs.setModelVersion(input.jobId, version);
        return version;
      });
    },
  };
}

/** Whether `value` is strictly better than `bar` (a tie ranks after the earlier trial, so it would not enter). */
function beats(value: number, bar: number, direction: 'minimize' | 'maximize'): boolean {
  return direction === 'minimize' ? value < bar : value > bar;
}

async function scoreNatively(type: TrainingSpec['model']['type'], model: Uint8Array, m: Matrix, task: Task, classLabels: string[] | null): Promise<Record<string, unknown>> {
  const predicted = await modelFamily(type).predict(model, m, classLabels?.length ?? 0);
  const metrics = task === 'classification' ? classificationMetrics(m.labels, predicted, classLabels ?? []) : regressionMetrics(m.labels, predicted);
  return metrics as unknown as Record<string, unknown>;
}

/**
 * The trial's job completes with its metrics, its trial row with its value and its event, together; then its log
 * line, its event's delivery and the clean-up of its objects, side by side: a study pays this once per trial.
 */
async function closeTrial(
  deps: ActivityDeps,
  input: TrialInput,
  result: { task: Task; metrics: Record<string, unknown>; validationMetrics: Record<string, unknown> | null; value: number },
  objectsLeft: boolean,
): Promise<void> {
  const em = deps.orm.em.fork();
  // The job's outcome, the trial's value and the event commit together: whoever sees the trial ended finds its event.
  const event = await em.transactional(async (tx) => {
    const now = new Date();
    const deploymentReady = input.spec.deploy ? meetsDeployRule(input.spec.deploy, result.metrics) : null;
    await tx.nativeUpdate(TrainingJob, { id: input.jobId, status: { $in: ['queued', 'running'] } }, { status: 'completed', task: result.task, metrics: result.metrics, validationMetrics: result.validationMetrics, deploymentReady, progress: 1, completedAt: now });
    await tx.nativeUpdate(StudyTrial, { studyId: input.studyId, number: input.trial.number }, { status: 'completed', value: result.value, completedAt: now });
    const job = await tx.findOneOrFail(TrainingJob, { id: input.jobId }, { refresh: true });
    return { tenantId: job.tenantId, id: await new EventStore(tx).record(job.tenantId, 'training.completed', `training:${job.id}`, trainingEventData(job)) };
  });
  await Promise.all([
    objectsLeft ? deps.storage.deletePrefix(objectKeys.jobPrefix(input.jobId)).catch(() => undefined) : null,
    new JobStore(em.fork()).log(input.jobId, { level: 'info', message: `trial ${input.trial.number} completed: ${input.objective.metric} = ${result.value}` }),
    startDeliveryIfSubscribed(deps, event.tenantId, 'training.completed', event.id),
  ]);
}

export type TrialActivities = ReturnType<typeof createTrialActivities>;
