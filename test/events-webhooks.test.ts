import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { sql } from './support/sql';
import { binaryCsv } from './support/datasets';
import { startTestStack, type TestStack } from './support/test-stack';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

const SECRET = 'whsec-test-0123456789abcdef';

describe('events and signed webhooks', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  const failFirst = new Set<string>();

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const delivery = String(req.headers['trainyard-delivery']);
        // The first attempt of each delivery fails, so every event exercises the retry path.
        const status = failFirst.has(delivery) ? 200 : 503;
        failFirst.add(delivery);
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/trainyard`;
    stack = await startTestStack();
    admin = new ApiClient(stack.url, stack.adminToken);
  });
  after(async () => {
    await stack?.stop();
    server?.close();
  });

  it('registers webhooks without ever returning the secret, and validates them', async () => {
    const created = await admin.post('/v1/webhooks', { url, events: ['training.completed', 'training.failed'], secret: SECRET });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(!('secret' in created.body));
    const list = await admin.get('/v1/webhooks');
    assert.equal(list.body.total, 1);
    assert.ok(!JSON.stringify(list.body).includes(SECRET));
    const bad = await admin.post('/v1/webhooks', { url: 'ftp://x', events: ['nope'], secret: 'short' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.fields.map((f: any) => f.field).sort(), ['events[0]', 'secret', 'url']);
  });

  it('delivers training events signed with HMAC-SHA256, retrying failed deliveries, and lists them for polling', async () => {
    const ds = await admin.uploadDataset('hooks', binaryCsv(120, 41));
    const ok = await admin.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 5 } } });
    // Early stopping without validation rows: accepted at submit, refused by the pipeline.
    const bad = await admin.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', validation: { validationSize: 0 }, model: { type: 'xgboost', params: { earlyStoppingRounds: 3 } } });
    const [okJob, badJob] = await Promise.all([admin.waitForJob(ok.body.id), admin.waitForJob(bad.body.id)]);
    assert.equal(okJob.status, 'completed');
    assert.equal(badJob.status, 'failed');

    const deadline = Date.now() + 60_000;
    while (received.filter((r) => r.answered === 200).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const delivered = received.filter((r) => r.answered === 200);
    assert.equal(delivered.length, 2, `deliveries: ${received.map((r) => r.answered)}`);
    for (const r of delivered) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
      assert.equal(r.headers['trainyard-signature'], expected);
      const retries = received.filter((x) => x.headers['trainyard-delivery'] === r.headers['trainyard-delivery']);
      assert.equal(retries.length, 2, 'one failed attempt, then the retry');
      assert.equal(retries[0].body, r.body, 'a retry sends the same bytes, with the same eventId');
    }
    const bodies = delivered.map((r) => JSON.parse(r.body));
    const completed = bodies.find((b) => b.type === 'training.completed');
    const failed = bodies.find((b) => b.type === 'training.failed');
    assert.equal(completed.data.jobId, okJob.id);
    assert.deepEqual([completed.data.modelName, completed.data.modelVersion], [okJob.modelVersion.name, okJob.modelVersion.version]);
    for (const key of ['modelType', 'durationSeconds', 'metrics', 'deploymentReady', 'performanceImprovement']) assert.ok(key in completed.data, key);
    assert.equal(completed.data.deploymentReady, true);
    assert.equal(failed.data.jobId, badJob.id);

    const events = (await admin.get('/v1/events')).body.items;
    assert.deepEqual(events.map((e: any) => e.eventId).sort(), bodies.map((b) => b.eventId).sort());
    const later = (await admin.get(`/v1/events?after=${events[0].eventId}`)).body.items;
    assert.deepEqual(later.map((e: any) => e.eventId), events.slice(1).map((e: any) => e.eventId));
    assert.equal((await admin.get('/v1/events?after=not-an-id')).status, 400);
  });

  it('records and delivers model.promoted for manual alias moves, with the actor, the previous version and the reason', async () => {
    const hook = await admin.post('/v1/webhooks', { url, events: ['model.promoted'], secret: SECRET });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const ds = await admin.uploadDataset('promote-hooks', binaryCsv(120, 43));
    for (let i = 0; i < 2; i++) {
      const job = await admin.post('/v1/training-jobs', { name: 'promoted', datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } });
      assert.equal((await admin.waitForJob(job.body.id)).status, 'completed');
    }
    const promotions = () => received.filter((r) => r.headers['trainyard-event'] === 'model.promoted');
    const first = await admin.request('PUT', '/v1/models/promoted/aliases/production', { version: 1 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const second = await admin.request('PUT', '/v1/models/promoted/aliases/production', { version: 2, reason: 'beats v1 on rocAuc' });
    assert.equal(second.body.previousVersion, 1);
    // Pointing the alias where it already points is no promotion.
    assert.equal((await admin.request('PUT', '/v1/models/promoted/aliases/production', { version: 2 })).status, 200);

    const deadline = Date.now() + 60_000;
    while (promotions().filter((r) => r.answered === 200).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const delivered = promotions().filter((r) => r.answered === 200).map((r) => JSON.parse(r.body));
    assert.equal(delivered.length, 2, `deliveries: ${promotions().map((r) => r.answered)}`);
    const byVersion = Object.fromEntries(delivered.map((b) => [b.data.modelVersion, b.data]));
    assert.deepEqual(
      [1, 2].map((v) => [byVersion[v].modelName, byVersion[v].alias, byVersion[v].previousVersion, byVersion[v].actor, byVersion[v].reason]),
      [
        ['promoted', 'production', null, 'bootstrap-admin', null],
        ['promoted', 'production', 1, 'bootstrap-admin', 'beats v1 on rocAuc'],
      ],
    );
    for (const r of promotions().filter((x) => x.answered === 200)) {
      assert.equal(r.headers['trainyard-signature'], `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    }
    const polled = (await admin.get('/v1/events?type=model.promoted')).body.items;
    assert.deepEqual(polled.map((e: any) => e.eventId).sort(), delivered.map((b) => b.eventId).sort(), 'recorded once per move, and only for moves');

    // A study that registers its best trial under an alias announces that move too.
    const study = await admin.post('/v1/studies', {
      name: 'promoting-study',
      job: { name: 'promoted', datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 3 } },
      objective: { metric: 'accuracy' },
      trials: 2,
      parallelism: 1,
      sampler: 'random',
      register: { topK: 1, alias: 'staging' },
    });
    assert.equal(study.status, 201, JSON.stringify(study.body));
    const byStudy = async () => promotions().filter((r) => r.answered === 200).map((r) => JSON.parse(r.body)).find((b) => b.data.actor === 'study:promoting-study');
    let announced;
    while (!(announced = await byStudy()) && Date.now() < deadline + 60_000) await new Promise((r) => setTimeout(r, 250));
    assert.ok(announced, 'the study announced its alias move');
    assert.equal(announced.data.alias, 'staging');
    assert.equal(announced.data.previousVersion, null);
    assert.deepEqual((await admin.get('/v1/models/promoted')).body.aliases, { production: 2, staging: announced.data.modelVersion });
    assert.equal((await admin.delete(`/v1/webhooks/${hook.body.id}`)).status, 204);
  });

  it('stops delivering to a deleted webhook', async () => {
    const id = (await admin.get('/v1/webhooks')).body.items.find((h: any) => h.url === url).id;
    assert.equal((await admin.delete(`/v1/webhooks/${id}`)).status, 204);
    assert.equal((await admin.delete(`/v1/webhooks/${id}`)).status, 404);
    const before = received.length;
    const ds = await admin.uploadDataset('hooks2', binaryCsv(120, 42));
    const job = await admin.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } });
    await admin.waitForJob(job.body.id);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(received.length, before);
  });
});

describe('webhook targets: refused at creation by URL and address, and again at delivery', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let server: Server;
  let port: number;
  let hits = 0;

  before(async () => {
    server = createServer((req, res) => {
      hits++;
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    stack = await startTestStack({ worker: false, config: { webhookAllowPrivate: false } });
    admin = new ApiClient(stack.url, stack.adminToken);
  });
  after(async () => {
    await stack?.stop();
    server?.close();
  });

  const create = (url: string) => admin.post('/v1/webhooks', { url, events: ['training.completed'], secret: SECRET });

  it('refuses link-local, metadata, loopback and private targets, and URLs with credentials', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      'http://10.0.0.7/hook',
      'http://[::ffff:192.168.0.1]/hook',
      'https://user:password@hooks.example.com/hook',
    ]) {
      const res = await create(url);
      assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.error.details.fields.map((f: any) => f.field), ['url'], url);
    }
    assert.equal((await admin.get('/v1/webhooks')).body.total, 0);
    assert.equal((await create('https://hooks.example.com/trainyard')).status, 201, 'a public name is accepted');
  });

  it('checks the resolved address again at delivery: a name that now points at loopback gets nothing', async () => {
    // Created where private targets are allowed; delivered by a worker where they are not, as if the name had been
    // re-pointed at loopback after creation (DNS rebinding).
    const permissive = await startTestStack({ worker: false, config: { webhookAllowPrivate: true } });
    try {
      const owner = new ApiClient(permissive.url, permissive.adminToken);
      const hook = await owner.post('/v1/webhooks', { url: `http://localhost:${port}/hook`, events: ['training.completed'], secret: SECRET });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      await permissive.startWorker({ webhookAllowPrivate: false });
      const ds = await owner.uploadDataset('rebinding', binaryCsv(120, 44));
      const job = await owner.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } });
      assert.equal((await owner.waitForJob(job.body.id)).status, 'completed');
      const deadline = Date.now() + 30_000;
      let rows: { status: string; last_error: string | null; attempts: number }[] = [];
      while (Date.now() < deadline) {
        rows = await sql(permissive.db.url, `select status, last_error, attempts from webhook_deliveries where webhook_id = $1`, [hook.body.id]);
        if (rows[0]?.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(rows[0]?.status, 'failed', JSON.stringify(rows));
      assert.match(rows[0].last_error ?? '', /refused|loopback/);
      assert.equal(rows[0].attempts, 1, 'a refused target is given up at once, not retried');
      assert.equal(hits, 0, 'nothing reached the receiver');
    } finally {
      await permissive.stop();
    }
  });
});
