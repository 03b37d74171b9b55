import { useMemo, useState } from 'preact/hooks';
import type { StudyStreamEvent, Trial } from '@trainyard/client';
import { Chart } from '../components/chart';
import { DataTable, ListPage } from '../components/table';
import { Badge, ErrorBanner, Loading, Panel, ProgressBar } from '../components/ui';
import { barSpec, historySpec, intermediateSpec } from '../lib/charts';
import { fmtDate, fmtNumber } from '../lib/format';
import { useAsync, useEventStream } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';
import { bestSoFar, parameterImportance } from '../lib/shaping';

export function StudiesPage() {
  const { api } = useSession();
  const list = useAsync(() => api.listStudies({ pageSize: 50 }), []);
  return (
    <ListPage
      title="Studies"
      what="studies"
      state={list}
      label="Studies"
      rowKey={(s) => s.id}
      empty="No studies yet."
      columns={[
        { header: 'Study', cell: (s) => <a href={href('studies', s.id)}>{s.name}</a> },
        { header: 'Status', cell: (s) => <Badge status={s.status} /> },
        { header: 'Trials', cell: (s) => `${s.trialsCompleted + s.trialsPruned + s.trialsFailed}/${s.trials}` },
        { header: 'Objective', cell: (s) => `${s.objective.direction} ${s.objective.metric}` },
        { header: 'Best', cell: (s) => fmtNumber(s.bestTrial?.value) },
        { header: 'Sampler', cell: (s) => `${s.sampler} / ${s.pruner}`, wide: true },
        { header: 'Created', cell: (s) => fmtDate(s.createdAt), wide: true },
      ]}
    />
  );
}

type Point = { number: number; name: string; step: number; value: number | null };

export function StudyPage({ id }: { id: string }) {
  const session = useSession();
  const { api } = session;
  const study = useAsync(() => api.getStudy(id), [id]);
  const trials = useAsync(() => api.listTrials(id, { pageSize: 100 }), [id]);
  const [liveTrials, setLiveTrials] = useState<Map<number, Omit<Trial, 'intermediate'>>>(new Map());
  const [livePoints, setLivePoints] = useState<Point[]>([]);
  const [progress, setProgress] = useState<Extract<StudyStreamEvent, { event: 'progress' }>['data'] | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  useEventStream(
    (lastEventId, signal) => api.streamStudy(id, { lastEventId, signal }),
    (events) => {
      const changed = events.flatMap((e) => (e.event === 'trial' ? [e.data] : []));
      if (changed.length) setLiveTrials((m) => new Map([...m, ...changed.map((t) => [t.number, t] as const)]));
      const points = events.flatMap((e) => (e.event === 'intermediate' ? [e.data] : []));
      if (points.length) setLivePoints((p) => [...p, ...points]);
      const last = events.flatMap((e) => (e.event === 'progress' ? [e.data] : [])).at(-1);
      if (last) setProgress(last);
      if (events.some((e) => e.event === 'end')) study.reload();
    },
    [id],
  );

  const s = study.data;
  const objective = s ? `validation.${s.objective.metric}` : '';
  const merged: Trial[] = useMemo(() => {
    const byNumber = new Map<number, Trial>((trials.data?.items ?? []).map((t) => [t.number, { ...t }]));
    for (const [n, t] of liveTrials) byNumber.set(n, { ...(byNumber.get(n) ?? { intermediate: [] }), ...t });
    // Like GET …/trials: the objective's series where the trial reports it, else its validation loss.
    const seen = new Map<number, Set<string>>();
    for (const p of livePoints) (seen.get(p.number) ?? seen.set(p.number, new Set()).get(p.number)!).add(p.name);
    const series = (n: number) => {
      const names = seen.get(n)!;
      return names.has(objective) ? objective : names.has('validation.logLoss') ? 'validation.logLoss' : [...names][0];
    };
    for (const p of livePoints) {
      const t = byNumber.get(p.number);
      if (!t || p.name !== series(p.number) || t.intermediate.some((q) => q.step === p.step)) continue;
      t.intermediate = [...t.intermediate, { step: p.step, value: p.value }];
    }
    return [...byNumber.values()].sort((a, b) => a.number - b.number);
  }, [trials.data, liveTrials, livePoints, objective]);

  if (study.error) return <ErrorBanner error={study.error} />;
  if (!s) return <Loading what="the study" />;
  const history = bestSoFar(merged, s.objective.direction);
  const intermediate = merged.flatMap((t) => t.intermediate.filter((p) => p.value !== null).map((p) => ({ trial: t.number, step: p.step, value: p.value, status: t.status, pruned: t.status === 'pruned' })));
  const importance = parameterImportance(merged);
  const done = progress ? progress.trialsCompleted + progress.trialsPruned + progress.trialsFailed : s.trialsCompleted + s.trialsPruned + s.trialsFailed;
  const status = progress?.status ?? s.status;
  const paramNames = Object.keys(s.searchSpace);

  return (
    <>
      <div class="row">
        <h1>
          {s.name} <span class="muted small mono">{s.id}</span>
        </h1>
        <span class="spacer" />
        {canTrain(session) && status === 'running' && (
          <button
            type="button"
            class="danger"
            onClick={() =>
              api.cancelStudy(id).then(
                () => study.reload(),
                (err: unknown) => setActionError(err),
              )
            }
          >
            Cancel study
          </button>
        )}
      </div>
      <ErrorBanner error={actionError} />
      <section class="panel row" aria-label="Status">
        <Badge status={status} />
        <ProgressBar value={s.trials ? done / s.trials : 0} status={status} label="trials done" />
        <span>
          {done}/{s.trials} trials · {progress?.trialsRunning ?? s.trialsRunning ?? 0} running · {progress?.trialsPruned ?? s.trialsPruned} pruned
        </span>
        <span>
          best {s.objective.metric}: <strong>{fmtNumber(progress?.best?.value ?? s.bestTrial?.value)}</strong>
        </span>
        <span class="muted">
          {s.sampler} sampler · {s.pruner} pruner · {s.objective.direction}
        </span>
      </section>
      <div class="grid">
        <Panel title="Optimization history" id="history">
          {history.some((h) => h.value !== null) ? <Chart id="history" label={`optimization history of ${s.objective.metric} with best so far`} spec={historySpec(history, s.objective.metric)} /> : <p class="muted">No finished trial yet.</p>}
        </Panel>
        <Panel title="Intermediate values" id="intermediate">
          {intermediate.length ? <Chart id="intermediate" label="intermediate values per round; pruned trials dashed" spec={intermediateSpec(intermediate, s.pruner === 'none' ? 'validation loss' : s.objective.metric)} /> : <p class="muted">No intermediate values yet.</p>}
        </Panel>
        <Panel title="Parameter importance" id="param-importance">
          {importance.length ? (
            <>
              <Chart id="param-importance" label="parameter importance" spec={barSpec(importance, 'param', 'importance', 'share of |rank correlation| with the objective')} />
              <p class="muted small">Share of each parameter's absolute rank correlation with the objective over completed trials.</p>
            </>
          ) : (
            <p class="muted">Needs three completed trials.</p>
          )}
        </Panel>
      </div>
      <Panel title="Trials" id="trials">
        <DataTable
          label="Trials"
          rows={merged}
          rowKey={(t) => t.number}
          rowClass={(t) => (s.bestTrial?.number === t.number ? 'selected' : '')}
          empty="No trial has started yet."
          columns={[
            { header: '#', cell: (t) => t.number },
            { header: 'Status', cell: (t) => <Badge status={t.status} /> },
            { header: s.objective.metric, cell: (t) => fmtNumber(t.value) },
            ...paramNames.map((p) => ({ header: p, cell: (t: Trial) => fmtNumber(t.params[p]) })),
            { header: 'Rounds', cell: (t) => t.intermediate.length || '–' },
            { header: 'Job', cell: (t) => <a href={href('jobs', t.jobId)}>job</a> },
          ]}
        />
      </Panel>
    </>
  );
}

