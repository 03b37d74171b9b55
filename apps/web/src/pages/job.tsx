import { useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { JobLogLine, MetricSeries, Metrics, TrainingJob } from '@trainyard/client';
import { Chart } from '../components/chart';
import { Badge, ErrorBanner, KeyValues, Loading, NotRecorded, Panel, ProgressBar } from '../components/ui';
import { barSpec, confusionSpec, curveSpec, learningCurveSpec, residualSpec } from '../lib/charts';
import { elapsed, fmtDate, fmtDuration, fmtNumber } from '../lib/format';
import { useAsync, useEventStream } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';
import { learningCurves, mergeMetric } from '../lib/shaping';

const TERMINAL = ['completed', 'failed', 'cancelled'];
const MAX_LOG_LINES = 500;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list of points whose `keys` are all numbers, else undefined (not recorded, or not in that shape). */
function pointsOf<K extends string>(value: unknown, keys: readonly K[]): Record<K, number>[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((p) => isRecord(p) && keys.every((k) => typeof p[k] === 'number')) ? (value as Record<K, number>[]) : undefined;
}

function MetricsTable({ job }: { job: TrainingJob }) {
  const cvMean = job.cvMetrics?.mean;
  const sets: [string, Record<string, unknown> | null][] = [
    ['test', job.metrics],
    ['validation', job.validationMetrics],
    ['train', job.trainMetrics ?? null],
    ['cv mean', isRecord(cvMean) ? cvMean : null],
  ];
  const names = [...new Set(sets.flatMap(([, m]) => Object.entries(m ?? {}).filter(([, v]) => typeof v === 'number').map(([k]) => k)))];
  if (names.length === 0) return <p class="muted">No metrics yet.</p>;
  return (
    <div class="table-wrap">
      <table aria-label="Metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {sets.map(([label, m]) => m && <th scope="col" key={label}>{label}</th>)}
          </tr>
        </thead>
        <tbody>
          {names.map((n) => (
            <tr key={n}>
              <th scope="row">{n}</th>
              {sets.map(([label, m]) => m && <td key={label}>{fmtNumber(m[n])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LearningCurves({ series }: { series: MetricSeries['series'] }) {
  const rows = useMemo(() => learningCurves(series), [series]);
  const metrics = [...new Set(rows.map((r) => r.metric))];
  if (metrics.length === 0) return <p class="muted">No rounds recorded yet.</p>;
  return (
    <>
      {metrics.map((m) => (
        <Chart key={m} id={`learning-${m}`} label={`learning curve of ${m}, train and validation per round`} spec={learningCurveSpec(rows.filter((r) => r.metric === m), m)} />
      ))}
    </>
  );
}

/**
 * The confusion matrix, and the curves the evaluate step may record with the test metrics (`metrics.curves`,
 * `metrics.residuals`): the schema does not declare those yet, so their shape is checked here.
 * `classLabels` (the version's signature) order the matrix: perClass's keys come back in jsonb's order, not the model's.
 */
function Evaluation({ job, classLabels }: { job: TrainingJob; classLabels: string[] | null | undefined }) {
  const metrics: Metrics = job.metrics ?? {};
  if (job.task === 'regression') {
    const residuals = pointsOf(metrics.residuals, ['actual', 'predicted']);
    return residuals ? <Chart id="residuals" label="residuals: predicted against actual" spec={residualSpec(residuals)} /> : <NotRecorded what="Residuals" />;
  }
  const curves = isRecord(metrics.curves) ? metrics.curves : {};
  const roc = pointsOf(curves.roc, ['fpr', 'tpr']);
  const pr = pointsOf(curves.pr, ['recall', 'precision']);
  const matrix = metrics.confusionMatrix;
  const labels = matrix && classLabels?.length === matrix.length ? classLabels : matrix?.map((_, i) => String(i));
  const binary = Object.keys(metrics.perClass ?? {}).length === 2 || matrix?.length === 2;
  return (
    <div class="grid">
      <div>
        <h2>Confusion matrix</h2>
        {matrix && labels ? <Chart id="confusion" label="confusion matrix" spec={confusionSpec(matrix, labels)} /> : <NotRecorded what="The confusion matrix" />}
      </div>
      {binary && (
        <div>
          <h2>ROC and precision–recall</h2>
          {roc ? <Chart id="roc" label="ROC curve" spec={curveSpec(roc, 'fpr', 'tpr', 'ROC curve', 'diagonal')} /> : <NotRecorded what="ROC curve points" />}
          {pr ? <Chart id="pr" label="precision-recall curve" spec={curveSpec(pr, 'recall', 'precision', 'precision–recall curve', typeof curves.positiveRate === 'number' ? curves.positiveRate : 0.5)} /> : <NotRecorded what="Precision–recall points" />}
        </div>
      )}
    </div>
  );
}

export function JobPage({ id }: { id: string }) {
  const session = useSession();
  const { api } = session;
  const job = useAsync(() => api.getJob(id), [id]);
  const metrics = useAsync(() => api.jobMetrics(id), [id]);
  const [livePoints, setLivePoints] = useState<{ name: string; step: number; value: number | null }[]>([]);
  const [live, setLive] = useState<{ progress: number; stage: string | null; status: string } | null>(null);
  const [logs, setLogs] = useState<JobLogLine[]>([]);
  const [actionError, setActionError] = useState<unknown>(null);
  const version = useAsync(async () => (job.data?.modelVersion ? api.getVersion(job.data.modelVersion.name, job.data.modelVersion.version) : null), [job.data?.modelVersion?.name, job.data?.modelVersion?.version]);

  const current = useMemo(() => mergeMetric(metrics.data?.series ?? {}, livePoints), [metrics.data, livePoints]);
  // Subscribed first, then /metrics read: points from either side are merged by step, so none is lost between them.
  useEventStream(
    (lastEventId, signal) => api.streamJob(id, { tail: 200, level: 'info', lastEventId, signal }),
    (events) => {
      const points = events.flatMap((e) => (e.event === 'metric' ? [e.data] : []));
      if (points.length) setLivePoints((p) => [...p, ...points]);
      const lines = events.flatMap((e) => (e.event === 'log' ? [e.data] : []));
      if (lines.length) setLogs((l) => [...l, ...lines].slice(-MAX_LOG_LINES));
      const progress = events.flatMap((e) => (e.event === 'progress' ? [e.data] : [])).at(-1);
      if (progress) setLive(progress);
      if (events.some((e) => e.event === 'end')) {
        job.reload();
      }
    },
    [id],
  );

  if (job.error) return <ErrorBanner error={job.error} />;
  const j = job.data;
  if (!j) return <Loading what="the job" />;
  const state = live && !TERMINAL.includes(j.status) ? live : { progress: j.progress, stage: j.stage, status: j.status };
  const act = (fn: () => Promise<TrainingJob>, goTo = false) => async () => {
    setActionError(null);
    try {
      const result = await fn();
      if (goTo) location.hash = href('jobs', result.id);
      else job.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const temporal = j.temporalUrl;
  const params = version.data?.lineage.params ?? j.model.params;
  const importance = version.data?.featureImportance ?? [];

  return (
    <>
      <div class="row">
        <h1>
          {j.name} <span class="muted small mono">{j.id}</span>
        </h1>
        <span class="spacer" />
        {canTrain(session) && !TERMINAL.includes(state.status) && (
          <button type="button" class="danger" onClick={act(() => api.cancelJob(id))}>
            Cancel job
          </button>
        )}
        {canTrain(session) && (state.status === 'failed' || state.status === 'cancelled') && (
          <button type="button" onClick={act(() => api.retryJob(id), true)}>
            Retry job
          </button>
        )}
      </div>
      <ErrorBanner error={actionError} />
      <section class="panel" aria-label="Status">
        <div class="row">
          <Badge status={state.status} />
          <span>stage {state.stage ?? '–'}</span>
          <ProgressBar value={state.progress} status={state.status} label="job progress" />
          <span class="muted">duration {fmtDuration(elapsed(j))}</span>
          {j.estimatedCompletionAt && !TERMINAL.includes(state.status) && <span class="muted">estimated completion {fmtDate(j.estimatedCompletionAt)}</span>}
          <span class="muted hide-narrow">created {fmtDate(j.createdAt)} by {j.createdBy}</span>
        </div>
        {j.error && (
          <p class="alert" role="alert">
            {j.error.code}: {j.error.message}
          </p>
        )}
      </section>
      <div class="grid">
        <Panel title="Metrics" id="metrics">
          <MetricsTable job={j} />
        </Panel>
        <Panel title="Learning curves" id="curves">
          <LearningCurves series={current} />
        </Panel>
      </div>
      <Panel title="Evaluation" id="evaluation">
        {j.metrics ? <Evaluation job={j} classLabels={version.data?.signature.classLabels} /> : <p class="muted">Evaluated after training.</p>}
      </Panel>
      <div class="grid">
        <Panel title="Feature importance" id="importance">
          {importance.length ? <Chart id="importance" label="feature importance" spec={barSpec(importance, 'feature', 'importance', 'importance')} /> : <p class="muted">Recorded with the model version.</p>}
        </Panel>
        <Panel title="Hyperparameters" id="params">
          <KeyValues
            entries={[
              ['model', j.model.type],
              // As trained (defaults resolved, threads injected) once training started; a default is marked as one.
              ...Object.entries(j.effectiveParams ?? params).map(([k, v]): [string, ComponentChildren] => [
                k,
                <>
                  {typeof v === 'object' ? JSON.stringify(v) : String(v)}
                  {j.effectiveParams && !(k in params) ? <span class="muted"> · default</span> : null}
                </>,
              ]),
            ]}
          />
        </Panel>
        <Panel title="Lineage" id="lineage">
          <KeyValues
            entries={[
              ['dataset', <a href={href('datasets', j.datasetId)}>{j.datasetId}</a>],
              ['target', j.target],
              ['task', j.task],
              ['experiment', <a href={href('experiments', j.experiment)}>{j.experiment}</a>],
              ['model version', j.modelVersion ? <a href={href('models', j.modelVersion.name, j.modelVersion.version)}>{`${j.modelVersion.name} v${j.modelVersion.version}`}</a> : null],
              ['dataset sha256', version.data?.lineage.datasetSha256 ? <code>{version.data.lineage.datasetSha256.slice(0, 16)}…</code> : null],
              ['retry of', j.retryOf ? <a href={href('jobs', j.retryOf)}>{j.retryOf}</a> : null],
              ['study', j.studyId ? <a href={href('studies', j.studyId)}>{j.studyId}</a> : null],
              ['schedule', j.scheduleId ? <a href={href('schedules', j.scheduleId)}>{j.scheduleId}</a> : null],
              ['device', j.device],
              ['Temporal', temporal ? <a href={temporal} rel="noreferrer">{j.workflowId}</a> : <code>{j.workflowId}</code>],
            ]}
          />
        </Panel>
      </div>
      <Panel title="Logs" id="logs">
        <div class="logs" role="log" aria-live="polite" aria-label="job logs">
          {logs.map((l, i) => (
            <div key={i} class={l.level}>
              {l.ts.slice(11, 19)} {l.level.padEnd(5)} {l.stage ?? '-'} {l.message}
            </div>
          ))}
        </div>
      </Panel>
    </>
  );
}
