import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';

/** The Temporal CLI that `npm test` uses; TRAINYARD_TEMPORAL_CLI overrides it. */
export const TEMPORAL_CLI = process.env.TRAINYARD_TEMPORAL_CLI || join(__dirname, '..', '..', '..', '.tools', 'bin', 'temporal');

/**
 * What `npm test` and compose give Temporal (scripts/services.mjs, docker/temporal-dynamicconfig.yaml): the priority-aware
 * matcher, and one partition per task queue, since with several partitions priority only orders tasks within each one.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string> = {
  'matching.useNewMatcher': 'true',
  'matching.numTaskqueueReadPartitions': '1',
  'matching.numTaskqueueWritePartitions': '1',
};

/** The custom search attributes Trainyard's workflows upsert; every server they run on must declare them. */
const SEARCH_ATTRIBUTES: Record<string, string> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'scripts', 'search-attributes.json'), 'utf8'),
);

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  port: number;
  uiPort: number;
  dbFile: string;
  /** Extra `--dynamic-config-value key=value` settings (values are JSON). */
  dynamicConfig?: Record<string, string>;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` on a SQLite file and waits until the default namespace answers. */
export async function startDevServer(options: DevServerOptions, timeoutMs = 60_000): Promise<DevServer> {
  const child = spawn(
    TEMPORAL_CLI,
    [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1',
      '--port', String(options.port), '--ui-port', String(options.uiPort),
      '--db-filename', options.dbFile, '--log-level', 'error',
      ...Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig }).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${v}`]),
      ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${options.port}`;
  const server: DevServer = {
    address,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with ${child.exitCode}:\n${out}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return server;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`temporal dev server on ${address} not ready in ${timeoutMs} ms: ${err instanceof Error ? err.message : err}\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
