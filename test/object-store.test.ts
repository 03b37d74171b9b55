import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { testS3, testS3Url, type TestS3Settings } from './support/s3';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** One S3 request signed with AWS Signature Version 4 (path-style), enough to check the store npm test starts. */
async function s3Request(s3: TestS3Settings, method: string, key: string, body?: Buffer, secret = s3.secretAccessKey): Promise<Response> {
  const bucket = new URL(s3.url).host;
  const endpoint = new URL(s3.endpoint);
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = now.slice(0, 8);
  const payloadHash = sha256(body ?? '');
  const headers: Record<string, string> = { host: endpoint.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': now };
  const signed = Object.keys(headers).sort();
  const canonical = [method, path, '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), payloadHash].join('\n');
  const scope = `${day}/${s3.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  const signingKey = ['s3', 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(hmac(`AWS4${secret}`, day), s3.region));
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${s3.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return fetch(new URL(path, endpoint), { method, headers, body: body ? new Uint8Array(body) : undefined });
}

describe('object store of npm test (SeaweedFS)', () => {
  it('takes, returns and deletes an object in the test bucket with the identity it was given', async () => {
    const s3 = testS3();
    assert.match(s3.url, /^s3:\/\/[a-z0-9.-]+$/);
    const key = `${new URL(testS3Url('object-store')).pathname.slice(1)}/blob.bin`;
    const bytes = randomBytes(64 * 1024);

    const put = await s3Request(s3, 'PUT', key, bytes);
    assert.equal(put.status, 200, await put.text());
    const got = await s3Request(s3, 'GET', key);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);

    const del = await s3Request(s3, 'DELETE', key);
    assert.equal(del.status, 204);
    const gone = await s3Request(s3, 'GET', key);
    assert.equal(gone.status, 404);
  });

  it('refuses a request signed with the wrong secret', async () => {
    const s3 = testS3();
    const res = await s3Request(s3, 'PUT', `refused-${randomBytes(4).toString('hex')}`, Buffer.from('x'), 'not-the-secret');
    assert.equal(res.status, 403);
  });

  it('says what is missing when the tests run without npm test', () => {
    assert.throws(() => testS3({}), /TRAINYARD_TEST_S3_URL, AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set: run the tests with npm test/);
  });
});
