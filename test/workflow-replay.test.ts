import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { bundleWorkflows } from '@trainyard/temporal';
import { WORKFLOWS_PATH } from '../apps/worker/src/worker-runtime';
import * as workflows from '../workflows';

/** Written by `npm run record-histories` (test/support/record-histories.ts); when to re-record: workflows/README.md. */
const HISTORIES_DIR = join(__dirname, '..', '..', 'test', 'histories');

interface HistoryJson {
  events: {
    workflowExecutionStartedEventAttributes?: { workflowId: string; workflowType: { name: string } };
  }[];
}

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();
const read = (file: string): HistoryJson => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as HistoryJson;
const started = (file: string) => read(file).events[0]!.workflowExecutionStartedEventAttributes!;

/** Replays `file`; a failure names the history and says what to do about it. */
async function replay(file: string, options: Parameters<typeof Worker.runReplayHistory>[0]): Promise<void> {
  // Histories carry their workflow id only in the first event; studies hand it to their trials.
  await Worker.runReplayHistory({ ...options, replayName: file }, read(file), started(file).workflowId).catch((err: unknown) => {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`${file} no longer replays: ${message}\nA change that running workflows must survive goes behind patched() (workflows/README.md); do not re-record to make this pass.`, { cause: err });
  });
}

describe('workflow replay: committed histories against the workflow code workers run today', () => {
  let bundle: WorkflowBundleOption;
  before(async () => {
    // The bundle a worker loads: the build's prebuilt one when it is fresh, else bundled from the same path.
    bundle = await bundleWorkflows(WORKFLOWS_PATH);
  });

  it('has a committed history of every workflow type', () => {
    const recorded = new Set(files.map((f) => started(f).workflowType.name));
    const types = Object.entries(workflows).filter(([name, value]) => typeof value === 'function' && name.endsWith('Workflow')).map(([name]) => name);
    assert.ok(types.length >= 5, `workflow types found: ${types.join(', ')}`);
    assert.deepEqual(types.filter((t) => !recorded.has(t)), [], 'record a history of each (npm run record-histories)');
  });

  for (const file of files) {
    it(`replays ${file} without nondeterminism`, () => replay(file, { workflowBundle: bundle }));
  }
});
