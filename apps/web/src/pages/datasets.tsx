import { useState } from 'preact/hooks';
import { TrainyardApiError, type ColumnProfile, type Dataset, type DatasetProfile } from '@trainyard/client';
import { Chart } from '../components/chart';
import { ListPage } from '../components/table';
import { ErrorBanner, Loading, Panel, ProgressBar } from '../components/ui';
import { histogramSpec, targetMeanSpec, topValuesSpec } from '../lib/charts';
import { fmtBytes, fmtDate, fmtNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';

/** Uploads with XMLHttpRequest, the one browser API that reports the bytes sent. */
function upload(token: string, form: FormData, onProgress: (fraction: number) => void): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/datasets');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status < 300 ? resolve(xhr.response as Dataset) : reject(TrainyardApiError.from(xhr.status, xhr.response)));
    xhr.onerror = () => reject(new Error('the upload failed: the server could not be reached'));
    xhr.send(form);
  });
}

function UploadForm({ onDone }: { onDone: (d: Dataset) => void }) {
  const session = useSession();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setError(null);
    setProgress(0);
    try {
      onDone(await upload(session.api.options.token ?? '', form, setProgress));
      (e.target as HTMLFormElement).reset();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  return (
    <form class="row" onSubmit={submit} aria-label="Upload a dataset">
      <label>
        File (CSV or Parquet)
        <input type="file" name="file" accept=".csv,.parquet,text/csv" required />
      </label>
      <label>
        Name
        <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" />
      </label>
      <label>
        Description
        <input name="description" />
      </label>
      <button type="submit" class="primary" disabled={progress !== null}>
        Upload
      </button>
      {progress !== null && <ProgressBar value={progress} label="upload progress" />}
      <ErrorBanner error={error} />
    </form>
  );
}

export function DatasetsPage() {
  const session = useSession();
  const list = useAsync(() => session.api.listDatasets({ pageSize: 100 }), []);
  return (
    <ListPage
      title="Datasets"
      what="datasets"
      state={list}
      before={
        canTrain(session) && (
          <Panel title="Upload" id="upload">
            <UploadForm onDone={(d) => (location.hash = href('datasets', d.id))} />
          </Panel>
        )
      }
      label="Datasets"
      rowKey={(d) => d.id}
      empty="No datasets yet."
      columns={[
        { header: 'Name', cell: (d) => <a href={href('datasets', d.id)}>{d.name}</a> },
        { header: 'Version', cell: (d) => `v${d.version}` },
        { header: 'Rows', cell: (d) => fmtNumber(d.rows) },
        { header: 'Columns', cell: (d) => d.columns.length },
        { header: 'Size', cell: (d) => fmtBytes(d.sizeBytes) },
        { header: 'Created', cell: (d) => fmtDate(d.createdAt), wide: true },
      ]}
    />
  );
}

const MODEL_TYPES = ['xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp'];

/** Submits a training job on this dataset: target, model type and rounds; the job page follows it live. */
function TrainForm({ dataset }: { dataset: Dataset }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const field = (k: string) => String(form.get(k) ?? '').trim();
    const type = field('modelType');
    const rounds = Number(field('rounds'));
    const params = type === 'linear' ? {} : type === 'mlp' ? { epochs: rounds } : type === 'random_forest' ? { numTrees: rounds } : { numRounds: rounds };
    setBusy(true);
    setError(null);
    try {
      const job = await api.createJob({
        datasetId: dataset.id,
        target: field('target'),
        model: { type, params },
        ...(field('name') ? { name: field('name') } : {}),
        ...(field('experiment') ? { experiment: field('experiment') } : {}),
        ...(field('exclude') ? { exclude: field('exclude').split(',').map((c) => c.trim()).filter(Boolean) } : {}),
      });
      location.hash = href('jobs', job.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="row" onSubmit={submit} aria-label="Train a model">
      <label>
        Target
        <select name="target" required defaultValue={dataset.columns.at(-1)?.name}>
          {dataset.columns.map((c) => (
            <option key={c.name}>{c.name}</option>
          ))}
        </select>
      </label>
      <label>
        Model
        <select name="modelType">
          {MODEL_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Rounds / trees / epochs
        <input name="rounds" type="number" min={1} max={10000} value="100" required />
      </label>
      <label>
        Exclude columns
        <input name="exclude" placeholder="id, …" />
      </label>
      <label>
        Model name
        <input name="name" placeholder={`${dataset.name}-<type>`} />
      </label>
      <label>
        Experiment
        <input name="experiment" placeholder="default" />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        Train
      </button>
      <ErrorBanner error={error} />
    </form>
  );
}

/** Bins or values with the target folded in: one row per class for classification, a mean for regression. */
function withClasses<T extends { count: number; target?: unknown }>(rows: T[], kind: string | undefined) {
  if (kind !== 'classification') return rows;
  return rows.flatMap((r) => Object.entries(typeof r.target === 'object' && r.target !== null ? r.target : {}).map(([cls, count]) => ({ ...r, class: cls, count })));
}

function ColumnCard({ column, target, sampled }: { column: ColumnProfile; target: DatasetProfile['target']; sampled: number }) {
  const identifier = column.type === 'string' && column.distinct >= 0.9 * sampled && sampled > 50;
  const stacked = target?.kind === 'classification' && column.name !== target.name;
  const regression = target?.kind === 'regression' && column.name !== target.name;
  return (
    <section class="panel" aria-label={`column ${column.name}`} data-column={column.name}>
      <h2>
        {column.name} <span class="muted small">{column.type}</span>
      </h2>
      <p class="small">
        missing {fmtNumber(column.missing)} ({(column.missingRate * 100).toFixed(1)}%) · distinct {fmtNumber(column.distinct)}
        {column.min !== null && ` · min ${fmtNumber(column.min)} · mean ${fmtNumber(column.mean)} · max ${fmtNumber(column.max)}`}
      </p>
      {column.histogram && <Chart id={`hist-${column.name}`} label={`histogram of ${column.name}`} spec={histogramSpec(withClasses(column.histogram, stacked ? 'classification' : undefined), column.name, stacked)} />}
      {identifier && <p class="muted small">Nearly every value is distinct: an identifier, best excluded from training.</p>}
      {column.topValues && !identifier && <Chart id={`top-${column.name}`} label={`top values of ${column.name}`} spec={topValuesSpec(withClasses(column.topValues.map((v) => ({ ...v, value: String(v.value) })), stacked ? 'classification' : undefined), column.name, stacked)} />}
      {regression && column.histogram && (
        <Chart id={`rel-${column.name}`} label={`mean ${target!.name} by ${column.name}`} spec={targetMeanSpec(column.histogram.map((b) => ({ x: (b.x0 + b.x1) / 2, mean: b.target })), column.name, 'quantitative', target!.name)} />
      )}
      {regression && column.topValues && (
        <Chart id={`rel-${column.name}`} label={`mean ${target!.name} by ${column.name}`} spec={targetMeanSpec(column.topValues.map((v) => ({ x: String(v.value), mean: v.target })), column.name, 'nominal', target!.name)} />
      )}
    </section>
  );
}

export function DatasetPage({ id }: { id: string }) {
  const session = useSession();
  const { api } = session;
  const dataset = useAsync(() => api.getDataset(id), [id]);
  const preview = useAsync(() => api.previewDataset(id, 20), [id]);
  const [target, setTarget] = useState('');
  const profile = useAsync(() => api.profileDataset(id, target ? { target } : {}), [id, target]);
  const d = dataset.data;
  if (dataset.error) return <ErrorBanner error={dataset.error} />;
  if (!d) return <Loading what="the dataset" />;
  return (
    <>
      <h1>
        {d.name} v{d.version}
      </h1>
      <p class="muted">
        {fmtNumber(d.rows)} rows · {d.columns.length} columns · {d.format} · {fmtBytes(d.sizeBytes)} · {d.description ?? 'no description'} · <code>{d.sha256.slice(0, 16)}…</code>
      </p>
      {canTrain(session) && (
        <Panel title="Train a model" id="train">
          <TrainForm dataset={d} />
        </Panel>
      )}
      <Panel title="Preview" id="preview">
        <ErrorBanner error={preview.error} />
        {preview.data && (
          <div class="table-wrap">
            <table aria-label="Preview">
              <thead>
                <tr>
                  {preview.data.columns.map((c) => (
                    <th scope="col" key={c.name}>
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.data.rows.map((r, i) => (
                  <tr key={i}>
                    {preview.data!.columns.map((c) => (
                      <td key={c.name}>{r[c.name] === null || r[c.name] === undefined ? '' : String(r[c.name])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <div class="row">
        <h2>Profile</h2>
        <label>
          Relation to target
          <select value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
            <option value="">none</option>
            {d.columns.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        {profile.data && <span class="muted small">over the first {fmtNumber(profile.data.sampledRows)} rows; missing counts over all rows</span>}
      </div>
      <ErrorBanner error={profile.error} />
      {!profile.data ? (
        <Loading what="the profile" />
      ) : (
        <div class="grid">
          {profile.data.columns.map((c) => (
            <ColumnCard key={c.name} column={c} target={profile.data!.target} sampled={profile.data!.sampledRows} />
          ))}
        </div>
      )}
    </>
  );
}
