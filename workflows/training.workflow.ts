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
  setHandler,
  startChild,
} from '@temporalio/workflow';
import {
  CONTROL_QUEUE,
  NON_RETRYABLE_JOB_ERRORS,
  computeQueue,
  isCrossValidated,
  isJobErrorCode,
  queueName,
  type JobError,
  type StepInput,
  type TrainingStatus,
  type TrainingWorkflowInput,
  type TrainingWorkflowResult,
} from '@trainyard/contracts';
import type { ControlActivities, PipelineActivities } from '../activities';
import { eventDeliveryWorkflow } from './event-delivery.workflow';

export const trainingStatusQuery = defineQuery<TrainingStatus>('trainingStatus');

/** load features → preprocess → train → evaluate → register, then record the outcome whatever happened. */
export async function trainingWorkflow(input: TrainingWorkflowInput): Promise<TrainingWorkflowResult> {
  const { jobId, spec, queuePrefix } = input;
  const status: TrainingStatus = { jobId, stage: null, device: null, state: 'waiting', waitingFor: 'placement' };
  setHandler(trainingStatusQuery, () => status);

  const control = proxyActivities<ControlActivities>({
    taskQueue: queueName(CONTROL_QUEUE, queuePrefix),
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });

  let result: TrainingWorkflowResult = { status: 'failed', modelVersion: null, error: null };
  try {
    const placement = await control.placeJob({ jobId, queuePrefix, ...spec.execution });
    status.device = placement.device;
    status.waitingFor = placement.available ? null : `a worker on the ${placement.device} queue`;

    const steps = proxyActivities<PipelineActivities>({
      taskQueue: computeQueue(placement.device, queuePrefix),
      startToCloseTimeout: '6h',
      heartbeatTimeout: '20s',
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry: {
        initialInterval: '2s',
        backoffCoefficient: 2,
        maximumInterval: '1m',
        maximumAttempts: 5,
        nonRetryableErrorTypes: [...NON_RETRYABLE_JOB_ERRORS],
      },
    });
    const step: StepInput = { jobId, tenantId: input.tenantId, spec, device: placement.device, ...(input.trial ? { trial: input.trial } : {}) };

    status.state = 'running';
    status.stage = 'load_features';
    const load = await steps.loadFeatures(step);
    status.stage = 'preprocess';
    const prepared = await steps.preprocess({ ...step, load });
    status.stage = 'train';
    if (isCrossValidated(spec.validation.method)) {
      const folds = await Promise.all(Array.from({ length: spec.validation.folds }, (_, fold) => steps.crossValidateFold({ ...step, load, prepared, fold })));
      await control.recordCrossValidation({ jobId, folds });
    }
    const trained = await steps.train({ ...step, prepared });
    status.stage = 'evaluate';
    const evaluated = await steps.evaluate({ ...step, load, prepared, trained });
    status.stage = 'register';
    const modelVersion = await steps.registerModel({ ...step, load, prepared, trained, evaluated });
    result = { status: 'completed', modelVersion, error: null };
  } catch (err) {
    result = isCancellation(err)
      ? { status: 'cancelled', modelVersion: null, error: null }
      : { status: 'failed', modelVersion: null, error: jobErrorOf(err, status.stage === 'train') };
  } finally {
    status.state = result.status;
    await CancellationScope.nonCancellable(async () => {
      const { eventId } = await control.finalizeJob({ jobId, ...result });
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
