import { randomBytes } from 'node:crypto';
import { openObjectStore } from '@trainyard/storage';

const REQUIRED = ['TRAINYARD_TEST_S3_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export interface BenchS3 {
  /** `s3://bucket/<prefix>-<random>`: a prefix of this run's own, removed by `clean()`. */
  url: string;
  /** The key prefix inside the bucket that `url` names. */
  keyPrefix: string;
  endpoint: string;
  /** The variables a stack's processes need to reach it. */
  env: Record<string, string>;
  /** Bytes and objects stored under the prefix now. */
  usage(): Promise<{ bytes: number; objects: number }>;
  /** Deletes everything under the prefix. */
  clean(): Promise<void>;
}

/**
 * The S3-compatible store the bench runs against, from the same variables `npm test` exports (npm run bench starts
 * SeaweedFS and sets them); fails naming what is missing.
 */
export function benchS3(name: string, env: NodeJS.ProcessEnv = process.env): BenchS3 {
  const missing = REQUIRED.filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(
      `${missing.join(', ')} not set: this bench needs an S3-compatible store. npm run bench starts SeaweedFS and sets them; ` +
        'to use another store, set TRAINYARD_TEST_S3_URL=s3://<bucket>, AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_REGION defaults to us-east-1)',
    );
  }
  // The SDK warns, once per process, that its 2027 releases will need Node 22: true, and said in the report, not per run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const base = new URL(env.TRAINYARD_TEST_S3_URL!);
  const keyPrefix = [base.pathname.replace(/^\/+|\/+$/g, ''), `${name}-${randomBytes(4).toString('hex')}`].filter(Boolean).join('/');
  const url = `s3://${base.hostname}/${keyPrefix}`;
  const s3Env: Record<string, string> = {
    AWS_ENDPOINT_URL_S3: env.AWS_ENDPOINT_URL_S3!,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
    AWS_REGION: env.AWS_REGION || 'us-east-1',
  };
  const store = () => openObjectStore(url, { ...env, ...s3Env });
  return {
    url,
    keyPrefix,
    endpoint: s3Env.AWS_ENDPOINT_URL_S3!,
    env: s3Env,
    async usage() {
      const s = store();
      let bytes = 0;
      let objects = 0;
      try {
        for await (const o of s.list('')) {
          bytes += o.size;
          objects++;
        }
      } finally {
        await s.close();
      }
      return { bytes, objects };
    },
    async clean() {
      const s = store();
      try {
        await s.deletePrefix('');
        await s.sweepIncomplete(0);
      } finally {
        await s.close();
      }
    },
  };
}
