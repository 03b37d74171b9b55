import { useState } from 'preact/hooks';
import { Badge, ErrorBanner, KeyValues, Loading, Panel, ProgressBar } from '../components/ui';
import { fmtDate, fmtDuration } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { href } from '../lib/router';
import { canTrain, useSession } from '../lib/session';

export function SchedulesPage() {
  const { api } = useSession();
  const list = useAsync(() => api.listSchedules({ pageSize: 100 }), []);
  return (
    <>
      <h1>Schedules</h1>
      <ErrorBanner error={list.error} />
      {!list.data ? (
        <Loading what="schedules" />
      ) : (
        <section class="panel">
          <div class="table-wrap">
            <table aria-label="Schedules">
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">When</th>
                  <th scope="col">State</th>
                  <th scope="col">Promotes</th>
                  <th scope="col" class="hide-narrow">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <a href={href('schedules', s.id)}>{s.name}</a>
                    </td>
                    <td>{s.cron ? `${s.cron} (${s.timezone})` : `every ${s.intervalSeconds} s`}</td>
                    <td>
                      <Badge status={s.paused ? 'paused' : 'active'} />
                    </td>
                    <td>{s.promote ? `${s.promote.alias} on ${s.promote.metric}` : '–'}</td>
                    <td class="hide-narrow">{fmtDate(s.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.items.length === 0 && <p class="muted">No schedules yet.</p>}
        </section>
      )}
    </>
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
              ['promotes', s.promote ? `${s.promote.alias} when ${s.promote.metric} improves by ≥ ${s.promote.minImprovement ?? 0}` : 'no'],
              ['job', <code>{JSON.stringify({ model: (s.job as { model?: unknown }).model, target: (s.job as { target?: unknown }).target })}</code>],
              ['created', `${fmtDate(s.createdAt)} by ${s.createdBy}`],
            ]}
          />
        </Panel>
        <Panel title="Next runs" id="next-runs">
          <ul>
            {(s.nextRuns ?? []).map((t) => (
              <li key={t}>{fmtDate(t)}</li>
            ))}
          </ul>
          {s.paused && <p class="muted">Paused: no run until resumed.</p>}
        </Panel>
      </div>
      <Panel title="Recent jobs" id="recent">
        <div class="table-wrap">
          <table aria-label="Recent jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Model version</th>
                <th scope="col">Duration</th>
                <th scope="col" class="hide-narrow">Created</th>
              </tr>
            </thead>
            <tbody>
              {(s.recentJobs ?? []).map((j) => (
                <tr key={j.id}>
                  <td>
                    <a href={href('jobs', j.id)}>{j.name}</a>
                  </td>
                  <td>
                    <Badge status={j.status} />
                  </td>
                  <td>
                    <ProgressBar value={j.progress} status={j.status} label={`progress of ${j.name}`} />
                  </td>
                  <td>{j.modelVersion ? <a href={href('models', j.modelVersion.name, j.modelVersion.version)}>{`${j.modelVersion.name} v${j.modelVersion.version}`}</a> : '–'}</td>
                  <td>{fmtDuration(j.durationSeconds)}</td>
                  <td class="hide-narrow">{fmtDate(j.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {(s.recentJobs ?? []).length === 0 && <p class="muted">No runs yet.</p>}
      </Panel>
    </>
  );
}
