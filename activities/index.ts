import type { ActivityDeps } from './activity-deps';
import { createControlActivities } from './control.activities';
import { createCrossValidateFold } from './cross-validate.activity';
import { createEvaluate } from './evaluate.activity';
import { createLoadFeatures } from './load-features.activity';
import { createPreprocess } from './preprocess.activity';
import { createRegisterModel } from './register-model.activity';
import { createRunPipeline } from './run-pipeline.activity';
import { createTrialActivities } from './trial.activities';
import { createTrain } from './train.activity';

export type { ActivityDeps, GpuCapability } from './activity-deps';
export type { PipelineOutcome } from './run-pipeline.activity';
export type { ControlActivities } from './control.activities';
export type { WebhookActivities } from './webhook.activities';
export { createWebhookActivities } from './webhook.activities';
export type { ScheduleActivities } from './schedule.activities';
export type { RetentionActivities } from './retention.activities';
export type { StudyActivities } from './study.activities';
export type { TrialActivities } from './trial.activities';
export { createStudyActivities } from './study.activities';
export { createRetentionActivities } from './retention.activities';
export { createScheduleActivities } from './schedule.activities';

/** The pipeline: all steps in one activity, or one activity per step; served on the compute queues. */
export function createPipelineActivities(deps: ActivityDeps) {
  return {
    runPipeline: createRunPipeline(deps),
    loadFeatures: createLoadFeatures(deps),
    preprocess: createPreprocess(deps),
    train: createTrain(deps),
    crossValidateFold: createCrossValidateFold(deps),
    evaluate: createEvaluate(deps),
    registerModel: createRegisterModel(deps),
    ...createTrialActivities(deps),
  };
}

export type PipelineActivities = ReturnType<typeof createPipelineActivities>;

export { createControlActivities };
