import {
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CONTROL_QUEUE,
  TRIAL_PROGRESS_SIGNAL,
  TRIAL_PROGRESS_UPDATE,
  queueName,
  type StudyCarry,
  type StudyWorkflowInput,
  type TrialProgress,
  type TrialState,
} from '@trainyard/contracts';
import type { StudyActivities } from '../activities';
import { createSampler, shouldPrune } from './search';
import { trainingWorkflow } from './training.workflow';

export const trialProgressSignal = defineSignal<[TrialProgress]>(TRIAL_PROGRESS_SIGNAL);
/** Answers whether the trial is pruned, so its training stops without waiting for the cancellation to reach it. */
export const trialProgressUpdate = defineUpdate<boolean, [TrialProgress]>(TRIAL_PROGRESS_UPDATE);
export const studyTrialsQuery = defineQuery<TrialState[]>('studyTrials');

/** Median pruning waits for five complete trials and ten rounds; ASHA's first rung is at ten rounds. */
const PRUNER_CONFIG = { nStartupTrials: 5, nWarmupSteps: 10, minResource: 10, reductionFactor: 3 };

/** Keep each run's history bounded: after this many trials the study continues as new, carrying only its state. */
const TRIALS_PER_RUN = 100;
const MAX_CARRIED_STEPS = 200;

/**
 * A hyperparameter search: the sampler suggests params (its state lives in this history, so it survives crashes),
 * each trial is a child training workflow, at most `parallelism` at once; the pruner may stop trials early.
 */
export async function studyWorkflow(input: StudyWorkflowInput): Promise<void> {
  const { studyId, config, queuePrefix } = input;
  const taskQueue = queueName(CONTROL_QUEUE, queuePrefix);
  const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };
  const studies = proxyActivities<StudyActivities>({ taskQueue, startToCloseTimeout: '2m', retry });
  // Creating a trial's job and recording its outcome are short database writes on the worker that runs this
  // workflow: as local activities they skip a task-queue round trip each, which is most of a trial's overhead.
  const trialWrites = patched('study-trial-writes-local') ? proxyLocalActivities<StudyActivities>({ startToCloseTimeout: '1m', localRetryThreshold: '10s', retry }) : studies;
  const info = workflowInfo();
  const carry: StudyCarry = input.carry ?? {
    samplerState: null,
    trials: [],
    nextNumber: 0,
    deadlineMs: config.timeoutSeconds ? info.runStartTime.getTime() + config.timeoutSeconds * 1000 : null,
  };
  const direction = config.objective.direction;
  // Studies that began before the joint-width cap replay with the sampler they started with.
  const capJointWidth = patched('tpe-joint-width-cap');
  const sampler = createSampler(config.sampler, config.searchSpace as never, { seed: config.seed, direction, capJointWidth });
  const trials = new Map<number, TrialState>(carry.trials.map((t) => [t.number, t]));
  const running = new Map<number, CancellationScope>();
  let samplerState = carry.samplerState;
  let nextNumber = carry.nextNumber;
  let exhausted = false;
  const startedThisRun = nextNumber;
  setHandler(studyTrialsQuery, () => [...trials.values()]);

  /** Records a trial's intermediate value and lets the pruner judge it; true when the trial is (now) pruned. */
  const onProgress = (p: TrialProgress): boolean => {
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
  };
  setHandler(trialProgressSignal, (p) => void onProgress(p));
  setHandler(trialProgressUpdate, onProgress);

  // A finished trial frees its slot at once; its outcome is recorded meanwhile (the sampler sees it as running until then).
  let recording = 0;
  const settle = async (number: number, outcome: 'completed' | 'pruned' | 'failed') => {
    running.delete(number);
    recording++;
    try {
      const recorded = await trialWrites.recordTrial({ studyId, number, outcome });
      const trial = trials.get(number)!;
      trial.status = recorded.status;
      trial.value = recorded.value;
    } finally {
      recording--;
    }
  };
  const allRecorded = () => CancellationScope.nonCancellable(() => condition(() => recording === 0));

  const launch = async (params: Record<string, unknown>) => {
    const number = nextNumber++;
    trials.set(number, { number, params, status: 'running', value: null, intermediate: [] });
    const planned = await trialWrites.startTrialJob({ studyId, studyWorkflowId: info.workflowId, number, params, queuePrefix });
    const scope = new CancellationScope();
    running.set(number, scope);
    void scope
      .run(() => executeChild(trainingWorkflow, { workflowId: planned.workflowId, taskQueue: planned.taskQueue, args: [planned.input], priority: { priorityKey: planned.priorityKey } }))
      .then(
        () => 'completed' as const,
        () => (trials.get(number)?.status === 'pruned' ? 'pruned' : 'failed') as 'pruned' | 'failed',
      )
      .then((outcome) => CancellationScope.nonCancellable(() => settle(number, outcome)));
  };

  const timeLeft = () => (carry.deadlineMs === null ? Infinity : carry.deadlineMs - Date.now());
  let status: 'completed' | 'cancelled' = 'completed';
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
          await continueAsNew<typeof studyWorkflow>({ ...input, carry: { samplerState, trials: carried, nextNumber, deadlineMs: carry.deadlineMs } });
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
  await CancellationScope.nonCancellable(() => studies.finishStudy({ studyId, status }));
}
