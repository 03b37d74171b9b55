/**
 * Records the committed workflow histories that test/workflow-replay.test.ts replays. Run by
 * `npm run record-histories [-- <case>...]` (scripts/record-histories.mjs), which starts PostgreSQL, the object store
 * and a Temporal dev server of its own; this drives the real API and a real worker process through each case of
 * ./history-cases and writes every history it names to test/histories/<workflow>-<case>.json.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { binaryCsv } from './datasets';
import { CASES, HISTORIES_DIR, type Recorder, type Recording } from './history-cases';
import { ApiClient } from './http';
import { startTestStack } from './test-stack';
import { spawnWorker, type WorkerProcess } from './worker-process';

/** Fails on the first 503 of each delivery, so every recorded delivery shows a retry. */
async function startWebhookReceiver(): Promise<{ server: Server; url: string }> {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const delivery = String(req.headers['trainyard-delivery']);
      res.writeHead(seen.has(delivery) ? 200 : 503).end();
      seen.add(delivery);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/replay` };
}

async function writeHistory(client: Client, rec: Recording): Promise<void> {
  const handle = client.workflow.getHandle(rec.workflowId, rec.runId);
  await handle.result().catch(() => undefined); // failed and cancelled runs are recorded too, once closed
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const problem = rec.expect?.(events);
  if (problem) throw new Error(`${rec.file}: ${problem}`);
  const path = join(HISTORIES_DIR, `${rec.file}.json`);
  await writeFile(path, `${historyToJSON(history)}\n`);
  console.log(`[record] ${rec.file}.json: ${events.length} events`);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w));
  if (unknown.length) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  const cases = CASES.filter((c) => wanted.length === 0 || wanted.includes(c.name));

  const hooks = await startWebhookReceiver();
  const stack = await startTestStack({ worker: false });
  const connection = await Connection.connect({ address: stack.config.temporalAddress });
  const client = new Client({ connection, namespace: stack.config.temporalNamespace });
  let worker: WorkerProcess = spawnWorker(stack);
  try {
    await worker.ready;
    const api = new ApiClient(stack.url, stack.adminToken);
    const hook = await api.post('/v1/webhooks', { url: hooks.url, events: ['training.completed', 'training.failed', 'training.cancelled'], secret: 'replay-recorder-secret-0123' });
    if (hook.status !== 201) throw new Error(`webhook refused: ${JSON.stringify(hook.body)}`);
    const datasetId = (await api.uploadDataset('replay', binaryCsv(300, 7))).body.id as string;
    const recorder: Recorder = {
      api,
      client,
      stack,
      datasetId,
      async restartWorker() {
        await worker.kill('SIGKILL');
        worker = spawnWorker(stack);
        await worker.ready;
      },
    };
    for (const c of cases) {
      const started = Date.now();
      console.log(`[record] ${c.name} ...`);
      for (const rec of await c.run(recorder)) await writeHistory(client, rec);
      console.log(`[record] ${c.name} done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
  } finally {
    await worker.kill('SIGTERM');
    await connection.close();
    await stack.stop();
    hooks.server.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[record] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
