import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { checkedKey } from './object-keys';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions } from './object-store';
import { ObjectNotFoundError, StorageUnavailableError } from './storage-errors';

export interface S3StoreOptions {
  bucket: string;
  /** Prepended to every key, without leading or trailing slashes; may be empty. */
  prefix: string;
  region: string;
  /** For S3-compatible servers (MinIO, SeaweedFS, R2 ...); AWS itself when absent. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Create the bucket when it does not exist (handy for MinIO and SeaweedFS; off for AWS by default). */
  createBucket: boolean;
}

/** Bodies at least this large go up as a multipart upload, in parts of this size, several at once. */
const PART_BYTES = 8 * 2 ** 20;
const PARTS_IN_FLIGHT = 4;
/** The encoding rides in user metadata: a Content-Encoding header invites proxies and servers to undo it. */
const ENCODING_META = 'trainyard-encoding';

/** Objects in an S3-compatible bucket through the AWS SDK v3; multipart for large bodies. */
export class S3ObjectStore implements ObjectStore {
  readonly isLocal = false;
  private readonly client: S3Client;
  private bucketChecked: Promise<void> | null = null;

  constructor(private readonly options: S3StoreOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      // S3-compatible servers differ on the newer default checksums (CRC32 trailers); send them only where required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
      maxAttempts: 3,
    });
  }

  get location(): string {
    return `s3://${this.options.bucket}${this.options.prefix ? `/${this.options.prefix}` : ''}${this.options.endpoint ? ` at ${this.options.endpoint}` : ''}`;
  }

  private keyOf(key: string): string {
    const checked = checkedKey(key);
    return this.options.prefix ? `${this.options.prefix}/${checked}` : checked;
  }

  private keyFrom(stored: string): string {
    return this.options.prefix ? stored.slice(this.options.prefix.length + 1) : stored;
  }

  /** Checks once that the bucket exists, creating it when allowed. */
  private ready(): Promise<void> {
    this.bucketChecked ??= this.call(async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
      } catch (err) {
        if (!(statusOf(err) === 404 && this.options.createBucket)) throw err;
        await this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket })).catch((e: unknown) => {
          if (!(e instanceof S3ServiceException && /BucketAlready(OwnedByYou|Exists)/.test(e.name))) throw e;
        });
      }
    }).catch((err: unknown) => {
      this.bucketChecked = null;
      throw err;
    });
    return this.bucketChecked;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ storedBytes: number }> {
    await this.ready();
    const params = {
      Bucket: this.options.bucket,
      Key: this.keyOf(key),
      ContentType: 'application/octet-stream',
      Metadata: options.contentEncoding ? { [ENCODING_META]: options.contentEncoding } : undefined,
    };
    if (body instanceof Uint8Array && body.byteLength < PART_BYTES) {
      await this.call(() => this.client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.byteLength })));
      return { storedBytes: body.byteLength };
    }
    let storedBytes = 0;
    const counted = async function* (source: ObjectBody) {
      if (source instanceof Uint8Array) {
        storedBytes = source.byteLength;
        yield source;
        return;
      }
      for await (const chunk of source) {
        storedBytes += chunk.byteLength;
        yield chunk;
      }
    };
    const upload = new Upload({
      client: this.client,
      params: { ...params, Body: Readable.from(counted(body), { objectMode: false }) },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    await this.call(() => upload.done());
    return { storedBytes };
  }

  async get(key: string): Promise<Readable> {
    await this.ready();
    const out = await this.call(async () => {
      try {
        return await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
      } catch (err) {
        if (statusOf(err) === 404) throw new ObjectNotFoundError(key);
        throw err;
      }
    });
    return out.Body as Readable;
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    await this.ready();
    return this.call(async () => {
      try {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key), Range: `bytes=${start}-${end - 1}` }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (err) {
        if (statusOf(err) === 404) throw new ObjectNotFoundError(key);
        if (statusOf(err) === 416) return Buffer.alloc(0); // the range starts past the end
        throw err;
      }
    });
  }

  async head(key: string): Promise<(ObjectInfo & { contentEncoding?: string }) | null> {
    await this.ready();
    return this.call(async () => {
      try {
        const out = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
        return { key, size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0), contentEncoding: out.Metadata?.[ENCODING_META] };
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
    });
  }

  async delete(key: string): Promise<void> {
    await this.ready();
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) })));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      await this.call(async () => {
        const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
        if (out.Errors?.length) throw new StorageUnavailableError(`could not delete ${out.Errors.length} objects under ${prefix}: ${out.Errors[0].Message}`);
      });
      count += keys.length;
    };
    for await (const object of this.list(prefix)) {
      batch.push(this.keyOf(object.key));
      if (batch.length === 1000) await flush();
    }
    await flush();
    return count;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    await this.ready();
    const storedPrefix = this.options.prefix ? `${this.options.prefix}/${prefix}` : prefix;
    let token: string | undefined;
    do {
      const out = await this.call(() => this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: storedPrefix, ContinuationToken: token })));
      for (const o of out.Contents ?? []) {
        if (o.Key) yield { key: this.keyFrom(o.Key), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  localPath(): null {
    return null;
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    await this.ready();
    const cutoff = Date.now() - olderThanMs;
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const out = await this.call(() =>
        this.client.send(new ListMultipartUploadsCommand({ Bucket: this.options.bucket, Prefix: this.options.prefix || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker })),
      );
      for (const u of out.Uploads ?? []) {
        if (!u.Key || !u.UploadId || (u.Initiated?.getTime() ?? 0) > cutoff) continue;
        await this.call(() => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: u.Key, UploadId: u.UploadId })));
        aborted++;
      }
      keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      uploadIdMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return aborted;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Runs an S3 call; a connection failure or a server-side error becomes StorageUnavailableError, which callers retry. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ObjectNotFoundError || err instanceof StorageUnavailableError) throw err;
      const status = statusOf(err);
      if (status === undefined || status >= 500 || status === 429 || status === 408) {
        throw new StorageUnavailableError(`object store ${this.location} is unavailable: ${describe(err)}`, { cause: err });
      }
      throw err;
    }
  }
}

function statusOf(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata;
  if (meta?.httpStatusCode) return meta.httpStatusCode;
  const name = (err as { name?: string })?.name;
  if (name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchBucket') return 404;
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message || err.name;
  }
  return String(err);
}
