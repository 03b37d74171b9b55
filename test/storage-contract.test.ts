import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ArtifactCorruptError,
  LocalCache,
  ObjectNotFoundError,
  Storage,
  StorageUnavailableError,
  objectKey,
  objectKeys,
  openObjectStore,
  sha256Of,
  storageOptionsFromUrl,
  type ObjectStore,
} from '@trainyard/storage';
import { testS3 } from './support/s3';

/** The real store, counting the downloads that reach it. */
function counting(store: ObjectStore): ObjectStore & { gets: number } {
  const counted = Object.create(store) as ObjectStore & { gets: number };
  counted.gets = 0;
  counted.get = (key) => {
    counted.gets++;
    return store.get(key);
  };
  return counted;
}

async function* chunks(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

interface Backend {
  name: string;
  url(): Promise<string>;
}

const backends: Backend[] = [
  { name: 'local directory', url: async () => pathToFileURL(await mkdtemp(join(tmpdir(), 'trainyard-store-'))).href },
  { name: 'S3 (SeaweedFS)', url: async () => `${testS3().url}/contract-${randomUUID().slice(0, 8)}` },
];

for (const backend of backends) {
  describe(`storage contract: ${backend.name}`, () => {
    let url: string;
    let store: ObjectStore & { gets: number };
    let storage: Storage;
    let cacheDir: string;

    before(async () => {
      url = await backend.url();
      cacheDir = await mkdtemp(join(tmpdir(), 'trainyard-cache-'));
      store = counting(openObjectStore(url));
      storage = new Storage(store, new LocalCache(cacheDir, 64 * 2 ** 20));
    });

    after(async () => {
      await storage.deletePrefix('contract/').catch(() => undefined);
      await storage.close();
      await rm(cacheDir, { recursive: true, force: true });
      const options = storageOptionsFromUrl(url);
      if (options.kind === 'file') await rm(options.root, { recursive: true, force: true });
    });

    it('round-trips bytes and reports their sha256 and size', async () => {
      const data = randomBytes(10_000);
      const object = await storage.putBytes('contract/a.bin', data);
      assert.equal(object.sha256, sha256Of(data));
      assert.equal(object.size, data.length);
      assert.deepEqual(await storage.readBytes(object), data);
      assert.equal((await store.head('contract/a.bin'))?.size, data.length);
    });

    it('streams a large body in pieces (multipart on S3) and reads it back whole', async () => {
      const data = randomBytes(20 * 2 ** 20 + 123);
      const object = await storage.putStream('contract/big.bin', chunks(data, 3 * 2 ** 20 + 1));
      assert.equal(object.size, data.length);
      assert.equal(object.sha256, sha256Of(data));
      assert.ok((await storage.readBytes(object)).equals(data));
    });

    it('compresses what pays on a remote store only, and readers get the content back', async () => {
      const text = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ round: i, loss: 0.5 }))));
      const object = await storage.putBytes('contract/series.json', text);
      assert.equal(object.encoding, store.isLocal ? 'identity' : 'gzip');
      const stored = (await store.head(object.key))!.size;
      if (!store.isLocal) assert.ok(stored < text.length / 4, `stored ${stored} of ${text.length} bytes`);
      const cold = new Storage(store, new LocalCache(await mkdtemp(join(tmpdir(), 'trainyard-cache-')), 2 ** 20));
      assert.ok((await cold.readBytes(object)).equals(text));
    });

    it('reads a range of an object as stored', async () => {
      const data = Buffer.from('0123456789');
      const object = await storage.putBytes('contract/range.txt', data, { compress: false });
      assert.equal((await storage.readRange(object, 2, 5)).toString(), '234');
      assert.equal((await storage.readRange(object, 8, 100)).toString(), '89');
      assert.equal((await storage.readRange(object, 20, 30)).length, 0);
    });

    it('says plainly when an object is missing, and deleting a missing object is not an error', async () => {
      await assert.rejects(store.get('contract/nothing-here'), ObjectNotFoundError);
      assert.equal(await store.head('contract/nothing-here'), null);
      await storage.delete('contract/nothing-here');
      await assert.rejects(storage.open({ key: 'contract/nothing-here', sha256: 'a'.repeat(64), size: 1, encoding: 'identity' }), ObjectNotFoundError);
    });

    it('replaces an object whole and deletes by prefix only under that prefix', async () => {
      await storage.putBytes('contract/p/x', Buffer.from('one'));
      const second = await storage.putBytes('contract/p/x', Buffer.from('two'));
      await storage.putBytes('contract/p/y/z', Buffer.from('three'));
      await storage.putBytes('contract/q', Buffer.from('kept'));
      assert.equal((await storage.readBytes(second)).toString(), 'two');
      const listed: string[] = [];
      for await (const o of store.list('contract/p/')) listed.push(o.key);
      assert.deepEqual(listed.sort(), ['contract/p/x', 'contract/p/y/z']);
      assert.equal(await storage.deletePrefix('contract/p/'), 2);
      assert.equal(await store.head('contract/p/x'), null);
      assert.ok(await store.head('contract/q'));
    });

    it('refuses an object whose content does not match its sha256 (ARTIFACT_CORRUPT)', async () => {
      const object = await storage.putBytes('contract/model.onnx', randomBytes(5000));
      await store.put(object.key, randomBytes(5000)); // someone replaced the bytes behind our back
      const fresh = new Storage(store, new LocalCache(await mkdtemp(join(tmpdir(), 'trainyard-cache-')), 2 ** 20));
      const err = await fresh.readBytes(object).catch((e: unknown) => e);
      assert.ok(err instanceof ArtifactCorruptError, String(err));
      assert.equal(err.code, 'ARTIFACT_CORRUPT');
    });

    it('serves a second read from the local cache, and fetches again when the cached copy is damaged', async (t) => {
      if (store.isLocal) return t.skip('a local store is read in place: it has no cached copy to damage');
      const data = randomBytes(50_000);
      const object = await storage.putBytes('contract/cached.bin', data);
      const dir = await mkdtemp(join(tmpdir(), 'trainyard-cache-'));
      const reader = new Storage(store, new LocalCache(dir, 2 ** 20));
      const before = store.gets;
      assert.ok((await reader.readBytes(object)).equals(data));
      assert.ok((await reader.readBytes(object)).equals(data));
      assert.equal(store.gets - before, 1, 'one download for two reads');

      const shard = join(dir, object.sha256.slice(0, 2));
      const [file] = await readdir(shard);
      await writeFile(join(shard, file), randomBytes(50_000));
      await utimes(join(shard, file), new Date(), new Date(Date.now() + 5000)); // a changed file is checked again
      assert.ok((await reader.readBytes(object)).equals(data));
      assert.equal(store.gets - before, 2, 'the damaged copy was fetched again');
    });

    it('keeps the cache within its byte bound, least recently used out first', async (t) => {
      if (store.isLocal) return t.skip('a local store is read in place');
      const dir = await mkdtemp(join(tmpdir(), 'trainyard-cache-'));
      const small = new Storage(store, new LocalCache(dir, 25_000));
      const objects = [];
      for (let i = 0; i < 4; i++) objects.push(await storage.putBytes(`contract/lru-${i}`, randomBytes(10_000)));
      for (const o of objects) await small.readBytes(o);
      assert.ok(small.cache.heldBytes <= 25_000, `holds ${small.cache.heldBytes}`);
      const before = store.gets;
      await small.readBytes(objects[3]);
      assert.equal(store.gets, before, 'the most recent is still cached');
      await small.readBytes(objects[0]);
      assert.equal(store.gets, before + 1, 'the oldest was evicted');
    });

    it('sweeps scratch objects and unfinished uploads older than the cutoff, and nothing newer', async () => {
      const scratch = objectKeys.scratch();
      await storage.putBytes(scratch, Buffer.from('left by a killed request'));
      const fresh = objectKeys.scratch();
      const options = storageOptionsFromUrl(url);
      if (options.kind === 'file') {
        await writeFile(join(options.root, '.incoming', 'half-written'), 'x');
      } else {
        const s3 = testS3();
        const client = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.credentials });
        await client.send(new CreateMultipartUploadCommand({ Bucket: options.bucket, Key: `${options.prefix}/contract/never-finished` }));
        client.destroy();
      }
      // S3 stamps objects to the second, so the cutoff leaves the fresh object two seconds of room.
      await new Promise((resolve) => setTimeout(resolve, 3200));
      await storage.putBytes(fresh, Buffer.from('a request still running'));
      const removed = await storage.sweep(3000);
      assert.ok(removed >= 2, `removed ${removed}`);
      assert.equal(await store.head(scratch), null);
      assert.ok(await store.head(fresh));
      await storage.delete(fresh);
    });

    it('never lets a key escape its place', () => {
      for (const bad of ['../x', 'a/../b', '/abs', 'a//b', '.hidden', 'a/b\0c', '']) {
        assert.throws(() => objectKey(...bad.split('/')), /not a key segment/, bad);
      }
      assert.throws(() => objectKeys.job('not-a-uuid', 'x'), /not a job id/);
    });
  });
}

describe('storage: an unreachable store', () => {
  it('fails with StorageUnavailableError, which callers retry', async () => {
    const store = openObjectStore('s3://unreachable-bucket/x', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1' });
    await assert.rejects(store.head('a/b'), StorageUnavailableError);
    await store.close();
  });

  it('reads TRAINYARD_STORAGE_URL and the AWS variables', () => {
    assert.deepEqual(storageOptionsFromUrl('s3://my-bucket/team/a/', { AWS_ENDPOINT_URL: 'http://minio:9000', AWS_REGION: 'eu-west-1' }), {
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'team/a',
      region: 'eu-west-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      createBucket: true,
    });
    assert.equal((storageOptionsFromUrl('s3://b-1/', {}) as { forcePathStyle: boolean }).forcePathStyle, false);
    assert.throws(() => storageOptionsFromUrl('s3://key:secret@bucket/x', {}), /credentials/);
    assert.throws(() => storageOptionsFromUrl('ftp://x', {}), /file:\/\/\/path or s3:/);
  });
});
