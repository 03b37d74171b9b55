/**
 * A workflow interceptor bundled only into the replay test's workers: it reports each local activity a workflow
 * schedules, with its arguments, through the `replayProbe` sink. History keeps a local activity's result but not its
 * arguments, so this is how the test sees what a study's sampler suggested on replay.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface ScheduledLocalActivity {
  seq: number;
  activityType: string;
  args: unknown[];
}

export interface ReplayProbeSinks extends Sinks {
  replayProbe: { localActivity(call: ScheduledLocalActivity): void };
}

const { replayProbe } = proxySinks<ReplayProbeSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleLocalActivity(input, next) {
        replayProbe.localActivity({ seq: input.seq, activityType: input.activityType, args: input.args });
        return next(input);
      },
    },
  ],
});
