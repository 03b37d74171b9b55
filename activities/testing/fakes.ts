import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Info } from '@temporalio/activity';
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadConfig, type TrainyardConfig } from '@trainyard/config';
import type { Device, ModelVersionRef, Stage } from '@trainyard/contracts';
import type { JobStore, LogEntry, MetricValue } from '@trainyard/db';
import { LocalCache, MemoryObjectStore, Storage } from '@trainyard/storage';
import type { ActivityDeps, GpuCapability } from '../activity-deps';
import { runJobStep, type JobRecorder, type LogLevel, type StepContext } from '../pipeline/step-context';

/** The job every fake step works for (keys under jobs/ need a UUID). */
export const JOB_ID = '00000000-0000-4000-8000-00000000a001';
export const TENANT_ID = '00000000-0000-4000-8000-00000000e001';

/** A JobStore that remembers every call instead of writing rows; like the real one, the first outcome wins. */
export class FakeJobStore implements JobRecorder {
  readonly stages: { stage: Stage; progress: number; device?: Device }[] = [];
  readonly progress: number[] = [];
  readonly results: Parameters<JobStore['setResults']>[1][] = [];
  readonly logs: LogEntry[] = [];
  readonly metrics: MetricValue[] = [];
  readonly outcomes: Parameters<JobStore['finalize']>[1][] = [];
  readonly modelVersions: ModelVersionRef[] = [];
  readonly effectiveParams: Record<string, unknown>[] = [];

  async enterStage(_jobId: string, stage: Stage, progress: number, device?: Device): Promise<boolean> {
    if (this.outcomes.length > 0) return false;
    this.stages.push({ stage, progress, device });
    return true;
  }

  async setProgress(_jobId: string, progress: number): Promise<void> {
    this.progress.push(progress);
  }

  async setResults(_jobId: string, results: Parameters<JobStore['setResults']>[1]): Promise<void> {
    this.results.push(results);
  }

  async log(_jobId: string, entry: LogEntry): Promise<void> {
    this.logs.push(entry);
  }

  async recordMetrics(_jobId: string, points: MetricValue[]): Promise<void> {
    this.metrics.push(...points);
  }

  async finalize(_jobId: string, outcome: Parameters<JobStore['finalize']>[1]): Promise<boolean> {
    if (this.outcomes.length > 0) return false;
    this.outcomes.push(outcome);
    return true;
  }

  async setModelVersion(_jobId: string, version: ModelVersionRef): Promise<void> {
    this.modelVersions.push(version);
  }

  async setEffectiveParams(_jobId: string, params: Record<string, unknown>): Promise<void> {
    this.effectiveParams.push(params);
  }

  /** The logged messages, of one level when given. */
  messages(level?: LogLevel): string[] {
    return this.logs.filter((l) => !level || l.level === level).map((l) => l.message);
  }
}

/** A dependency a spec does not provide: touching it fails the spec and says what was touched. */
function absent<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      // Not thenable, and printable: only a real use fails.
      if (typeof property === 'symbol' || property === 'then') return undefined;
      throw new Error(`${what} is not part of this spec (it was asked for .${property})`);
    },
  });
}

export interface FakeDeps {
  deps: ActivityDeps;
  /** The store behind deps.storage, to look into or take down. */
  store: MemoryObjectStore;
  dispose(): Promise<void>;
}

/**
 * ActivityDeps for specs: the default config (over a temporary data dir), a CPU-only machine, storage on a
 * MemoryObjectStore with a real local cache, and no database or Temporal client unless one is handed in.
 */
export async function fakeDeps(options: { config?: Partial<TrainyardConfig>; gpu?: Partial<GpuCapability>; temporal?: ActivityDeps['temporal'] } = {}): Promise<FakeDeps> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-spec-'));
  const store = new MemoryObjectStore();
  const deps: ActivityDeps = {
    config: { ...loadConfig({ TRAINYARD_DATA_DIR: dir }), ...options.config },
    gpu: { available: false, simulated: false, name: null, ...options.gpu },
    storage: new Storage(store, new LocalCache(join(dir, 'cache'), 256 * 2 ** 20)),
    orm: absent('the database'),
    temporal: options.temporal ?? absent('the Temporal client'),
  };
  return { deps, store, dispose: () => rm(dir, { recursive: true, force: true }) };
}

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * One attempt of a step as a worker runs it (Temporal's MockActivityEnvironment for Context.current()), writing
 * to a FakeJobStore; `info` sets the attempt number and the previous attempt's heartbeat details.
 */
export class StepAttempt {
  readonly env: MockActivityEnvironment;
  readonly jobs = new FakeJobStore();
  /** The details of every heartbeat, in order. */
  readonly heartbeats: Record<string, unknown>[] = [];

  constructor(
    readonly deps: ActivityDeps,
    info: Partial<Info> = {},
  ) {
    this.env = new MockActivityEnvironment(info, { logger: quiet });
    this.env.on('heartbeat', (details: Record<string, unknown>) => this.heartbeats.push(details));
  }

  /** Runs `body` as the job's step in `stage`, as runStep does. */
  run<T>(stage: Stage, body: (ctx: StepContext) => Promise<T>, device: Device = 'cpu'): Promise<T> {
    return this.env.run(() => runJobStep(this.deps, this.jobs, { jobId: JOB_ID, device }, stage, body));
  }

  /** Cancels the attempt, as Temporal does when the workflow cancels the activity. */
  cancel(): void {
    this.env.cancel();
  }
}
