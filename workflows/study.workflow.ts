import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CPU_QUEUE,
  NON_RETRYABLE_JOB_ERRORS,
  TRIAL_PROGRESS_UPDATE,
  computeQueue,
  isJobErrorCode,
  queueName,
  searchAttributeUpdates,
  type JobError,
  type ModelVersionRef,
  type StudyCarry,
  type StudyData,
  type StudyWorkflowInput,
  type TrialOutcome,
  type TrialProgress,
  type TrialResult,
  type TrialState,
} from '@trainyard/contracts';
import type { StudyActivities, TrialActivities } from '../activities';
import { createSampler, keepBest, ranked, shouldPrune } from './search';

/** Answers whether the trial is pruned, so its training stops without waiting for the cancellation to reach it. */
export const trialProgressUpdate = defineUpdate<boolean, [TrialProgress]>(TRIAL_PROGRESS_UPDATE);
export const studyTrialsQuery = defineQuery<TrialState[]>('studyTrials');
/** Stops one trial (its job's cancel button); the study goes on. */
export const cancelTrialSignal = defineSignal<[{ number: number }]>('cancelTrial');

/** Median pruning waits for five complete trials and ten rounds; ASHA's first rung is at ten rounds. */
const PRUNER_CONFIG = { nStartupTrials: 5, nWarmupSteps: 10, minResource: 10, reductionFactor: 3 };

/** Keep each run's history bounded: after this many trials the study continues as new, carrying only its state. */
const TRIALS_PER_RUN = 100;
const MAX_CARRIED_STEPS = 200;

const STEP_RETRY = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_JOB_ERRORS] };

/**
 * A hyperparameter search. The study prepares its data once; the sampler suggests params (its state lives in this
 * history, so it survives crashes); each trial is one activity that trains on the shared data and scores natively,
 * at most `parallelism` at once, and the pruner may stop trials early. When the search ends, the best trials (top
 * k) are exported to ONNX, checked and registered as model versions.
 */
export async function studyWorkflow(input: StudyWorkflowInput): Promise<void> {
  const { studyId, config, queuePrefix } = input;
  const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };
  // Bookkeeping writes run on the worker that runs this workflow: no task-queue round trip per trial.
  const book = proxyLocalActivities<StudyActivities>({ startToCloseTimeout: '1m', localRetryThreshold: '10s', retry });
  const info = workflowInfo();
  const carry: StudyCarry = input.carry ?? {
    samplerState: null,
    trials: [],
    nextNumber: 0,
    deadlineMs: config.timeoutSeconds ? info.runStartTime.getTime() + config.timeoutSeconds * 1000 : null,
  };
  const direction = config.objective.direction;
  const sampler = createSampler(config.sampler, config.searchSpace as never, { seed: config.seed, direction, capJointWidth: true });
  const trials = new Map<number, TrialState>(carry.trials.map((t) => [t.number, t]));
  // The best trials' models, which the study may still register (carried across continue-as-new).
  const outcomes = new Map<number, TrialOutcome>(Object.entries(carry.models ?? {}).map(([n, trained]) => [Number(n), { value: trials.get(Number(n))!.value!, trained }]));
  const running = new Map<number, CancellationScope>();
  const register = config.register ?? { topK: 1, alias: null };
  let samplerState = carry.samplerState;
  let nextNumber = carry.nextNumber;
  let exhausted = false;
  const startedThisRun = nextNumber;
  setHandler(studyTrialsQuery, () => [...trials.values()]);
  upsertSearchAttributes(searchAttributeUpdates({ kind: 'study', tenant: input.tenantId, studyId, status: 'running' }));
  const describe = () => {
    const done = [...trials.values()].filter((t) => t.status !== 'running').length;
    const best = ranked(outcomes, direction)[0];
    setCurrentDetails(`${config.sampler} search, ${done} of ${config.trials} trials done, ${running.size} running${best ? `; best ${config.objective.metric} ${best[1].value} (trial ${best[0]})` : ''}`);
  };

  /** Records a trial's intermediate value and lets the pruner judge it; true when the trial is (now) pruned. */
  setHandler(trialProgressUpdate, (p: TrialProgress): boolean => {
    const trial = trials.get(p.number);
    if (!trial || trial.status !== 'running') return trial?.status === 'pruned';
    trial.intermediate.push({ step: p.step, value: p.value });
    const others = [...trials.values()].filter((t) => t.number !== p.number);
    // Trials report the objective metric where their engine computes it each round, else a validation loss.
    if (shouldPrune(config.pruner, PRUNER_CONFIG, trial, others, p.direction ?? 'minimize')) {
      trial.status = 'pruned';
      running.get(p.number)?.cancel();
    }
    return trial.status === 'pruned';
  });
  const cancelledByUser = new Set<number>();
  setHandler(cancelTrialSignal, ({ number }) => {
    if (!running.has(number)) return;
    cancelledByUser.add(number);
    running.get(number)!.cancel();
  });

  let status: 'completed' | 'cancelled' | 'failed' = 'completed';
  let failure: JobError | null = null;
  let recording = 0;
  const allRecorded = () => CancellationScope.nonCancellable(() => condition(() => recording === 0));
  const registered: { number: number; version: ModelVersionRef }[] = [];
  try {
    const data = carry.data ?? (await prepare(studyId, queuePrefix, book));
    const compute = proxyActivities<TrialActivities>({
      taskQueue: computeQueue(data.device, queuePrefix),
      startToCloseTimeout: '24h',
      // As a job's train step: a worker that died is noticed within this, and its trials go to another.
      heartbeatTimeout: '30s',
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry: STEP_RETRY,
      summary: `trial of study ${studyId}`,
    });

    /** A trial that did not complete is recorded; a completed one recorded itself (job, trial row, value). */
    const settle = async (number: number, outcome: TrialResult | { error: unknown }) => {
      running.delete(number);
      const trial = trials.get(number)!;
      if ('value' in outcome) {
        trial.status = 'completed';
        trial.value = outcome.value;
        // A trial that could not enter the best k kept no model: it has nothing to register.
        if (outcome.trained) outcomes.set(number, { value: outcome.value, trained: outcome.trained });
        keepBest(outcomes, direction, register.topK);
        describe();
        return;
      }
      const kind = cancelledByUser.has(number) ? 'cancelled' : trial.status === 'pruned' ? 'pruned' : 'failed';
      trial.status = kind === 'pruned' ? 'pruned' : 'failed';
      recording++;
      try {
        await book.recordTrial({ studyId, number, outcome: kind, error: kind === 'failed' ? jobErrorOf(outcome.error) : null });
      } finally {
        recording--;
      }
    };

    const launch = async (params: Record<string, unknown>) => {
      const number = nextNumber++;
      trials.set(number, { number, params, status: 'running', value: null, intermediate: [] });
      const { jobId, spec, scaling } = await book.startTrialJob({ studyId, studyWorkflowId: info.workflowId, number, params });
      const prepared = (data.variants?.[scaling] ?? data.prepared).prepared;
      const scope = new CancellationScope();
      running.set(number, scope);
      const trial = { studyWorkflowId: info.workflowId, number, ...(config.pruner === 'none' ? {} : { objective: config.objective }) };
      // The k-th best so far: a trial that does not beat it cannot be registered, so its model need not be stored.
      const modelBar = register.topK > 0 ? ranked(outcomes, direction)[register.topK - 1]?.[1].value : undefined;
      void scope
        .run(() => compute.runTrial({ jobId, tenantId: input.tenantId, spec, device: data.device, studyId, trial, objective: config.objective, prepared, ...(modelBar === undefined ? {} : { modelBar }) }))
        .then(
          (outcome) => outcome as TrialResult | { error: unknown },
          (error: unknown) => ({ error }),
        )
        .then((outcome) => CancellationScope.nonCancellable(() => settle(number, outcome)));
    };

    const timeLeft = () => (carry.deadlineMs === null ? Infinity : carry.deadlineMs - Date.now());
    try {
      for (;;) {
        // workflowInfo() is re-read: the SDK replaces it on each activation, and a long study must heed the suggestion.
        const rotate = nextNumber - startedThisRun >= TRIALS_PER_RUN || workflowInfo().continueAsNewSuggested;
        while (!exhausted && !rotate && timeLeft() > 0 && running.size < config.parallelism && nextNumber < config.trials) {
          const suggestion = sampler.suggest(samplerState, [...trials.values()]);
          samplerState = suggestion.state;
          if (!suggestion.params) exhausted = true;
          else await launch(suggestion.params);
        }
        if (running.size === 0) {
          await allRecorded();
          if (rotate && !exhausted && nextNumber < config.trials && timeLeft() > 0) {
            // Finished trials keep only their last intermediate values: the pruner compares at recent steps, and the carry stays small.
            const carried = [...trials.values()].map((t) => ({ ...t, intermediate: t.intermediate.slice(-MAX_CARRIED_STEPS) }));
            const models = Object.fromEntries([...outcomes].map(([n, o]) => [n, o.trained]));
            await continueAsNew<typeof studyWorkflow>({ ...input, carry: { samplerState, trials: carried, nextNumber, deadlineMs: carry.deadlineMs, data, models } });
          }
          break;
        }
        const size = running.size;
        const waited = await condition(() => running.size < size, timeLeft() === Infinity ? undefined : Math.max(1, timeLeft()));
        if (waited === false) {
          // The study's time is up: stop every running trial.
          for (const scope of running.values()) scope.cancel();
          await condition(() => running.size === 0);
          await allRecorded();
          break;
        }
      }
    } catch (err) {
      if (!isCancellation(err)) throw err;
      status = 'cancelled';
      await CancellationScope.nonCancellable(() => condition(() => running.size === 0));
      await allRecorded();
    }
    await CancellationScope.nonCancellable(async () => {
      const cpu = proxyActivities<TrialActivities>({ taskQueue: queueName(CPU_QUEUE, queuePrefix), startToCloseTimeout: '4h', heartbeatTimeout: '120s', retry: STEP_RETRY, summary: 'register a best trial' });
      for (const [number, outcome] of ranked(outcomes, direction).slice(0, register.topK)) {
        // Idempotent: finds the trial's job (and its spec) made when the trial started.
        const { jobId, spec, scaling } = await book.startTrialJob({ studyId, studyWorkflowId: info.workflowId, number, params: trials.get(number)!.params });
        const variant = data.variants?.[scaling] ?? data.prepared;
        const version = await cpu
          .registerTrial({ jobId, tenantId: input.tenantId, spec, device: 'cpu', studyId, trial: { studyWorkflowId: info.workflowId, number }, objective: config.objective, prepared: variant.prepared, data: { ...data, prepared: variant }, outcome })
          .catch(() => null); // the study still ends; the trial's job log says why its export failed
        if (version) registered.push({ number, version });
      }
    });
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err; // not an ending: the study goes on in its next run
    if (isCancellation(err)) status = 'cancelled';
    else {
      status = 'failed';
      failure = jobErrorOf(err);
    }
  }
  upsertSearchAttributes(searchAttributeUpdates({ status }));
  await CancellationScope.nonCancellable(() => book.finishStudy({ studyId, status, error: failure, registered, alias: register.alias }));
}

/** Places the study and prepares its data once, on a CPU worker, for every trial to share. */
async function prepare(studyId: string, queuePrefix: string, book: ReturnType<typeof proxyLocalActivities<StudyActivities>>): Promise<StudyData> {
  const placed = await book.placeStudy({ studyId, queuePrefix });
  const cpu = proxyActivities<TrialActivities>({
    taskQueue: queueName(CPU_QUEUE, queuePrefix),
    startToCloseTimeout: '4h',
    heartbeatTimeout: '120s',
    retry: STEP_RETRY,
    summary: 'prepare the study data',
  });
  return cpu.prepareStudy({ studyId, tenantId: placed.tenantId, spec: placed.spec, device: placed.device, scalings: placed.scalings });
}

function jobErrorOf(err: unknown): JobError {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && isJobErrorCode(cause.type)) return { code: cause.type, message: cause.message };
  if (cause instanceof Error && cause.name === 'TimeoutFailure') return { code: 'TIMEOUT', message: cause.message };
  return { code: 'TRAINING_FAILED', message: cause instanceof Error ? cause.message : String(cause) };
}
