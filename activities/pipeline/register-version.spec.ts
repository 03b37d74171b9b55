import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EvaluateResult, ModelVersionRef, StepInput, StoredObject } from '@trainyard/contracts';
import type { PreparedData } from '@trainyard/ml';
import { CODE_VERSION } from '../code-version';
import { fakeDeps, JOB_ID, StepAttempt, TENANT_ID, type FakeDeps } from '../testing/fakes';
import { churnFrame, stepInput, trainingSpec } from '../testing/sample-data';
import { prepareForSpec } from './preprocess';
import { modelSignature, registerVersion, type NewModelVersion, type Registration, type VersionRegistry } from './register-version';

/** The model_versions table's two unique keys, in memory; `beforeInsert` lets a spec slip a rival row in first. */
class MemoryRegistry implements VersionRegistry {
  readonly rows: NewModelVersion[] = [];
  inserts = 0;
  beforeInsert: (() => void) | null = null;

  async registeredBy(jobId: string): Promise<ModelVersionRef | null> {
    const row = this.rows.find((r) => r.jobId === jobId);
    return row ? { name: row.name, version: row.version } : null;
  }

  async latest(tenantId: string, name: string): Promise<number> {
    return Math.max(0, ...this.rows.filter((r) => r.tenantId === tenantId && r.name === name).map((r) => r.version));
  }

  async insert(version: NewModelVersion): Promise<boolean> {
    this.inserts++;
    this.beforeInsert?.();
    const taken = this.rows.some((r) => r.jobId === version.jobId || (r.tenantId === version.tenantId && r.name === version.name && r.version === version.version));
    if (!taken) this.rows.push(version);
    return !taken;
  }
}

const object = (name: string): StoredObject => ({ key: `models/${TENANT_ID}/${name}`, sha256: name.padEnd(64, '0'), size: 1234, encoding: 'identity' });
const OTHER_JOB = '00000000-0000-4000-8000-00000000a002';

describe('registerVersion', () => {
  let fake: FakeDeps;
  let prepared: PreparedData;
  let registration: Registration;
  const input = stepInput();

  before(async () => {
    fake = await fakeDeps();
    ({ prepared } = await prepareForSpec(input.spec, churnFrame(300), 1));
    const evaluated: EvaluateResult = { onnx: object('abc'), plan: object('def'), metrics: { accuracy: 0.9 }, validationMetrics: null, parityMaxAbsDiff: 0, parityRows: 60 };
    registration = {
      load: { dataset: object('data'), format: 'csv', rows: 300, columns: [], datasetSha256: 'd'.repeat(64) },
      plan: prepared.plan,
      task: prepared.task,
      classLabels: prepared.classLabels,
      trained: { engine: 'xgboost', engineVersion: '3.2.0', featureImportance: [{ feature: 'tenure', importance: 1 }] },
      evaluated,
    };
  });
  after(() => fake.dispose());

  const register = (versions: VersionRegistry, job: StepInput = input, r: Registration = registration, attempt = new StepAttempt(fake.deps)) =>
    attempt.run('register', (ctx) => registerVersion(versions, ctx, job, r));

  it('records version 1 of the model, with its artifact, signature and lineage', async () => {
    const versions = new MemoryRegistry();
    const attempt = new StepAttempt(fake.deps);
    assert.deepEqual(await register(versions, input, registration, attempt), { name: 'churn', version: 1 });
    const [row] = versions.rows;
    assert.deepEqual({ ...row, createdAt: undefined }, {
      tenantId: TENANT_ID,
      name: 'churn',
      version: 1,
      jobId: JOB_ID,
      modelType: 'xgboost',
      task: 'classification',
      artifact: registration.evaluated.onnx,
      plan: registration.evaluated.plan,
      engineModel: null,
      sha256: registration.evaluated.onnx.sha256,
      sizeBytes: 1234,
      metrics: { accuracy: 0.9 },
      signature: modelSignature(prepared.plan, 'classification', ['no', 'yes']),
      featureImportance: [{ feature: 'tenure', importance: 1 }],
      lineage: {
        datasetId: input.spec.datasetId,
        datasetSha256: 'd'.repeat(64),
        params: input.spec.model.params,
        codeVersion: CODE_VERSION,
        engine: 'xgboost',
        engineVersion: '3.2.0',
        inputColumns: prepared.plan.inputs.map((i) => i.name),
      },
      label: null,
      description: null,
      createdAt: undefined,
    });
    assert.deepEqual(attempt.jobs.logs, [{ level: 'info', stage: 'register', message: 'registered churn v1', data: { sha256: row.sha256 } }]);
  });

  it('registers one version per job however often it is called', async () => {
    const versions = new MemoryRegistry();
    const again = new StepAttempt(fake.deps);
    assert.deepEqual(await register(versions), { name: 'churn', version: 1 });
    assert.deepEqual(await register(versions, input, registration, again), { name: 'churn', version: 1 });
    assert.equal(versions.rows.length, 1);
    assert.deepEqual(again.jobs.logs, [], 'the second call registers nothing');
  });

  it('numbers versions per tenant and model name', async () => {
    const versions = new MemoryRegistry();
    await register(versions);
    assert.deepEqual(await register(versions, { ...input, jobId: OTHER_JOB }), { name: 'churn', version: 2 });
    const otherTenant = { ...input, jobId: '00000000-0000-4000-8000-00000000a003', tenantId: '00000000-0000-4000-8000-00000000e002' };
    assert.deepEqual(await register(versions, otherTenant), { name: 'churn', version: 1 });
    const otherName = { ...input, jobId: '00000000-0000-4000-8000-00000000a004', spec: trainingSpec({ name: 'upsell' }) };
    assert.deepEqual(await register(versions, otherName), { name: 'upsell', version: 1 });
  });

  it('takes the next number when another job took this one meanwhile', async () => {
    const versions = new MemoryRegistry();
    versions.beforeInsert = () => {
      versions.beforeInsert = null;
      versions.rows.push({ ...versions.rows[0], tenantId: TENANT_ID, name: 'churn', version: 1, jobId: OTHER_JOB } as NewModelVersion);
    };
    assert.deepEqual(await register(versions), { name: 'churn', version: 2 });
    assert.equal(versions.inserts, 2);
  });

  it('returns the version a racing attempt of the same job made, without a second one', async () => {
    const versions = new MemoryRegistry();
    versions.beforeInsert = () => {
      versions.beforeInsert = null;
      versions.rows.push({ tenantId: TENANT_ID, name: 'churn', version: 1, jobId: JOB_ID } as NewModelVersion);
    };
    const attempt = new StepAttempt(fake.deps);
    assert.deepEqual(await register(versions, input, registration, attempt), { name: 'churn', version: 1 });
    assert.equal(versions.rows.length, 1);
    assert.deepEqual(attempt.jobs.logs, []);
  });

  it('gives up after six taken numbers, leaving the retry to Temporal', async () => {
    const versions = new MemoryRegistry();
    versions.insert = async () => (versions.inserts++, false);
    await assert.rejects(register(versions), /no free version number for churn after 6 tries/);
    assert.equal(versions.inserts, 6);
  });

  it('keeps feature selection and time features in the lineage', async () => {
    const spec = trainingSpec({
      validation: { ...input.spec.validation, method: 'time_series', timeColumn: 'signup' },
      preprocessing: { timeFeatures: { columns: ['monthly'], lags: [1], rollingMeans: [3] }, featureSelection: null },
    });
    const timed = (await prepareForSpec(spec, churnFrame(300), 1)).prepared;
    const featureSelection = { kept: ['monthly'], dropped: ['noise'], ranking: [{ column: 'monthly', importance: 1 }] };
    const versions = new MemoryRegistry();
    await register(versions, { ...input, spec }, { ...registration, plan: timed.plan, featureSelection });
    const { lineage } = versions.rows[0];
    assert.deepEqual(lineage.featureSelection, featureSelection);
    assert.deepEqual(lineage.timeFeatures, { timeColumn: 'signup', features: ['monthly.lag1', 'monthly.rollingMean3'] });
  });
});

describe('modelSignature', () => {
  it('lists the raw columns the model takes and the outputs of its task', async () => {
    const { prepared } = await prepareForSpec(trainingSpec(), churnFrame(300), 1);
    assert.deepEqual(modelSignature(prepared.plan, 'classification', ['no', 'yes']), {
      inputs: [
        { name: 'noise', type: 'number', onnxType: 'tensor(float)' },
        { name: 'tenure', type: 'number', onnxType: 'tensor(float)' },
        { name: 'monthly', type: 'number', onnxType: 'tensor(float)' },
        { name: 'plan', type: 'string', onnxType: 'tensor(string)' },
      ],
      outputs: [
        { name: 'label', type: 'int64[N]' },
        { name: 'probabilities', type: 'float32[N,2]' },
      ],
      classLabels: ['no', 'yes'],
    });
    assert.deepEqual(modelSignature(prepared.plan, 'regression', null).outputs, [{ name: 'variable', type: 'float32[N,1]' }]);
    assert.equal(modelSignature(prepared.plan, 'classification', ['a', 'b', 'c']).outputs[1].type, 'float32[N,3]');
  });
});
