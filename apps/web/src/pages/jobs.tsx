import { useState } from 'preact/hooks';
import type { TrainingJob } from '@trainyard/client';
import { DataTable } from '../components/table';
import { Badge, ErrorBanner, Loading, ProgressBar } from '../components/ui';
import { elapsed, fmtDate, fmtDuration } from '../lib/format';
import { useAsync, useEventStream } from '../lib/hooks';
import { href } from '../lib/router';
import { useSession } from '../lib/session';

const STATUSES = ['', 'queued', 'running', 'completed', 'failed', 'cancelled'];
const MODEL_TYPES = ['', 'xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp', 'lstm', 'ensemble'];

function Choice({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (e: Event) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={onChange}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o || 'any'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Keeps one job row live from its stream: progress, stage and status as they change. */
function LiveRow({ job, onEnd }: { job: TrainingJob; onEnd: () => void }) {
  const { api } = useSession();
  const [live, setLive] = useState({ progress: job.progress, stage: job.stage, status: job.status });
  const running = job.status === 'queued' || job.status === 'running';
  useEventStream(
    running ? (lastEventId, signal) => api.streamJob(job.id, { tail: 1, lastEventId, signal }) : null,
    (events) => {
      for (const e of events) {
        if (e.event === 'progress') setLive({ progress: e.data.progress, stage: e.data.stage, status: e.data.status });
        if (e.event === 'end') onEnd();
      }
    },
    [job.id, running],
  );
  return (
    <tr data-job={job.id}>
      <td>
        <a href={href('jobs', job.id)}>{job.name}</a>
      </td>
      <td>
        <Badge status={live.status} />
      </td>
      <td>{live.stage ?? '–'}</td>
      <td>
        <ProgressBar value={live.progress} status={live.status} label={`progress of ${job.name}`} />
      </td>
      <td>{job.model.type}</td>
      <td class="hide-narrow">{job.experiment}</td>
      <td>{fmtDuration(elapsed(job))}</td>
      <td class="hide-narrow">{fmtDate(job.createdAt)}</td>
    </tr>
  );
}

export function JobsPage() {
  const { api } = useSession();
  const [filter, setFilter] = useState({ status: '', experiment: '', name: '', modelType: '' });
  const [page, setPage] = useState(1);
  const jobs = useAsync(() => api.listJobs({ ...filter, page, pageSize: 25, sort: '-createdAt' }), [JSON.stringify(filter), page]);
  const set = (key: keyof typeof filter) => (e: Event) => {
    setPage(1);
    setFilter({ ...filter, [key]: (e.target as HTMLInputElement).value });
  };
  const data = jobs.data;
  return (
    <>
      <h1>Training jobs</h1>
      <form class="panel row" role="search" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <Choice label="Status" value={filter.status} options={STATUSES} onChange={set('status')} />
        <Choice label="Model type" value={filter.modelType} options={MODEL_TYPES} onChange={set('modelType')} />
        <label>
          Experiment
          <input value={filter.experiment} onChange={set('experiment')} placeholder="any" />
        </label>
        <label>
          Model name
          <input value={filter.name} onChange={set('name')} placeholder="any" />
        </label>
      </form>
      <ErrorBanner error={jobs.error} />
      {!data ? (
        <Loading what="jobs" />
      ) : (
        <section class="panel">
          <DataTable
            label="Training jobs"
            rows={data.items}
            rowKey={(j) => j.id}
            row={(job) => <LiveRow key={job.id} job={job} onEnd={jobs.reload} />}
            empty="No jobs match."
            columns={['Name', 'Status', 'Stage', 'Progress', 'Model', 'Experiment', 'Duration', 'Created'].map((header) => ({ header, cell: () => null, wide: header === 'Experiment' || header === 'Created' }))}
          />
          <div class="row small">
            <span class="muted">
              {data.total} job{data.total === 1 ? '' : 's'}
            </span>
            <span class="spacer" />
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <button type="button" disabled={page * 25 >= data.total} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </div>
        </section>
      )}
    </>
  );
}
