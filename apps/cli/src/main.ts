import { TrainyardApi, TrainyardApiError, TrainyardConnectionError } from '@trainyard/client';
import { datasets, DATASETS_USAGE } from './commands/datasets';
import { jobs, JOBS_USAGE } from './commands/jobs';
import { login, LOGIN_USAGE } from './commands/login';
import { models, MODELS_USAGE } from './commands/models';
import { schedules, SCHEDULES_USAGE } from './commands/schedules';
import { studies, STUDIES_USAGE } from './commands/studies';
import { UsageError, type Context } from './context';
import { resolveConnection } from './profile';
import { detectTerminal, paint } from './terminal';

const COMMANDS: Record<string, { usage: string; run: (argv: string[], ctx: Context) => Promise<number> }> = {
  datasets: { usage: DATASETS_USAGE, run: datasets },
  jobs: { usage: JOBS_USAGE, run: jobs },
  studies: { usage: STUDIES_USAGE, run: studies },
  models: { usage: MODELS_USAGE, run: models },
  schedules: { usage: SCHEDULES_USAGE, run: schedules },
};

const USAGE = `trainyard: the Trainyard command line

${LOGIN_USAGE}

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Every command takes --json (machine-readable output), --url URL and --no-color.
Connection: --url, else TRAINYARD_URL, else the login profile; token: TRAINYARD_TOKEN, else the profile.
Exit codes: 0 done, 1 the API refused or the job/study did not complete, 2 usage error, 3 API unreachable.`;

/** Runs one command line; returns the exit code (never throws). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const json = argv.includes('--json');
  const term = detectTerminal(env, argv.includes('--no-color'));
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      term.out(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version') {
      term.out('trainyard 0.1.0 (API v1)');
      return 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      term.out(command === 'login' ? LOGIN_USAGE : (COMMANDS[command]?.usage ?? USAGE));
      return 0;
    }
    const urlFlag = rest.indexOf('--url');
    const { url, token } = await resolveConnection({ url: urlFlag >= 0 ? rest[urlFlag + 1] : undefined }, env);
    if (command === 'login') return await login(rest, { term, json, url, env });
    const entry = COMMANDS[command];
    if (!entry) throw new UsageError(`unknown command "${command}"`);
    if (!token) {
      term.err('error: not signed in: run `trainyard login` or set TRAINYARD_TOKEN');
      return 2;
    }
    return await entry.run(rest, { api: new TrainyardApi({ baseUrl: url, token }), term, json, url, env });
  } catch (err) {
    term.status(null);
    return report(err, term, json, command);
  }
}

/** Prints an error as `error: CODE: message` (or JSON with --json) and picks its exit code. */
function report(err: unknown, term: ReturnType<typeof detectTerminal>, json: boolean, command: string | undefined): number {
  if (err instanceof UsageError) {
    term.err(`error: ${err.message}`);
    term.err(`usage:\n${command === 'login' ? LOGIN_USAGE : (COMMANDS[command ?? '']?.usage ?? USAGE)}`);
    return 2;
  }
  if (err instanceof TrainyardApiError) {
    if (json) term.err(JSON.stringify({ error: { status: err.status, code: err.code, message: err.message, details: err.details } }));
    else {
      term.err(`${paint(term, 'red', 'error')}: ${err.code}: ${err.message}`);
      for (const f of (err.details.fields as { field: string; message: string }[] | undefined) ?? []) term.err(`  ${f.field}: ${f.message}`);
    }
    return 1;
  }
  if (err instanceof TrainyardConnectionError) {
    term.err(`error: ${err.message}`);
    return 3;
  }
  term.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}
