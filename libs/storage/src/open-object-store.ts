import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileObjectStore } from './file-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore, type S3StoreOptions } from './s3-object-store';
import { StorageConfigError } from './storage-errors';

const TRUE = ['1', 'true', 'yes'];

/**
 * Reads `file:///path` or `s3://bucket/prefix`; for S3, the standard AWS variables give the endpoint
 * (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL), region (AWS_REGION, else AWS_DEFAULT_REGION), and credentials
 * (the SDK's default chain); AWS_S3_FORCE_PATH_STYLE chooses path-style addressing, on by default with a custom
 * endpoint, as MinIO and SeaweedFS need.
 */
export function storageOptionsFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): { kind: 'file'; root: string } | ({ kind: 's3' } & S3StoreOptions) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageConfigError(`TRAINYARD_STORAGE_URL must be file:///path or s3://bucket/prefix, got "${url}"`);
  }
  if (parsed.protocol === 'file:') {
    const root = fileURLToPath(parsed);
    if (!isAbsolute(root)) throw new StorageConfigError(`TRAINYARD_STORAGE_URL needs an absolute path, got "${url}"`);
    return { kind: 'file', root };
  }
  if (parsed.protocol === 's3:') {
    const bucket = parsed.hostname;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new StorageConfigError(`"${bucket}" is not an S3 bucket name (TRAINYARD_STORAGE_URL=${url})`);
    if (parsed.username || parsed.password) throw new StorageConfigError('TRAINYARD_STORAGE_URL must not carry credentials; use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
    const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
    const pathStyle = env.AWS_S3_FORCE_PATH_STYLE;
    return {
      kind: 's3',
      bucket,
      prefix,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      endpoint,
      forcePathStyle: pathStyle === undefined || pathStyle === '' ? endpoint !== undefined : TRUE.includes(pathStyle.toLowerCase()),
      createBucket: env.TRAINYARD_S3_CREATE_BUCKET === undefined ? endpoint !== undefined : TRUE.includes(env.TRAINYARD_S3_CREATE_BUCKET.toLowerCase()),
    };
  }
  throw new StorageConfigError(`TRAINYARD_STORAGE_URL must be file:///path or s3://bucket/prefix, got "${url}"`);
}

export function openObjectStore(url: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const options = storageOptionsFromUrl(url, env);
  return options.kind === 'file' ? new FileObjectStore(options.root) : new S3ObjectStore(options);
}
