import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type LogLevel, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { CONTROL_QUEUE, computeQueue, queueName, type Device } from '@trainyard/contracts';

export interface ComputeQueueSpec {
  device: Device;
  slots: number;
}

export interface WorkerSetOptions {
  address: string;
  namespace: string;
  queuePrefix: string;
  workflowsPath: string;
  /** Activities the control queue serves: bookkeeping that must run even when no compute slot is free. */
  controlActivities: object;
  /** Pipeline activities for each compute queue. */
  computeActivities: (device: Device) => object;
  computeQueues: ComputeQueueSpec[];
  /** Reuse one bundle across worker sets in the same process (tests start several). */
  bundle?: WorkflowBundleWithSourceMap;
}

export interface WorkerSet {
  workers: Worker[];
  connection: NativeConnection;
  /** Resolves when every worker has stopped; rejects if one fails. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

let cachedBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  cachedBundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return cachedBundle;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

let runtimeInstalled = false;

/** The SDK logs every worker state change at INFO; by default only warnings and errors are worth a line. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.TRAINYARD_TEMPORAL_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed by the host process (or a previous worker set): keep its logger.
  }
}

export async function createWorkerSet(options: WorkerSetOptions): Promise<WorkerSet> {
  installRuntime();
  const connection = await NativeConnection.connect({ address: options.address });
  const workflowBundle = options.bundle ?? (await bundleWorkflows(options.workflowsPath));
  const common = {
    connection,
    namespace: options.namespace,
    shutdownGraceTime: '5s',
    // Cancellation reaches an activity only with a heartbeat, so heartbeats must not be held back for long: a pruned
    // study trial keeps training until its next heartbeat is answered.
    maxHeartbeatThrottleInterval: '250ms',
    defaultHeartbeatThrottleInterval: '250ms',
  } as const;

  const workers: Worker[] = [
    await Worker.create({
      ...common,
      taskQueue: queueName(CONTROL_QUEUE, options.queuePrefix),
      workflowBundle,
      activities: options.controlActivities,
      maxConcurrentActivityTaskExecutions: 20,
    }),
  ];
  for (const queue of options.computeQueues) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: computeQueue(queue.device, options.queuePrefix),
        activities: options.computeActivities(queue.device),
        maxConcurrentActivityTaskExecutions: queue.slots,
      }),
    );
  }

  let running: Promise<void> | undefined;
  return {
    workers,
    connection,
    run() {
      running ??= Promise.all(workers.map((w) => w.run())).then(() => undefined);
      return running;
    },
    async shutdown() {
      for (const w of workers) {
        if (w.getState() === 'RUNNING') w.shutdown();
      }
      await running?.catch(() => undefined);
      await connection.close();
    },
  };
}
