import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { sleep, waitUntil } from './support/jobs';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

const FAILURE_LIMIT = 3;

describe('tokens: expiry, last use, and failed-authentication limits', () => {
  let stack: TestStack;
  let admin: ApiClient;

  before(async () => {
    // Lookups cached for 5 s, as by default: an expired token must be refused even while its principal is cached.
    stack = await startTestStack({ worker: false, config: { authFailureLimit: FAILURE_LIMIT, authFailureWindowSeconds: 60, lookupCacheMs: 5000 } });
    admin = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('issues tokens that expire, at a time or after some days, and refuses them with 401 from then on', async () => {
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const soon = await admin.post('/v1/tokens', { name: 'short-lived', role: 'viewer', expiresAt });
    assert.equal(soon.status, 201, JSON.stringify(soon.body));
    assert.equal(soon.body.expiresAt, expiresAt);
    const holder = admin.as(soon.body.token);
    assert.equal((await holder.get('/v1/datasets')).status, 200, 'valid before its expiry (and now cached)');
    await sleep(Date.parse(expiresAt) - Date.now() + 200);
    const expired = await holder.get('/v1/datasets');
    assert.equal(expired.status, 401, JSON.stringify(expired.body));
    assert.equal(expired.body.error.code, 'UNAUTHENTICATED');
    assert.match(expired.body.error.message, /expired/);

    const days = await admin.post('/v1/tokens', { name: 'quarterly', role: 'trainer', expiresInDays: 90 });
    assert.equal(days.status, 201, JSON.stringify(days.body));
    const inDays = (Date.parse(days.body.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(inDays > 89.9 && inDays <= 90, `${inDays} days`);
    assert.equal((await admin.as(days.body.token).get('/v1/datasets')).status, 200);
    const forever = await admin.post('/v1/tokens', { name: 'forever', role: 'viewer' });
    assert.equal(forever.body.expiresAt, null);

    const fields = async (body: unknown) => ((await admin.post('/v1/tokens', body)).body.error?.details?.fields ?? []).map((f: any) => f.field);
    assert.deepEqual(await fields({ name: 'past', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }), ['expiresAt']);
    assert.deepEqual(await fields({ name: 'garbled', role: 'viewer', expiresAt: 'next tuesday' }), ['expiresAt']);
    assert.deepEqual(await fields({ name: 'both', role: 'viewer', expiresAt: '2099-01-01T00:00:00Z', expiresInDays: 3 }), ['expiresInDays']);
    assert.deepEqual(await fields({ name: 'zero', role: 'viewer', expiresInDays: 0 }), ['expiresInDays']);

    const listed = (await admin.get('/v1/tokens')).body.items.find((t: any) => t.id === soon.body.id);
    assert.equal(listed.expiresAt, expiresAt, 'an expired token is still listed, so it can be seen and revoked');
  });

  it('keeps lastUsedAt current with one write a minute, not one per request', async () => {
    const created = await admin.post('/v1/tokens', { name: 'busy', role: 'viewer' });
    const id = created.body.id;
    const busy = admin.as(created.body.token);
    assert.equal((await admin.get('/v1/tokens')).body.items.find((t: any) => t.id === id).lastUsedAt, null, 'never used yet');
    const before = Date.now();
    assert.equal((await busy.get('/v1/me')).status, 200);
    const first = await waitUntil('lastUsedAt to be written', async () => (await admin.get('/v1/tokens')).body.items.find((t: any) => t.id === id).lastUsedAt, 5000, 50);
    assert.ok(Date.parse(first) >= before - 1000 && Date.parse(first) <= Date.now(), first);
    for (let i = 0; i < 30; i++) assert.equal((await busy.get('/v1/me')).status, 200);
    await sleep(300);
    const [row] = await sql<{ last_used_at: Date }>(stack.db.url, 'select last_used_at from api_tokens where id = $1', [id]);
    assert.equal(row.last_used_at.toISOString(), first, 'thirty more requests within the minute wrote nothing');
  });

  it('never locks out a valid token: failures are counted per address, and only bad tokens get 429', async () => {
    const stranger = admin.as('ty_not-a-token');
    // The expired token above failed from this address too: the limit is reached within FAILURE_LIMIT more tries.
    let limited: { status: number; body: any; headers: Headers } | undefined;
    for (let i = 0; i <= FAILURE_LIMIT && !limited; i++) {
      const res = await stranger.get('/v1/datasets');
      if (res.status === 429) limited = res;
      else assert.equal(res.status, 401);
    }
    assert.ok(limited, 'bad tokens are limited');
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await admin.as(null).get('/v1/datasets')).status, 429, 'no token at all is a failure too');

    // The same address, with a valid token: served, and the bad ones stay limited.
    assert.equal((await admin.get('/v1/datasets')).status, 200);
    const viewer = admin.as((await admin.post('/v1/tokens', { name: 'late-viewer', role: 'viewer' })).body.token);
    assert.equal((await viewer.get('/v1/datasets')).status, 200, 'a valid token the API has not seen before gets through too');
    assert.equal((await stranger.get('/v1/datasets')).status, 429);
  });
});
