import 'reflect-metadata';
import { loadConfig } from '@trainyard/config';
import { startWorkerRuntime } from './worker-runtime';

async function main(): Promise<void> {
  // Whatever this process writes (data dir, caches, temp files) is its owner's alone: files 0600, folders 0700.
  process.umask(0o077);
  const config = loadConfig();
  const runtime = await startWorkerRuntime(config);
  const queues = runtime.queues.map((q) => `${q.device}×${q.slots}`).join(', ') || 'none';
  console.log(`worker ready: compute queues ${queues}; GPU ${runtime.gpu.available ? runtime.gpu.name : 'none'}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping; steps still running when the grace time ends are retried on another worker (training resumes from its last checkpoint)`);
    runtime.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await runtime.done;
}

main().catch((err: unknown) => {
  console.error('worker failed:', err);
  process.exit(1);
});
