import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  defineQuery,
  isCancellation,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  NON_RETRYABLE_JOB_ERRORS,
  computeQueue,
  isCrossValidated,
  isJobErrorCode,
  searchAttributeUpdates,
  type Device,
  type JobError,
  type StepInput,
  type TrainingStatus,
  type TrainingWorkflowInput,
  type TrainingWorkflowResult,
} from '@trainyard/contracts';
import type { ControlActivities, PipelineActivities, PipelineOutcome } from '../activities';
import { eventDeliveryWorkflow } from './event-delivery.workflow';

export const trainingStatusQuery = defineQuery<TrainingStatus>('trainingStatus');

const STEP_RETRY = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  maximumAttempts: 5,
  nonRetryableErrorTypes: [...NON_RETRYABLE_JOB_ERRORS],
};

/**
 * load features → preprocess → train → evaluate → register, then record the outcome whatever happened. The steps
 * run in one activity (`fused`: the data stays in memory) or one activity each (`staged`: the data goes through the
 * object store, so training can run on a GPU worker while the rest runs on CPU workers, and a crash resumes at its
 * step). Queue waits are unbounded; each activity's own timeouts fit its work, and heartbeats stop when a step stops
 * making progress.
 */
export async function trainingWorkflow(input: TrainingWorkflowInput): Promise<TrainingWorkflowResult> {
  const { jobId, spec, queuePrefix } = input;
  const status: TrainingStatus = { jobId, stage: null, device: null, state: 'waiting', waitingFor: 'placement' };
  setHandler(trainingStatusQuery, () => status);
  upsertSearchAttributes(
    searchAttributeUpdates({ kind: 'training', tenant: input.tenantId, jobId, experiment: spec.experiment, modelType: spec.model.type, dataset: spec.datasetId, scheduleId: input.scheduleId, status: 'queued' }),
  );
  setCurrentDetails(`${spec.model.type} on dataset ${spec.datasetId}, experiment ${spec.experiment}: waiting for placement`);

  // Bookkeeping on the worker that runs this workflow: no task-queue round trip, and it runs while compute is busy.
  const control = proxyLocalActivities<ControlActivities>({
    startToCloseTimeout: '30s',
    localRetryThreshold: '10s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });

  let result: TrainingWorkflowResult = { status: 'failed', modelVersion: null, error: null };
  try {
    const placement = await control.placeJob({ jobId, queuePrefix, ...spec.execution });
    status.device = placement.device;
    status.waitingFor = placement.available ? null : `a worker on the ${placement.device} queue`;
    const step: StepInput = {
      jobId,
      tenantId: input.tenantId,
      spec,
      device: placement.device,
      ...(input.trial ? { trial: input.trial } : {}),
      ...(input.promotion ? { promotion: input.promotion } : {}),
    };
    status.state = 'running';
    upsertSearchAttributes(searchAttributeUpdates({ status: 'running' }));
    setCurrentDetails(`${spec.model.type} on the ${placement.device} queue, ${placement.pipeline === 'staged' ? 'one activity per step' : 'every step in one activity'}${placement.available ? '' : ` (waiting: ${placement.reason})`}`);
    const outcome = placement.pipeline === 'staged' ? await runStaged(step, queuePrefix, status) : await runFused(step, queuePrefix, status);
    result = { status: 'completed', modelVersion: outcome.modelVersion, error: null, ...(outcome.comparison ? { comparison: outcome.comparison } : {}) };
  } catch (err) {
    result = isCancellation(err)
      ? { status: 'cancelled', modelVersion: null, error: null }
      : { status: 'failed', modelVersion: null, error: jobErrorOf(err, status.stage === 'train') };
  } finally {
    status.state = result.status;
    upsertSearchAttributes(searchAttributeUpdates({ status: result.status }));
    setCurrentDetails(result.error ? `${result.status}: ${result.error.code}: ${result.error.message}` : result.modelVersion ? `${result.status}: ${result.modelVersion.name} v${result.modelVersion.version}` : result.status);
    await CancellationScope.nonCancellable(async () => {
      const { eventId } = await control.finalizeJob({ jobId, status: result.status, error: result.error, modelVersion: result.modelVersion });
      // Deliveries may retry for hours; they run in their own workflow so this job can close now.
      if (eventId) {
        await startChild(eventDeliveryWorkflow, {
          workflowId: `event-delivery-${eventId}`,
          args: [{ eventId, queuePrefix }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }).catch((err: unknown) => {
          // A replayed or retried finalize may find the delivery already started: that is the same delivery.
          if (!(err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError')) throw err;
        });
      }
    });
  }
  // The job row has the outcome; closing the workflow the same way keeps Temporal's view truthful.
  if (result.status === 'cancelled') throw new CancelledFailure('training job cancelled');
  if (result.error) throw ApplicationFailure.nonRetryable(result.error.message, result.error.code);
  return result;
}

/** The activities of one step, on `device`'s queue, with the timeouts that fit it. */
function steps(device: Device, queuePrefix: string, timing: Pick<ActivityOptions, 'startToCloseTimeout' | 'heartbeatTimeout'>, summary: string) {
  return proxyActivities<PipelineActivities>({
    taskQueue: computeQueue(device, queuePrefix),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: STEP_RETRY,
    summary,
    ...timing,
  });
}

async function runFused(step: StepInput, queuePrefix: string, status: TrainingStatus): Promise<PipelineOutcome> {
  status.stage = 'load_features';
  const { runPipeline } = steps(step.device, queuePrefix, { startToCloseTimeout: '24h', heartbeatTimeout: '60s' }, `${step.spec.model.type}: every step in one activity`);
  return runPipeline(step);
}

/** One activity per step; only training (and its cross-validation folds) asks for the job's device. */
async function runStaged(step: StepInput, queuePrefix: string, status: TrainingStatus): Promise<PipelineOutcome> {
  const cpu: Device = 'cpu';
  const { loadFeatures } = steps(cpu, queuePrefix, { startToCloseTimeout: '30m', heartbeatTimeout: '60s' }, 'load features');
  const { preprocess } = steps(cpu, queuePrefix, { startToCloseTimeout: '4h', heartbeatTimeout: '120s' }, 'preprocess');
  const { train } = steps(step.device, queuePrefix, { startToCloseTimeout: '24h', heartbeatTimeout: '30s' }, `train ${step.spec.model.type}`);
  const { crossValidateFold } = steps(step.device, queuePrefix, { startToCloseTimeout: '24h', heartbeatTimeout: '30s' }, 'cross-validation fold');
  const { evaluate } = steps(cpu, queuePrefix, { startToCloseTimeout: '4h', heartbeatTimeout: '120s' }, 'evaluate: ONNX export and parity');
  const { registerModel } = steps(cpu, queuePrefix, { startToCloseTimeout: '10m', heartbeatTimeout: '60s' }, 'register the model version');
  const control = proxyLocalActivities<ControlActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } });

  status.stage = 'load_features';
  const load = await loadFeatures(step);
  status.stage = 'preprocess';
  const prepared = await preprocess({ ...step, load });
  status.stage = 'train';
  if (isCrossValidated(step.spec.validation.method)) {
    const folds = await Promise.all(Array.from({ length: step.spec.validation.folds }, (_, fold) => crossValidateFold({ ...step, prepared, fold })));
    await control.recordCrossValidation({ jobId: step.jobId, folds });
  }
  const trained = await train({ ...step, prepared });
  status.stage = 'evaluate';
  const evaluated = await evaluate({ ...step, prepared, trained });
  status.stage = 'register';
  const modelVersion = await registerModel({ ...step, load, prepared, trained, evaluated });
  return { modelVersion, ...(evaluated.comparison ? { comparison: evaluated.comparison } : {}) };
}

function jobErrorOf(err: unknown, duringTraining: boolean): JobError {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && isJobErrorCode(cause.type)) {
    return { code: cause.type, message: cause.message };
  }
  if (cause instanceof Error && cause.name === 'TimeoutFailure') {
    return { code: 'TIMEOUT', message: cause.message };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: duringTraining ? 'TRAINING_FAILED' : 'INTERNAL', message };
}
