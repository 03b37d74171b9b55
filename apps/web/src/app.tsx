import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner } from './components/ui';
import { href, useRoute } from './lib/router';
import { forgetToken, SessionContext, signIn, storedToken, type Session } from './lib/session';
import { DatasetPage, DatasetsPage } from './pages/datasets';
import { ExperimentsPage } from './pages/experiments';
import { JobPage } from './pages/job';
import { JobsPage } from './pages/jobs';
import { ModelPage, ModelsPage } from './pages/models';
import { SchedulePage, SchedulesPage } from './pages/schedules';
import { StudiesPage, StudyPage } from './pages/studies';

const SECTIONS = [
  ['jobs', 'Jobs'],
  ['experiments', 'Experiments'],
  ['studies', 'Studies'],
  ['models', 'Models'],
  ['datasets', 'Datasets'],
  ['schedules', 'Schedules'],
] as const;

function SignIn({ onSession }: { onSession: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await signIn(token.trim()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="content" class="signin">
      <section class="panel">
        <h1>Sign in to Trainyard</h1>
        <p class="muted small">Paste an API token. It is kept in this tab's session storage only, and sent only to this server.</p>
        <ErrorBanner error={error} />
        <form class="stack" onSubmit={submit}>
          <label>
            API token
            <input type="password" name="token" autocomplete="off" required value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
          </label>
          <button class="primary" type="submit" disabled={busy || !token.trim()}>
            Sign in
          </button>
        </form>
      </section>
    </main>
  );
}

function Page({ route }: { route: string[] }) {
  const [section, id] = route;
  switch (section) {
    case 'jobs':
      return id ? <JobPage id={id} /> : <JobsPage />;
    case 'experiments':
      return <ExperimentsPage name={id} />;
    case 'studies':
      return id ? <StudyPage id={id} /> : <StudiesPage />;
    case 'models':
      return id ? <ModelPage name={id} version={route[2] ? Number(route[2]) : undefined} /> : <ModelsPage />;
    case 'datasets':
      return id ? <DatasetPage id={id} /> : <DatasetsPage />;
    case 'schedules':
      return id ? <SchedulePage id={id} /> : <SchedulesPage />;
    default:
      return <JobsPage />;
  }
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(Boolean(storedToken()));
  const route = useRoute();

  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    signIn(token).then(setSession, () => forgetToken()).finally(() => setRestoring(false));
  }, []);

  if (restoring) return <p class="muted">Signing in…</p>;
  if (!session) return <SignIn onSession={setSession} />;
  const current = route[0] ?? 'jobs';
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#content" onClick={(e) => (e.preventDefault(), document.getElementById('content')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('jobs')}>
          Trainyard
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map(([key, label]) => (
            <a key={key} href={href(key)} aria-current={current === key ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">
          <span>
            {session.me.name} · {session.me.role} · {session.me.tenant}
          </span>
          <button
            type="button"
            onClick={() => {
              forgetToken();
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="content" tabIndex={-1}>
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}
