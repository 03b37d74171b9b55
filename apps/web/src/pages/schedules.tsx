import { useState } from 'preact/hooks';
import { DataTable, ListPage } from '../components/table';
import { Badge, ErrorBanner, KeyValues, Loading, Panel, ProgressBar } from '../components/ui';
import { fmtDate, fmtDuration } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';

export function SchedulesPage() {
  const { api } = useSession();
  const list = useAsync(() => api.listSchedules({ pageSize: 100 }), []);
  return (
    <ListPage
      title="Schedules"
      what="schedules"
      state={list}
      label="Schedules"
      rowKey={(s) => s.id}
      empty="No schedules yet."
      columns={[
        { header: 'Schedule', cell: (s) => <a href={href('schedules', s.id)}>{s.name}</a> },
        { header: 'When', cell: (s) => (s.cron ? `${s.cron} (${s.timezone})` : `every ${s.intervalSeconds} s`) },
        { header: 'State', cell: (s) => <Badge status={s.paused ? 'paused' : 'active'} /> },
        { header: 'Promotes', cell: (s) => (s.promote ? `${s.promote.alias} on ${s.promote.metric}` : '–') },
        { header: 'Created', cell: (s) => fmtDate(s.createdAt), wide: true },
      ]}
    />
  );
}

export function SchedulePage({ id }: { id: string }) {
  const session = useSession();
  const { api } = session;
  const schedule = useAsync(() => api.getSchedule(id), [id]);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const s = schedule.data;
  const act = (label: string, fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
      setNote(label);
      schedule.reload();
    } catch (err) {
      setError(err);
    }
  };
  if (schedule.error) return <ErrorBanner error={schedule.error} />;
  if (!s) return <Loading what="the schedule" />;
  return (
    <>
      <div class="row">
        <h1>{s.name}</h1>
        <Badge status={s.paused ? 'paused' : 'active'} />
        <span class="spacer" />
        {canTrain(session) && (
          <>
            {s.paused ? (
              <button type="button" onClick={act('resumed', () => api.resumeSchedule(id))}>
                Resume
              </button>
            ) : (
              <button type="button" onClick={act('paused', () => api.pauseSchedule(id))}>
                Pause
              </button>
            )}
            <button type="button" class="primary" onClick={act('triggered: a job is on its way', () => api.triggerSchedule(id))}>
              Trigger now
            </button>
          </>
        )}
      </div>
      <p class="muted" aria-live="polite">
        {note}
      </p>
      <ErrorBanner error={error} />
      <div class="grid">
        <Panel title="Schedule" id="schedule">
          <KeyValues
            entries={[
              ['when', s.cron ? `${s.cron} (${s.timezone})` : `every ${s.intervalSeconds} s`],
              ['overlap', s.overlap],
              ['promotes', s.promote ? `${s.promote.alias} when ${s.promote.metric} improves by ≥ ${s.promote.minImprovement}` : 'no'],
              ['job', <code>{JSON.stringify({ model: s.job.model, target: s.job.target })}</code>],
              ['created', `${fmtDate(s.createdAt)} by ${s.createdBy}`],
            ]}
          />
        </Panel>
        <Panel title="Next runs" id="next-runs">
          <ul>
            {s.nextRuns.map((t) => (
              <li key={t}>{fmtDate(t)}</li>
            ))}
          </ul>
          {s.paused && <p class="muted">Paused: no run until resumed.</p>}
        </Panel>
      </div>
      <Panel title="Recent jobs" id="recent">
        <DataTable
          label="Recent jobs"
          rows={s.recentJobs}
          rowKey={(j) => j.id}
          empty="No runs yet."
          columns={[
            { header: 'Job', cell: (j) => <a href={href('jobs', j.id)}>{j.name}</a> },
            { header: 'Status', cell: (j) => <Badge status={j.status} /> },
            { header: 'Progress', cell: (j) => <ProgressBar value={j.progress} status={j.status} label={`progress of ${j.name}`} /> },
            { header: 'Model version', cell: (j) => (j.modelVersion ? <a href={href('models', j.modelVersion.name, j.modelVersion.version)}>{`${j.modelVersion.name} v${j.modelVersion.version}`}</a> : '–') },
            { header: 'Duration', cell: (j) => fmtDuration(j.durationSeconds) },
            { header: 'Created', cell: (j) => fmtDate(j.createdAt), wide: true },
          ]}
        />
      </Panel>
    </>
  );
}
