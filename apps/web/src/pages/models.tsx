import { useState } from 'preact/hooks';
import type { ModelVersion, PredictResponse } from '@trainyard/client';
import { Chart } from '../components/chart';
import { DataTable, ListPage } from '../components/table';
import { ErrorBanner, KeyValues, Loading, Panel } from '../components/ui';
import { barSpec } from '../lib/charts';
import { fmtBytes, fmtDate, fmtNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';

export function ModelsPage() {
  const { api } = useSession();
  const list = useAsync(() => api.listModels({ pageSize: 100 }), []);
  return (
    <ListPage
      title="Models"
      what="models"
      state={list}
      label="Models"
      rowKey={(m) => m.name}
      empty="No models yet: a completed training job registers one."
      columns={[
        { header: 'Model', cell: (m) => <a href={href('models', m.name)}>{m.name}</a> },
        { header: 'Task', cell: (m) => m.task },
        { header: 'Type', cell: (m) => m.modelType },
        { header: 'Latest', cell: (m) => `v${m.latestVersion}` },
        { header: 'Aliases', cell: (m) => Object.entries(m.aliases).map(([a, v]) => `${a} → v${v}`).join(', ') || '–' },
        { header: 'Updated', cell: (m) => fmtDate(m.updatedAt), wide: true },
      ]}
    />
  );
}

/** A form with one typed field per signature input; predictions shown below it. */
function PredictForm({ version }: { version: ModelVersion }) {
  const { api } = useSession();
  const inputs = version.signature.inputs;
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<PredictResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const typed = (type: string, raw: string | undefined): unknown => {
    if (raw === undefined || raw === '') return null;
    if (type === 'number' || type === 'integer') return Number(raw);
    if (type === 'boolean') return raw === 'true';
    return raw;
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const record = Object.fromEntries(inputs.map((i) => [i.name, typed(i.type, values[i.name])]));
      setAnswer(await api.predict(version.name, { version: version.version, records: [record] }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Predict">
      <div class="row">
        {inputs.map((i) => (
          <label key={i.name}>
            {i.name} <span class="small">({i.type})</span>
            {i.type === 'boolean' ? (
              <select name={i.name} value={values[i.name] ?? ''} onChange={(e) => setValues({ ...values, [i.name]: (e.target as HTMLSelectElement).value })}>
                <option value="">missing</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : (
              <input
                name={i.name}
                inputMode={i.type === 'number' || i.type === 'integer' ? 'decimal' : 'text'}
                placeholder={i.type === 'datetime' ? 'ISO 8601, e.g. 2026-01-31T12:00:00Z' : undefined}
                value={values[i.name] ?? ''}
                onInput={(e) => setValues({ ...values, [i.name]: (e.target as HTMLInputElement).value })}
              />
            )}
          </label>
        ))}
      </div>
      <p>
        <button type="submit" class="primary">
          Predict
        </button>
      </p>
      <ErrorBanner error={error} />
      {answer && (
        <output aria-live="polite" data-testid="prediction">
          {answer.predictions.map((p, i) =>
            'value' in p ? (
              <p key={i}>value: {fmtNumber(p.value)}</p>
            ) : (
              <p key={i}>
                label: <strong>{p.label}</strong>{' '}
                {Object.entries(p.probabilities)
                  .map(([c, v]) => `P(${c}) = ${fmtNumber(v, 3)}`)
                  .join(', ')}
              </p>
            ),
          )}
        </output>
      )}
    </form>
  );
}

function headline(v: ModelVersion): string {
  const metric = ['rocAuc', 'accuracy', 'rmse', 'r2'].find((k) => typeof v.metrics[k] === 'number');
  return metric ? `${metric} ${fmtNumber(v.metrics[metric])}` : '–';
}

async function download(api: ReturnType<typeof useSession>['api'], v: ModelVersion) {
  const bytes = await api.artifact(v.name, v.version);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${v.name}-v${v.version}.onnx`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ModelPage({ name, version: wanted }: { name: string; version?: number }) {
  const session = useSession();
  const { api } = session;
  const model = useAsync(() => api.getModel(name), [name]);
  const versions = useAsync(() => api.listVersions(name, { pageSize: 100 }), [name]);
  const events = useAsync(() => api.aliasEvents(name, { pageSize: 50 }), [name]);
  const [alias, setAlias] = useState('production');
  const [target, setTarget] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const m = model.data;
  const all = versions.data?.items ?? [];
  const shown = all.find((v) => v.version === (wanted ?? m?.latestVersion)) ?? all[0];
  const reload = () => {
    model.reload();
    versions.reload();
    events.reload();
  };
  const move = async (to: number, name2 = alias) => {
    setError(null);
    try {
      await api.setAlias(name, name2, to);
      reload();
    } catch (err) {
      setError(err);
    }
  };
  if (model.error) return <ErrorBanner error={model.error} />;
  if (!m) return <Loading what="the model" />;
  const rollbacks = Object.entries(m.aliases).map(([a, v]) => ({ alias: a, current: v, previous: (events.data?.items ?? []).find((e) => e.alias === a && e.toVersion === v)?.fromVersion ?? null }));

  return (
    <>
      <h1>{name}</h1>
      <ErrorBanner error={error} />
      <div class="grid">
        <Panel title="Aliases" id="aliases">
          <div class="table-wrap">
            <table aria-label="Aliases">
              <tbody>
                {rollbacks.map((r) => (
                  <tr key={r.alias}>
                    <th scope="row">{r.alias}</th>
                    <td>v{r.current}</td>
                    <td>
                      {canTrain(session) && r.previous !== null && (
                        <button type="button" onClick={() => move(r.previous!, r.alias)}>
                          Roll back {r.alias} to v{r.previous}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rollbacks.length === 0 && <p class="muted">No aliases: predictions go to the latest version.</p>}
          {canTrain(session) && all.length > 0 && (
            <form
              class="row"
              aria-label="Promote a version"
              onSubmit={(e) => {
                e.preventDefault();
                void move(target ?? shown!.version);
              }}
            >
              <label>
                Version
                <select value={String(target ?? shown?.version)} onChange={(e) => setTarget(Number((e.target as HTMLSelectElement).value))}>
                  {all.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Alias
                <input value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} pattern="[a-z][a-z0-9_\-]*" required />
              </label>
              <button type="submit" class="primary">
                Promote
              </button>
            </form>
          )}
          <h2>Audit trail</h2>
          <ul class="small" aria-label="Alias audit trail">
            {(events.data?.items ?? []).map((e, i) => (
              <li key={i}>
                {fmtDate(e.at)}: {e.alias} {e.fromVersion === null ? '' : `v${e.fromVersion} `}→ {e.toVersion === null ? 'removed' : `v${e.toVersion}`} by {e.actor}
                {e.reason ? ` (${e.reason})` : ''}
              </li>
            ))}
          </ul>
        </Panel>
        <Panel title="Versions" id="versions">
          <DataTable
            label="Versions"
            rows={all}
            rowKey={(v) => v.version}
            rowClass={(v) => (v.version === shown?.version ? 'selected' : '')}
            empty="No versions."
            columns={[
              { header: 'Version', cell: (v) => <a href={href('models', name, v.version)}>v{v.version}</a> },
              { header: 'Type', cell: (v) => v.modelType },
              { header: 'Aliases', cell: (v) => v.aliases.join(', ') || '–' },
              { header: 'Headline metric', cell: (v) => headline(v) },
              { header: 'Created', cell: (v) => fmtDate(v.createdAt), wide: true },
            ]}
          />
        </Panel>
      </div>
      {shown && (
        <>
          <h2>
            Version {shown.version}{' '}
            <button type="button" onClick={() => download(api, shown).catch(setError)}>
              Download ONNX ({fmtBytes(shown.sizeBytes)})
            </button>
          </h2>
          <div class="grid">
            <Panel title="Signature" id="signature">
              <KeyValues entries={[...shown.signature.inputs.map((i): [string, string] => [i.name, i.type]), ...shown.signature.outputs.map((o): [string, string] => [`→ ${o.name}`, o.type])]} />
            </Panel>
            <Panel title="Lineage" id="version-lineage">
              <KeyValues
                entries={[
                  ['job', <a href={href('jobs', shown.jobId)}>{shown.jobId}</a>],
                  ['dataset', shown.lineage.datasetId ? <a href={href('datasets', shown.lineage.datasetId)}>{shown.lineage.datasetId}</a> : null],
                  ['dataset sha256', shown.lineage.datasetSha256 ? <code>{shown.lineage.datasetSha256.slice(0, 16)}…</code> : null],
                  ['code version', shown.lineage.codeVersion || null],
                  ['params', <code>{JSON.stringify(shown.lineage.params)}</code>],
                  ['artifact sha256', <code>{shown.sha256.slice(0, 16)}…</code>],
                ]}
              />
            </Panel>
            <Panel title="Feature importance" id="version-importance">
              {shown.featureImportance.length ? <Chart id="version-importance" label="feature importance" spec={barSpec(shown.featureImportance, 'feature', 'importance', 'importance')} /> : <p class="muted">Not recorded.</p>}
            </Panel>
          </div>
          <Panel title="Predict" id="predict">
            <PredictForm key={`${shown.name}:${shown.version}`} version={shown} />
          </Panel>
        </>
      )}
    </>
  );
}
