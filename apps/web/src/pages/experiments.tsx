import { useMemo, useState } from 'preact/hooks';
import type { JobComparison } from '@trainyard/client';
import { Chart } from '../components/chart';
import { DataTable } from '../components/table';
import { Badge, ErrorBanner, Loading, Panel } from '../components/ui';
import { parallelSpec } from '../lib/charts';
import { fmtDate, fmtDuration, fmtNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { href } from '../lib/router';
import { useSession } from '../lib/session';
import { parallelAxes } from '../lib/shaping';

type CompareJob = JobComparison['jobs'][number];

/** Headline metrics first in the experiments' Best column. */
const HEADLINE = ['rocAuc', 'rmse', 'accuracy', 'f1', 'r2', 'mae', 'logLoss'];
const headlineRank = (metric: string) => (HEADLINE.includes(metric) ? HEADLINE.indexOf(metric) : HEADLINE.length);

function Runs({ experiment }: { experiment: string }) {
  const { api } = useSession();
  const runs = useAsync(async (): Promise<CompareJob[]> => {
    const page = await api.listJobs({ experiment, status: 'completed', pageSize: 50, sort: '-createdAt' });
    if (page.items.length === 0) return [];
    return (await api.compareJobs(page.items.map((j) => j.id))).jobs;
  }, [experiment]);
  const jobs = runs.data ?? [];
  const metricNames = [...new Set(jobs.flatMap((j) => Object.keys(j.metrics)))].filter((m) => !['support'].includes(m)).sort();
  const paramNames = [...new Set(jobs.flatMap((j) => Object.keys(j.params)))].sort();
  const [metric, setMetric] = useState<string>('');
  const chosen = metric || (metricNames.includes('rocAuc') ? 'rocAuc' : metricNames.includes('rmse') ? 'rmse' : (metricNames[0] ?? ''));
  const rows = useMemo(() => {
    const axes = [...paramNames, chosen].filter(Boolean);
    const values = jobs.map((j) => ({ id: j.id, label: j.name, values: { ...j.params, [chosen]: j.metrics[chosen] } }));
    const colour = new Map(jobs.map((j) => [j.id, j.metrics[chosen] ?? null]));
    return { axes, rows: parallelAxes(values, axes).map((r) => ({ ...r, colour: colour.get(r.run) })) };
  }, [runs.data, chosen]);
  if (runs.error) return <ErrorBanner error={runs.error} />;
  if (!runs.data) return <Loading what="runs" />;
  if (jobs.length === 0) return <p class="muted">No completed runs in this experiment yet.</p>;
  return (
    <>
      <Panel title="Parameters against a metric" id="parallel">
        <label>
          Metric
          <select value={chosen} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)}>
            {metricNames.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        {rows.axes.length > 1 ? <Chart id="parallel" label={`parallel coordinates of parameters against ${chosen}`} spec={parallelSpec(rows.rows, rows.axes, chosen)} /> : <p class="muted">The runs share no parameter to compare.</p>}
      </Panel>
      <Panel title={`Runs side by side (${jobs.length})`} id="runs">
        <DataTable
          label="Runs side by side"
          rows={jobs}
          rowKey={(j) => j.id}
          empty="No runs."
          columns={[
            {
              header: 'Run',
              cell: (j) => (
                <>
                  <a href={href('jobs', j.id)}>{j.name}</a> <Badge status={j.status} />
                </>
              ),
            },
            { header: 'Model', cell: (j) => j.modelType },
            ...paramNames.map((p) => ({ header: p, cell: (j: CompareJob) => fmtNumber(j.params[p]) })),
            ...metricNames.map((m) => ({ header: m, cell: (j: CompareJob) => fmtNumber(j.metrics[m]) })),
            { header: 'Duration', cell: (j) => fmtDuration(j.durationSeconds) },
          ]}
        />
      </Panel>
    </>
  );
}

export function ExperimentsPage({ name }: { name?: string }) {
  const { api } = useSession();
  const list = useAsync(() => api.listExperiments(), []);
  const items = list.data?.items ?? [];
  const selected = name ?? items[0]?.name;
  return (
    <>
      <h1>Experiments</h1>
      <ErrorBanner error={list.error} />
      {!list.data ? (
        <Loading what="experiments" />
      ) : (
        <section class="panel">
          <DataTable
            label="Experiments"
            rows={items}
            rowKey={(e) => e.name}
            rowClass={(e) => (e.name === selected ? 'selected' : '')}
            empty='No experiments yet: every job belongs to one (default: "default").'
            columns={[
              {
                header: 'Experiment',
                cell: (e) => (
                  <a href={href('experiments', e.name)} aria-current={e.name === selected ? 'true' : undefined}>
                    {e.name}
                  </a>
                ),
              },
              { header: 'Jobs', cell: (e) => e.totalJobs },
              { header: 'Completed', cell: (e) => e.jobCounts.completed },
              { header: 'Failed', cell: (e) => e.jobCounts.failed },
              {
                header: 'Best',
                cell: (e) =>
                  Object.entries(e.best)
                    .sort(([a], [b]) => headlineRank(a) - headlineRank(b))
                    .slice(0, 3)
                    .map(([m, b]) => `${m} ${fmtNumber(b.value)}`)
                    .join(' · '),
              },
              { header: 'Last job', cell: (e) => fmtDate(e.lastJobAt), wide: true },
            ]}
          />
        </section>
      )}
      {selected && (
        <>
          <h2>{selected}</h2>
          <Runs experiment={selected} />
        </>
      )}
    </>
  );
}
