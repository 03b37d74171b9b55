import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { waitForTraining, waitUntil } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

const BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'trainyard.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('trainyard CLI against a real stack', () => {
  let stack: TestStack;
  let api: ApiClient;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let csvPath: string;
  let datasetId: string;

  /** Runs the built CLI as a subprocess with piped output (no terminal), as a script would. */
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, input?: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.stdin.end(input ?? '');
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const json = (run: Run) => {
    assert.equal(run.code, 0, run.stderr + run.stdout);
    return JSON.parse(run.stdout);
  };

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    dir = await mkdtemp(join(tmpdir(), 'trainyard-cli-'));
    // No TRAINYARD_URL/TOKEN inherited: each test says how it connects.
    env = { PATH: process.env.PATH, HOME: dir, TRAINYARD_CONFIG_DIR: join(dir, 'config') };
    csvPath = join(dir, 'churn.csv');
    await writeFile(csvPath, binaryCsv(3000, 41));
  });
  after(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs in: checks the token, writes a 0600 profile, and later commands use it', async () => {
    const denied = await cli(['login', '--url', stack.url], { TRAINYARD_TOKEN: 'ty_not_a_token' });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /UNAUTHENTICATED/);

    const run = await cli(['login', '--url', stack.url, '--token-stdin'], {}, `${stack.adminToken}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /signed in to .* as bootstrap-admin \(admin, tenant default\)/);
    const file = join(dir, 'config', 'profile.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { url: stack.url, token: stack.adminToken });

    const listed = json(await cli(['datasets', 'list', '--json']));
    assert.ok(Array.isArray(listed));
  });

  it('uploads a dataset, with no bar or colour when piped', async () => {
    const run = await cli(['datasets', 'upload', csvPath, '--name', 'cli-churn', '--description', 'from the CLI']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^cli-churn v1: 3000 rows × \d+ columns .* id [0-9a-f-]{36}\n$/);
    assert.doesNotMatch(run.stdout + run.stderr, /\x1b|\r|uploading/);
    datasetId = /id ([0-9a-f-]{36})/.exec(run.stdout)![1];
    const again = json(await cli(['datasets', 'upload', csvPath, '--name', 'cli-churn', '--json']));
    assert.equal(again.id, datasetId, 'the same content is the same version');
    assert.equal((await api.get(`/v1/datasets/${datasetId}`)).body.description, 'from the CLI');
  });

  it('submits a job and follows it to completion (exit 0), then lists, gets and reads its logs', async () => {
    const run = await cli(['jobs', 'submit', '--dataset', datasetId, '--target', 'label', '--exclude', 'id', '--param', 'numRounds=30', '--param', 'maxDepth=3', '--name', 'cli-model', '--tag', 'team=cli', '--follow', '--json']);
    const job = json(run);
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.model.params, { numRounds: 30, maxDepth: 3 });
    assert.deepEqual(job.tags, { team: 'cli' });
    assert.deepEqual(job.modelVersion, { name: 'cli-model', version: 1 });
    assert.doesNotMatch(run.stderr, /\x1b|\r/, 'no bars or colour when piped');

    const people = await cli(['jobs', 'submit', '--dataset', datasetId, '--target', 'label', '--exclude', 'id', '--param', 'numRounds=20', '--name', 'cli-model', '--follow']);
    assert.equal(people.code, 0, people.stderr);
    assert.match(people.stderr, /stage train\n/);
    assert.match(people.stdout, /job [0-9a-f-]{36} completed → cli-model v2\n/);
    assert.match(people.stdout, /rocAuc 0\.\d+/);

    const listed = json(await cli(['jobs', 'list', '--name', 'cli-model', '--json']));
    assert.equal(listed.length, 2);
    const table = await cli(['jobs', 'list', '--name', 'cli-model']);
    assert.match(table.stdout.split('\n')[0], /^ID\s+NAME\s+STATUS\s+STAGE\s+PROGRESS/);
    assert.match(table.stdout, /cli-model\s+completed\s+register\s+100%\s+xgboost/);
    const got = await cli(['jobs', 'get', job.id]);
    assert.match(got.stdout, /^status\s+completed$/m);
    const logs = await cli(['jobs', 'logs', job.id, '--tail', '50']);
    assert.match(logs.stdout, /job completed: cli-model v1/);
  });

  it('exits non-zero when a followed job does not complete, and when the API refuses', async () => {
    const follow = cli(['jobs', 'submit', '--dataset', datasetId, '--target', 'label', '--exclude', 'id', '--param', 'numRounds=5000', '--param', 'maxDepth=8', '--follow', '--json']);
    const queued = await waitUntil('the followed job', async () => {
      const items = (await api.get('/v1/training-jobs?sort=-createdAt&pageSize=5')).body.items as any[];
      return items.find((j) => j.model.params?.numRounds === 5000)?.id;
    });
    await waitForTraining(api, queued);
    const cancel = await cli(['jobs', 'cancel', queued, '--json']);
    assert.equal(cancel.code, 0, cancel.stderr);
    const run = await follow;
    assert.equal(run.code, 1, run.stderr);
    assert.equal(JSON.parse(run.stdout).status, 'cancelled');

    const missing = await cli(['jobs', 'get', '00000000-0000-4000-8000-000000000000']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: JOB_NOT_FOUND: job .* was not found$/m);
    const invalid = await cli(['jobs', 'submit', '--dataset', datasetId, '--target', 'label', '--model', 'abacus', '--json']);
    assert.equal(invalid.code, 1);
    assert.equal(JSON.parse(invalid.stderr).error.code, 'VALIDATION_FAILED');
    const usage = await cli(['jobs', 'submit', '--bogus']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Unknown option '--bogus'/);
    const down = await cli(['jobs', 'list', '--url', 'http://127.0.0.1:9'], { TRAINYARD_TOKEN: stack.adminToken });
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('lists models, promotes a version and predicts from CSV and JSON', async () => {
    const models = json(await cli(['models', 'list', '--json']));
    assert.equal(models.find((m: any) => m.name === 'cli-model').latestVersion, 2);
    const promoted = await cli(['models', 'promote', 'cli-model', '1']);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.equal(promoted.stdout, 'cli-model: production → v1\n');
    const got = await cli(['models', 'get', 'cli-model']);
    assert.match(got.stdout, /^1\s+xgboost\s+production/m);

    const rows = binaryCsv(5, 99).trim().split('\n');
    const input = join(dir, 'score.csv');
    await writeFile(input, rows.join('\n') + '\n');
    const csv = await cli(['models', 'predict', 'cli-model', '--input', input]);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines.length, rows.length, 'a header and one line per record');
    assert.match(lines[0], /,label,probability_0,probability_1$/);
    const answer = json(await cli(['models', 'predict', 'cli-model', '--input', '-', '--format', 'csv', '--output-format', 'json'], {}, rows.join('\n')));
    assert.deepEqual(answer.model, { name: 'cli-model', version: 1 });
    assert.equal(answer.predictions.length, rows.length - 1);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',').at(-3)), answer.predictions.map((p: any) => String(p.label)));
  });

  it('creates a study and follows it; manages a schedule', async () => {
    const spec = join(dir, 'study.json');
    await writeFile(
      spec,
      JSON.stringify({
        name: 'cli-study',
        job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 10 } } },
        searchSpace: { maxDepth: { type: 'int', low: 2, high: 4 } },
        objective: { metric: 'rocAuc', direction: 'maximize' },
        trials: 2,
        parallelism: 1,
        sampler: 'random',
      }),
    );
    const run = await cli(['studies', 'create', '--file', spec, '--follow']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /trial 0 completed value 0\.\d+/);
    assert.match(run.stdout, /^status\s+completed$/m);

    const created = await api.post('/v1/schedules', { name: 'cli-nightly', cron: '0 3 * * *', timezone: 'UTC', job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    assert.match((await cli(['schedules', 'list'])).stdout, /cli-nightly\s+0 3 \* \* \* UTC\s+active/);
    assert.equal((await cli(['schedules', 'pause', id])).stdout, `schedule ${id}: paused\n`);
    assert.equal(json(await cli(['schedules', 'get', id, '--json'])).paused, true);
    assert.equal((await cli(['schedules', 'resume', id])).code, 0);
    assert.equal((await cli(['schedules', 'trigger', id])).code, 0);
    const described = await cli(['schedules', 'get', id]);
    assert.match(described.stdout, /^state\s+active$/m);
  });

  it('draws a progress bar on a terminal, and none with NO_COLOR', { skip: spawnSync('script', ['--version']).status !== 0 && 'no script(1) for a pseudo-terminal' }, async () => {
    const command = `${process.execPath} ${BIN} jobs submit --dataset ${datasetId} --target label --exclude id --param numRounds=200 --follow`;
    // script(1) gives the CLI a pseudo-terminal; it runs asynchronously, since the API under test is in this process.
    const onTerminal = (extra: NodeJS.ProcessEnv, line = command) => new Promise<Run>((resolve) => {
      const child = spawn('script', ['-qec', line, '/dev/null'], { env: { ...env, TERM: 'xterm', ...extra }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stdin.end();
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    const tty = await onTerminal({});
    assert.equal(tty.code, 0, tty.stdout);
    assert.match(tty.stdout, /\[#+\.*\]\s+\d+% train {2}round \d+ {2}train\.logLoss/);
    assert.match(tty.stdout, /\x1b\[32mcompleted\x1b\[0m/);
    const upload = await onTerminal({}, `${process.execPath} ${BIN} datasets upload ${csvPath} --name cli-tty`);
    assert.equal(upload.code, 0, upload.stdout);
    assert.match(upload.stdout, /uploading \[#+\] 100% [\d.]+ KiB \/ [\d.]+ KiB/, 'a byte-counted bar that ends full');
    const plain = await onTerminal({ NO_COLOR: '1' });
    assert.equal(plain.code, 0, plain.stdout);
    assert.doesNotMatch(plain.stdout, /\x1b|\[#/);
  });
});
