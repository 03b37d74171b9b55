import type { ComponentChildren } from 'preact';
import { TrainyardApiError } from '@trainyard/client';

/** A progress bar people and screen readers can read: role=progressbar with its value. */
export function ProgressBar({ value, status, label }: { value: number; status?: string; label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <span class={`progress ${status ?? ''}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <span class="track">
        <span class="fill" style={{ width: `${pct}%` }} />
      </span>
      <span class="pct">{pct}%</span>
    </span>
  );
}

export function Badge({ status }: { status: string }) {
  return <span class={`badge ${status}`}>{status}</span>;
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof TrainyardApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return (
    <div class="alert" role="alert">
      {text}
    </div>
  );
}

export function Panel({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="panel" aria-labelledby={id ? `${id}-title` : undefined}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

export function NotRecorded({ what }: { what: string }) {
  return <p class="note">{what}: not recorded for this job.</p>;
}

export function KeyValues({ entries }: { entries: [string, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {entries.map(([k, v]) => [<dt key={`${k}-k`}>{k}</dt>, <dd key={`${k}-v`}>{v ?? '–'}</dd>])}
    </dl>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}
