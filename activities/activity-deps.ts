import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import type { Storage } from '@trainyard/storage';

/** What a worker can run on, found by probing the machine (or faked in tests). */
export interface GpuCapability {
  available: boolean;
  /** True when advertised by TRAINYARD_FAKE_GPU: the GPU queue is served but engines run on the CPU. */
  simulated: boolean;
  name: string | null;
}

export interface ActivityDeps {
  orm: MikroORM;
  config: TrainyardConfig;
  temporal: Client;
  gpu: GpuCapability;
  storage: Storage;
}
