import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileObjectStore } from './file-object-store';
import { sha256Of } from './file-digest';
import { LocalCache } from './local-cache';
import { MemoryObjectStore } from './memory-object-store';
import type { ObjectStore } from './object-store';
import { Storage } from './storage';
import { ArtifactCorruptError, ObjectNotFoundError, StorageUnavailableError } from './storage-errors';

async function bytesOf(store: ObjectStore, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await store.get(key)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys.sort();
}

async function* trickle(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

// The fake is held to the same cases as the local directory store, so a spec that passes on it would pass on a real one.
const stores: { name: string; open(): Promise<{ store: ObjectStore; close(): Promise<void> }> }[] = [
  { name: 'MemoryObjectStore', open: async () => ({ store: new MemoryObjectStore(), close: async () => undefined }) },
  {
    name: 'FileObjectStore (its model)',
    open: async () => {
      const root = await mkdtemp(join(tmpdir(), 'trainyard-memory-spec-'));
      return { store: new FileObjectStore(root), close: () => rm(root, { recursive: true, force: true }) };
    },
  },
];

for (const kind of stores) {
  describe(`ObjectStore behaviour: ${kind.name}`, () => {
    let store: ObjectStore;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await kind.open()));
    after(() => close());

    it('keeps a body given whole, in pieces or as a stream, and says how many bytes it stored', async () => {
      assert.deepEqual(await store.put('a/whole', Buffer.from('hello')), { storedBytes: 5 });
      assert.deepEqual(await store.put('a/pieces', [Buffer.from('he'), Buffer.from('llo')]), { storedBytes: 5 });
      assert.deepEqual(await store.put('a/stream', trickle('hel', 'lo', '!')), { storedBytes: 6 });
      assert.equal((await bytesOf(store, 'a/whole')).toString(), 'hello');
      assert.equal((await bytesOf(store, 'a/pieces')).toString(), 'hello');
      assert.equal((await bytesOf(store, 'a/stream')).toString(), 'hello!');
      assert.equal((await store.head('a/stream'))?.size, 6);
    });

    it('replaces an object whole on a second put', async () => {
      await store.put('b/replaced', Buffer.from('a long first version'));
      await store.put('b/replaced', Buffer.from('short'));
      assert.equal((await bytesOf(store, 'b/replaced')).toString(), 'short');
      assert.equal((await store.head('b/replaced'))?.size, 5);
    });

    it('answers a missing key with ObjectNotFoundError on get, null on head, and nothing on delete', async () => {
      await assert.rejects(store.get('c/missing'), ObjectNotFoundError);
      await assert.rejects(store.getRange('c/missing', 0, 1), ObjectNotFoundError);
      assert.equal(await store.head('c/missing'), null);
      await store.delete('c/missing');
    });

    it('reads ranges, short at the end and empty past it', async () => {
      await store.put('d/range', Buffer.from('0123456789'));
      assert.equal((await store.getRange('d/range', 2, 5)).toString(), '234');
      assert.equal((await store.getRange('d/range', 8, 20)).toString(), '89');
      assert.equal((await store.getRange('d/range', 12, 20)).length, 0);
    });

    it('lists and deletes by prefix, leaving the neighbours alone', async () => {
      for (const key of ['jobs/one/x', 'jobs/one/y', 'jobs/onex/z', 'jobs/two/x']) await store.put(key, Buffer.from(key));
      assert.deepEqual(await keysUnder(store, 'jobs/one/'), ['jobs/one/x', 'jobs/one/y']);
      assert.equal(await store.deletePrefix('jobs/one/'), 2);
      assert.deepEqual(await keysUnder(store, 'jobs/'), ['jobs/onex/z', 'jobs/two/x']);
    });

    it('refuses keys that could escape their folder', async () => {
      await assert.rejects(store.put('../outside', Buffer.from('x')), /not a key segment/);
      await assert.rejects(store.put('a//b', Buffer.from('x')), /not a key segment/);
    });
  });
}

describe('MemoryObjectStore as a fake', () => {
  it('keeps its own copy of what was put', async () => {
    const store = new MemoryObjectStore();
    const data = Buffer.from('original');
    await store.put('k/copy', data);
    data.write('mutated!');
    assert.equal((await bytesOf(store, 'k/copy')).toString(), 'original');
  });

  it('fails every call with StorageUnavailableError while down, and answers again once recovered', async () => {
    const store = new MemoryObjectStore();
    await store.put('k/kept', Buffer.from('kept'));
    store.goDown('maintenance');
    await assert.rejects(store.put('k/new', Buffer.from('x')), (err: unknown) => err instanceof StorageUnavailableError && /maintenance/.test(err.message));
    await assert.rejects(store.get('k/kept'), StorageUnavailableError);
    await assert.rejects(store.head('k/kept'), StorageUnavailableError);
    await assert.rejects(keysUnder(store, 'k/'), StorageUnavailableError);
    store.recover();
    assert.equal((await bytesOf(store, 'k/kept')).toString(), 'kept');
    assert.deepEqual(store.keys(), ['k/kept']);
  });

  describe('under Storage, as a remote store', () => {
    let cacheDir: string;
    before(async () => (cacheDir = await mkdtemp(join(tmpdir(), 'trainyard-memory-cache-'))));
    after(() => rm(cacheDir, { recursive: true, force: true }));

    it('compresses what pays, and reads it back checked through an empty cache', async () => {
      const store = new MemoryObjectStore();
      const data = Buffer.from('abc'.repeat(10_000));
      const object = await new Storage(store, new LocalCache(join(cacheDir, 'writer'), 1 << 20)).putBytes('m/text', data);
      assert.equal(object.encoding, 'gzip');
      assert.ok((await store.head('m/text'))!.size < data.length / 10);
      const reader = new Storage(store, new LocalCache(join(cacheDir, 'reader'), 1 << 20));
      assert.deepEqual(await reader.readBytes(object), data);
    });

    it('stores a stream through a cache nothing has used yet, keeping the cached copy', async () => {
      const store = new MemoryObjectStore();
      const storage = new Storage(store, new LocalCache(join(cacheDir, 'fresh'), 1 << 20));
      const object = await storage.putStream('m/stream', [Buffer.from('first '), Buffer.from('use')]);
      assert.equal((await bytesOf(store, 'm/stream')).toString(), 'first use');
      store.goDown();
      assert.equal((await storage.readBytes(object)).toString(), 'first use', 'read from the cache, not the store');
    });

    it('calls an object whose bytes changed in the store corrupt', async () => {
      const store = new MemoryObjectStore();
      const data = Buffer.from('model bytes');
      await store.put('m/model', Buffer.from('other bytes'));
      const reader = new Storage(store, new LocalCache(join(cacheDir, 'corrupt'), 1 << 20));
      await assert.rejects(reader.readBytes({ key: 'm/model', sha256: sha256Of(data), size: data.length, encoding: 'identity' }), ArtifactCorruptError);
    });
  });
});
