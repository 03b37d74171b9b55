import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type LogLevel, type WorkflowBundleOption } from '@temporalio/worker';
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
  bundle?: WorkflowBundleOption;
}

export interface WorkerSet {
  workers: Worker[];
  connection: NativeConnection;
  /** Resolves when every worker has stopped; rejects if one fails. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

let cachedBundle: Promise<WorkflowBundleOption> | undefined;

/** Written by the build (scripts/bundle-workflows.mjs) beside the compiled workflows folder. */
export const PREBUILT_BUNDLE = 'workflow-bundle.js';

export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleOption> {
  const codePath = freshPrebuiltBundle(workflowsPath);
  cachedBundle ??= codePath ? Promise.resolve({ codePath }) : bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return cachedBundle;
}

/**
 * The build's bundle when no compiled file it may contain (workflows, contracts) is newer: loading it skips
 * seconds of webpack at every worker start. Otherwise undefined, and the worker bundles the code itself.
 */
export function freshPrebuiltBundle(workflowsPath: string): string | undefined {
  const root = dirname(workflowsPath);
  const codePath = join(root, PREBUILT_BUNDLE);
  const built = mtimeMs(codePath);
  if (built === 0) return undefined;
  const inputs = [workflowsPath, join(root, 'libs', 'contracts')];
  return inputs.every((dir) => newestJs(dir) <= built) ? codePath : undefined;
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestJs(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestJs(full));
    else if (entry.name.endsWith('.js')) newest = Math.max(newest, mtimeMs(full));
  }
  return newest;
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
