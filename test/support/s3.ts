/** The S3-compatible server (SeaweedFS) that `npm test` starts, as the test runner's environment describes it. */
export interface TestS3 {
  /** `s3://<bucket>`; tests append a prefix of their own. */
  url: string;
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function testS3(env: NodeJS.ProcessEnv = process.env): TestS3 {
  const url = env.TRAINYARD_TEST_S3_URL;
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  if (!url || !endpoint || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    throw new Error('no S3 server: run the tests with `npm test`, which starts SeaweedFS and sets TRAINYARD_TEST_S3_URL and the AWS variables');
  }
  return {
    url,
    endpoint,
    region: env.AWS_REGION || 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  };
}
