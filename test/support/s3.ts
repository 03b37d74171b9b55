import { randomBytes } from 'node:crypto';

/** Where the S3-compatible store of `npm test` (SeaweedFS) is, and how to sign in to it. */
export interface TestS3Settings {
  /** `s3://trainyard-test`: the bucket, without a prefix. */
  url: string;
  /** `http://127.0.0.1:<port>`, as AWS_ENDPOINT_URL_S3. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The credentials as the AWS SDK takes them. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The same settings as environment variables, for a child process or a storage client that reads them. */
  env: Record<string, string>;
}

const REQUIRED = ['TRAINYARD_TEST_S3_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** The object store that `npm test` started; throws, naming what is missing, when the tests run without it. */
export function testS3(env: NodeJS.ProcessEnv = process.env): TestS3Settings {
  const missing = REQUIRED.filter((key) => !env[key]);
  if (missing.length) {
    throw new Error(`${missing.join(', ')} not set: run the tests with npm test, which starts SeaweedFS and sets them (or set them to another S3-compatible store)`);
  }
  const settings = {
    url: env.TRAINYARD_TEST_S3_URL!.replace(/\/+$/, ''),
    endpoint: env.AWS_ENDPOINT_URL_S3!,
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    region: env.AWS_REGION || 'us-east-1',
  };
  return {
    ...settings,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    env: {
      TRAINYARD_TEST_S3_URL: settings.url,
      AWS_ENDPOINT_URL_S3: settings.endpoint,
      AWS_ACCESS_KEY_ID: settings.accessKeyId,
      AWS_SECRET_ACCESS_KEY: settings.secretAccessKey,
      AWS_REGION: settings.region,
    },
  };
}

/** A storage URL of its own for one suite or process, e.g. `s3://trainyard-test/<name>-3f9c0a1b`. */
export function testS3Url(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${testS3(env).url}/${name}-${randomBytes(4).toString('hex')}`;
}
