import { LocalCache } from './local-cache';
import { openObjectStore } from './open-object-store';
import { Storage } from './storage';

export interface StorageSettings {
  /** `file:///path` or `s3://bucket/prefix`. */
  url: string;
  /** The folder of this process's cache; see openStorage. */
  cacheDir: string;
  cacheBytes: number;
}

export interface StorageHandle {
  storage: Storage;
  /** Closes the store once every holder has released it. */
  release(): Promise<void>;
}

const open = new Map<string, { storage: Storage; holders: number }>();

/**
 * The storage layer for these settings, shared by everything in this process that asks for the same ones: a cache
 * folder must have one owner, and a test process runs an API and several workers side by side.
 */
export function openStorage(settings: StorageSettings, env: NodeJS.ProcessEnv = process.env): StorageHandle {
  const id = `${settings.url}\n${settings.cacheDir}`;
  let shared = open.get(id);
  if (!shared) {
    shared = { storage: new Storage(openObjectStore(settings.url, env), new LocalCache(settings.cacheDir, settings.cacheBytes)), holders: 0 };
    open.set(id, shared);
  }
  shared.holders++;
  const held = shared;
  let released = false;
  return {
    storage: held.storage,
    async release() {
      if (released) return;
      released = true;
      if (--held.holders > 0) return;
      open.delete(id);
      await held.storage.close();
    },
  };
}
