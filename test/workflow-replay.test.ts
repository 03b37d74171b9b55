import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import type { TrainingSpec } from '@trainyard/contracts';
import { bundleWorkflows } from '@trainyard/temporal';
import { WORKFLOWS_PATH } from '../apps/worker/src/worker-runtime';
import * as workflows from '../workflows';
import type { ScheduledLocalActivity } from './support/replay-probe.interceptor';

/** Written by `npm run record-histories` (test/support/record-histories.ts); when to re-record: workflows/README.md. */
const HISTORIES_DIR = join(__dirname, '..', '..', 'test', 'histories');

interface Payload {
  data?: string;
}
interface HistoryJson {
  events: {
    workflowExecutionStartedEventAttributes?: { workflowId: string; workflowType: { name: string } };
    markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Payload[] }> };
  }[];
}

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();
const read = (file: string): HistoryJson => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as HistoryJson;
const started = (file: string) => read(file).events[0]!.workflowExecutionStartedEventAttributes!;
const decode = (p: Payload | undefined): unknown => (p?.data ? JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) : undefined);

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

/**
 * The SDK's replayer compares the commands a workflow issues, not their arguments, so a change to the sampler's maths
 * would replay cleanly while every running study quietly forgot which params its trials ran with. The history keeps
 * what each trial's job was created with (startTrialJob's result); on replay the sampler must suggest the same.
 */
describe('workflow replay: studies suggest the same params on replay', () => {
  const studies = files.filter((f) => started(f).workflowType.name === 'studyWorkflow');
  let probed: WorkflowBundleOption;
  before(async () => {
    const quiet = () => undefined;
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [require.resolve('./support/replay-probe.interceptor')],
      logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error },
    });
    probed = { code };
  });

  it('has study histories with trials', () => assert.ok(studies.length >= 2, `study histories: ${studies.join(', ')}`));

  for (const file of studies) {
    it(`${file}: each trial gets the params its job was created with`, async () => {
      const calls: ScheduledLocalActivity[] = [];
      await replay(file, {
        workflowBundle: probed,
        sinks: { replayProbe: { localActivity: { fn: (_info: unknown, call: ScheduledLocalActivity) => void calls.push(call), callDuringReplay: true } } },
      });
      const specs = trialSpecsBySeq(read(file));
      const suggested = calls.filter((c) => c.activityType === 'startTrialJob');
      assert.ok(suggested.length > 0, 'the study started trials');
      assert.equal(suggested.length, specs.size, 'one trial job per recorded startTrialJob');
      for (const call of suggested) {
        // Copied out of the workflow's realm, so the comparison sees values rather than another realm's prototypes.
        const { number, params } = JSON.parse(JSON.stringify(call.args[0])) as { number: number; params: Record<string, unknown> };
        const spec = specs.get(call.seq);
        assert.ok(spec, `trial ${number}: no recorded startTrialJob with seq ${call.seq}`);
        const ranWith = Object.fromEntries(Object.keys(params).map((k) => [k, k === 'model.type' ? spec.model.type : spec.model.params[k]]));
        assert.deepEqual(params, ranWith, `${file}: trial ${number} is suggested other params than it ran with`);
      }
    });
  }
});

/** The spec each recorded startTrialJob returned, by its sequence number. */
function trialSpecsBySeq(history: HistoryJson): Map<number, TrainingSpec> {
  const specs = new Map<number, TrainingSpec>();
  for (const event of history.events) {
    const details = event.markerRecordedEventAttributes?.details;
    const meta = decode(details?.data?.payloads?.[0]) as { seq: number; activity_type: string } | undefined;
    if (meta?.activity_type !== 'startTrialJob') continue;
    specs.set(meta.seq, (decode(details?.result?.payloads?.[0]) as { spec: TrainingSpec }).spec);
  }
  return specs;
}
