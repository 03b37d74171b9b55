import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumPath, launchBrowser, type Browser } from './support/browser';
import { binaryCsv, multiclassCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { startTestStack, type TestStack } from './support/test-stack';

const root = join(__dirname, '..', '..');
const SCREENSHOTS = join(root, 'test-results', 'screenshots');
const executable = chromiumPath();
const skip = !executable ? 'no chromium (npm test installs it as root: apt-get install chromium)' : !existsSync(join(root, 'dist', 'web', 'index.html')) ? 'the dashboard is not built (node scripts/build-web.mjs)' : false;
const ROUNDS = 40;

describe('web dashboard in a real browser', { skip }, () => {
  let stack: TestStack;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const go = async (p: Page, hash: string) => {
    await p.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  };
  const signIn = async (p: Page, token: string) => {
    await p.goto(stack.url + '/');
    await p.getByLabel('API token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('navigation', { name: 'Sections' }).waitFor();
  };
  /** Polls from the test side (a page-side wait would evaluate code, which the page's CSP rightly refuses). */
  const countReaches = async (p: Page, selector: string, n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let count = -1;
    while (Date.now() < deadline) {
      count = await p.locator(selector).count();
      if (count === n) return;
      await p.waitForTimeout(200);
    }
    throw new Error(`${selector}: ${count} elements after ${timeoutMs} ms, expected ${n}`);
  };
  /** Point marks a chart drew (vega's SVG renderer: one path per point in a symbol mark group). */
  const points = (p: Page, chart: string) => p.locator(`[data-chart="${chart}"] g.mark-symbol.role-mark path`).count();

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser(executable as string);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('serves the app at / under a strict Content-Security-Policy', async () => {
    const res = await fetch(stack.url + '/');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    const html = await res.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, html);
    const js = await fetch(stack.url + asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await fetch(stack.url + '/assets/..%2F..%2Fpackage.json')).status, 404);
  });

  it('signs in with a token kept in session storage, never in the URL', async () => {
    await signIn(page, stack.adminToken);
    assert.equal(await page.evaluate(`sessionStorage.getItem('trainyard.token')`), stack.adminToken);
    assert.ok(!page.url().includes(stack.adminToken));
    assert.match((await page.locator('header .who').textContent()) ?? '', /bootstrap-admin · admin · default/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
  });

  it('uploads a dataset with a progress bar, then shows its preview and profile', async () => {
    await go(page, '#/datasets');
    // Throttled to 1 MB/s, a 3 MB upload takes long enough to watch the bar move.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    await page.getByLabel('File (CSV or Parquet)').setInputFiles({ name: 'churn.csv', mimeType: 'text/csv', buffer: Buffer.from(binaryCsv(40_000, 5)) });
    await page.getByLabel('Name', { exact: true }).fill('web-churn');
    await page.getByLabel('Description').fill('uploaded from the browser');
    await page.getByRole('button', { name: 'Upload' }).click();
    const bar = page.getByRole('progressbar', { name: 'upload progress' });
    await bar.waitFor();
    const seen = new Set<number>();
    while (await bar.isVisible().catch(() => false)) {
      seen.add(Number(await bar.getAttribute('aria-valuenow').catch(() => 0)));
      await page.waitForTimeout(100);
    }
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.ok([...seen].some((v) => v > 0 && v < 100), `the bar moved: ${[...seen].join(',')}`);
    await page.getByRole('heading', { name: 'web-churn v1' }).waitFor();
    await page.getByRole('table', { name: 'Preview' }).waitFor();
    await page.getByLabel('Relation to target').selectOption('label');
    await page.locator('[data-column="age"] [data-chart="hist-age"] g.mark-rect path').first().waitFor();
    await page.locator('[data-chart="top-plan"] g.mark-rect path').first().waitFor();
    await shot(page, 'dataset');
  });

  it('submits a job and follows it live: the bar reaches 100% and the learning curve has a point per round', async () => {
    const form = page.getByRole('form', { name: 'Train a model' });
    await form.getByLabel('Target').selectOption('label');
    await form.getByLabel('Rounds / trees / epochs').fill(String(ROUNDS));
    await form.getByLabel('Exclude columns').fill('id');
    await form.getByLabel('Model name').fill('web-model');
    await form.getByRole('button', { name: 'Train' }).click();
    await page.getByRole('heading', { name: /^web-model/ }).waitFor();
    const bar = page.getByRole('progressbar', { name: 'job progress' });
    const values: number[] = [];
    for (let i = 0; i < 600; i++) {
      values.push(Number(await bar.getAttribute('aria-valuenow')));
      if (values.at(-1) === 100) break;
      await page.waitForTimeout(100);
    }
    assert.equal(values.at(-1), 100, `progress seen: ${[...new Set(values)].join(',')}`);
    await page.locator('.badge.completed').first().waitFor();
    // One point per round for each split of the logLoss curve.
    await countReaches(page, '[data-chart="learning-logLoss"] g.mark-symbol.role-mark path', ROUNDS * 2, 30_000);
    assert.equal(await points(page, 'learning-logLoss'), ROUNDS * 2);
    await page.locator('[data-chart="confusion"] g.mark-rect path').first().waitFor();
    await page.locator('[data-chart="importance"] g.mark-rect path').first().waitFor();
    assert.ok((await page.getByRole('log', { name: 'job logs' }).textContent())?.includes('job completed: web-model v1'));
    assert.equal(await page.getByRole('button', { name: 'Cancel job' }).count(), 0, 'a completed job has no cancel button');
    // The hyperparameters as trained: the ones asked for, and the defaults the engine used, marked as such.
    const params = (await page.locator('section[aria-labelledby="params-title"]').textContent()) ?? '';
    assert.match(params, new RegExp(`numRounds${ROUNDS}(?! · default)`));
    assert.match(params, /maxDepth6 · default/);
    await shot(page, 'job');
  });

  it('labels the confusion matrix in the model’s class order, not in the order the metrics come back', async () => {
    const dataset = await api.uploadDataset('web-species', multiclassCsv(150));
    const job = await api.post('/v1/training-jobs', { datasetId: dataset.body.id, target: 'species', name: 'web-species', model: { type: 'xgboost', params: { numRounds: 10 } } });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const done = await api.waitForJob(job.body.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    const classLabels: string[] = (await api.get(`/v1/models/web-species/versions/${done.modelVersion.version}`)).body.signature.classLabels;
    // jsonb hands perClass back with shorter keys first: the order the page used to label the matrix with.
    assert.notDeepEqual(Object.keys(done.metrics.perClass), classLabels);
    await go(page, `#/jobs/${job.body.id}`);
    await page.getByRole('heading', { name: /^web-species/ }).waitFor();
    // Both axes (predicted and true) list the classes in the matrix's own order, once the version is read.
    const expected = [...classLabels, ...classLabels];
    let axisLabels: string[] = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      axisLabels = await page.locator('[data-chart="confusion"] g.role-axis-label text').allTextContents();
      if (JSON.stringify(axisLabels) === JSON.stringify(expected)) break;
    }
    assert.deepEqual(axisLabels, expected);
  });

  it('lists jobs with live progress bars, readable at a phone width', async () => {
    await go(page, '#/jobs');
    await page.getByRole('table', { name: 'Training jobs' }).getByRole('link', { name: 'web-model' }).waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'progress of web-model' }).getAttribute('aria-valuenow'), '100');
    await shot(page, 'jobs');
    // The same tab at a phone's width: session storage (and so the sign-in) belongs to the tab.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'web-model' }).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 390px`);
    await shot(page, 'jobs-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('promotes a version and shows the alias with its audit trail', async () => {
    await go(page, '#/models/web-model');
    const promote = page.getByRole('form', { name: 'Promote a version' });
    await promote.getByLabel('Alias').fill('production');
    await promote.getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('table', { name: 'Aliases' }).getByRole('rowheader', { name: 'production' }).waitFor();
    assert.match((await page.getByRole('list', { name: 'Alias audit trail' }).textContent()) ?? '', /production → v1 by bootstrap-admin/);
    const model = (await api.get('/v1/models/web-model')).body;
    assert.deepEqual(model.aliases, { production: 1 });
    const predict = page.getByRole('form', { name: 'Predict' });
    await predict.getByLabel(/^age/).fill('40');
    await predict.getByRole('button', { name: 'Predict' }).click();
    assert.match((await page.getByTestId('prediction').textContent()) ?? '', /label: \d/);
    await shot(page, 'model');
  });

  it('opens a study and draws its history live', async () => {
    const datasetId = (await api.get('/v1/datasets?name=web-churn')).body.items[0].id;
    const study = await api.post('/v1/studies', {
      name: 'web-study',
      job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 15 } } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 6 }, learningRate: { type: 'float', low: 0.05, high: 0.5, log: true } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 4,
      parallelism: 2,
      sampler: 'random',
      seed: 5,
    });
    assert.equal(study.status, 201, JSON.stringify(study.body));
    await go(page, `#/studies/${study.body.id}`);
    await page.getByRole('heading', { name: /^web-study/ }).waitFor();
    // Trials finish while the page is open: the history fills in from the stream, one point per trial.
    await countReaches(page, '[data-chart="history"] g.mark-symbol.role-mark path', 4, 120_000);
    await page.locator('.badge.completed').first().waitFor();
    await page.locator('[data-chart="intermediate"] g.mark-line path').first().waitFor();
    await page.locator('[data-chart="param-importance"] g.mark-rect path').first().waitFor();
    assert.equal(await page.getByRole('table', { name: 'Trials' }).locator('tbody tr').count(), 4);
    await shot(page, 'study');
  });

  it('shows experiments side by side and schedules', async () => {
    await go(page, '#/experiments/default');
    await page.getByRole('table', { name: 'Runs side by side' }).waitFor();
    await page.locator('[data-chart="parallel"] g.mark-line path').first().waitFor();
    await shot(page, 'experiments');

    const datasetId = (await api.get('/v1/datasets?name=web-churn')).body.items[0].id;
    const created = await api.post('/v1/schedules', { name: 'web-nightly', cron: '0 3 * * *', timezone: 'UTC', job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } } });
    assert.equal(created.status, 201);
    await go(page, `#/schedules/${created.body.id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    assert.equal((await api.get(`/v1/schedules/${created.body.id}`)).body.paused, true);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    assert.ok((await page.getByRole('region', { name: 'Next runs' }).locator('li').count()) >= 2);
    await shot(page, 'schedule');
  });

  it('hides what a viewer may not do', async () => {
    const viewer = (await api.post('/v1/tokens', { name: 'web-viewer', role: 'viewer' })).body.token;
    const other = await browser.newPage();
    await signIn(other, viewer);
    await go(other, '#/models/web-model');
    await other.getByRole('heading', { name: 'Version 1' }).waitFor();
    assert.equal(await other.getByRole('form', { name: 'Promote a version' }).count(), 0);
    assert.equal(await other.getByRole('button', { name: /Roll back/ }).count(), 0);
    await go(other, '#/datasets');
    await other.getByRole('table', { name: 'Datasets' }).waitFor();
    assert.equal(await other.getByRole('form', { name: 'Upload a dataset' }).count(), 0);
    await shot(other, 'model-viewer');
    await other.close();
  });

  it('saw no console error and no failed request', () => {
    assert.deepEqual(browser.problems, []);
  });
});
