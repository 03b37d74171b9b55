import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestStack } from './test-stack';

/** The built worker and API binaries, as `npm start` runs them. */
export const WORKER_MAIN = join(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.js');
export const API_MAIN = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js');

export interface NodeProcess {
  child: ChildProcess;
  /** Resolves once the process prints that it is ready; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
  output(): string;
  /** Sends `signal` and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export type WorkerProcess = NodeProcess;

/** Starts a built entry point as a process of its own, ready when its output matches `readyWhen`. */
export function spawnNode(entry: string, env: NodeJS.ProcessEnv, readyWhen: RegExp): NodeProcess {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (readyWhen.test(out)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${out}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    output: () => out,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts `node dist/apps/worker/src/main.js` as a separate process serving the stack's queues. */
export function spawnWorker(stack: TestStack, env: Record<string, string> = {}): WorkerProcess {
  return spawnNode(
    WORKER_MAIN,
    {
      ...process.env,
      DATABASE_URL: stack.config.databaseUrl,
      TEMPORAL_ADDRESS: stack.config.temporalAddress,
      TRAINYARD_QUEUE_PREFIX: stack.config.queuePrefix,
      TRAINYARD_DATA_DIR: stack.config.dataDir,
      TRAINYARD_STORAGE_URL: stack.config.storageUrl,
      ...env,
    },
    /worker ready/,
  );
}
