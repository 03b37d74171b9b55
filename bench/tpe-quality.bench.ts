/**
 * Trainyard's TPE sampler vs Optuna's TPESampler (defaults except seed and n_startup_trials) on Branin, Hartmann-6,
 * Rosenbrock-5D and XGBoost on breast_cancer (validation log loss), all minimised. Both samplers drive the same Python
 * objectives (bench/peers/optuna_quality.py): Trainyard's runs here and sends each suggestion over stdin/stdout JSON
 * lines. Prints the median best value at 50 and 200 trials over the seeds, and each sampler's time per suggestion at
 * ~200 trials, and one-sided Mann-Whitney p-values over the per-seed bests (is one side's spread of results
 * shifted worse than the other's?). Needs the Python peers in bench/.venv; no database or Temporal.
 * Sizes: BENCH_TPE_SEEDS (10), BENCH_TPE_XGB_SEEDS (BENCH_TPE_SEEDS), BENCH_TPE_TRIALS (200),
 * BENCH_TPE_STARTUP (10), BENCH_TPE_SEED_OFFSET (0: seeds 0, 1, …; another offset checks a result on fresh seeds); BENCH_TPE_ONLY=branin,hartmann6,rosenbrock5,xgboost picks objectives;
 * BENCH_TPE_MULTIVARIATE=0 runs Trainyard's one-parameter-at-a-time model instead of the joint one.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSampler, validateSearchSpace, type SearchSpace, type TrialRecord } from '../workflows/search';
import { peersInstalled, PYTHON, runPeer } from './support/python-peer';
import { fmt } from './support/stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SEEDS = env('BENCH_TPE_SEEDS', 10);
const XGB_SEEDS = env('BENCH_TPE_XGB_SEEDS', SEEDS);
const TRIALS = env('BENCH_TPE_TRIALS', 200);
const STARTUP = env('BENCH_TPE_STARTUP', 10);
const SEED_OFFSET = env('BENCH_TPE_SEED_OFFSET', 0);
const CHECKPOINTS = [50, 200].filter((c) => c <= TRIALS);
const MULTIVARIATE = process.env.BENCH_TPE_MULTIVARIATE !== '0';
const OBJECTIVES = (process.env.BENCH_TPE_ONLY ?? 'branin,hartmann6,rosenbrock5,xgboost').split(',');
const PEER = join(__dirname, '..', '..', 'bench', 'peers', 'optuna_quality.py');

interface RunResult {
  /** best value at each checkpoint, per seed */
  best: number[][];
  askMs: number;
}

/** One long-lived `optuna_quality.py serve` process answering objective evaluations in order. */
function objectiveServer(): { evaluate(objective: string, params: Record<string, unknown>): Promise<number>; close(): void } {
  const child = spawn(PYTHON, [PEER, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((value: number) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.((JSON.parse(line) as { value: number }).value));
  return {
    evaluate(objective, params) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify({ objective, params })}\n`);
      });
    },
    close: () => child.stdin.end(),
  };
}

async function runTrainyard(objective: string, space: SearchSpace, seeds: number[]): Promise<RunResult> {
  const server = objectiveServer();
  const best: number[][] = [];
  const lateMs: number[] = [];
  try {
    for (const seed of seeds) {
      const sampler = createSampler('tpe', space, { seed, direction: 'minimize', nStartupTrials: STARTUP, multivariate: MULTIVARIATE });
      const history: TrialRecord[] = [];
      let state: unknown = null;
      let running = Infinity;
      const at: number[] = [];
      for (let i = 0; i < TRIALS; i++) {
        const start = performance.now();
        const s = sampler.suggest(state, history);
        if (i >= TRIALS - 10) lateMs.push(performance.now() - start);
        state = s.state;
        const value = await server.evaluate(objective, s.params!);
        history.push({ number: i, params: s.params!, status: Number.isFinite(value) ? 'completed' : 'failed', value: Number.isFinite(value) ? value : null });
        if (Number.isFinite(value)) running = Math.min(running, value);
        if (CHECKPOINTS.includes(i + 1)) at.push(running);
      }
      best.push(at);
    }
  } finally {
    server.close();
  }
  return { best, askMs: lateMs.reduce((a, b) => a + b, 0) / lateMs.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** better / worse / tie on medians: a tie when they differ by under 1% of the larger magnitude (or 1e-6). */
function verdict(ours: number, theirs: number): string {
  if (Math.abs(ours - theirs) <= Math.max(1e-6, 0.01 * Math.max(Math.abs(ours), Math.abs(theirs)))) return 'tie';
  return ours < theirs ? 'better' : 'worse';
}

/**
 * One-sided Mann-Whitney U test (normal approximation with tie correction): the p-value for "our best values tend
 * to be larger (worse, when minimising) than Optuna's". With 10 seeds a median can move by a few percent on luck;
 * this says whether a difference is more than that.
 */
function pWorse(ours: number[], theirs: number[]): number {
  const all = [...ours.map((v) => ({ v, ours: true })), ...theirs.map((v) => ({ v, ours: false }))].sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const n1 = ours.length;
  const n2 = theirs.length;
  const u = all.reduce((sum, x, i) => sum + (x.ours ? ranks[i] : 0), 0) - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2 - 0.5) / sd;
  return 0.5 * erfcApprox(z / Math.SQRT2);
}

/** erfc to ~1e-7 (Abramowitz-Stegun 7.1.26 on |x|), enough for a p-value. */
function erfcApprox(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const e = poly * Math.exp(-x * x);
  return x >= 0 ? e : 2 - e;
}

async function main(): Promise<void> {
  if (!peersInstalled()) {
    console.log('bench/.venv is missing: run `npm run bench` once to install the Python peers');
    return;
  }
  const spaces = await runPeer<Record<string, SearchSpace>>('optuna_quality.py', ['spaces']);
  console.log(`TPE quality: Trainyard vs Optuna TPESampler, ${TRIALS} trials, n_startup_trials ${STARTUP}, median best over seeds (minimise)`);
  console.log(`${'objective'.padEnd(12)} ${'trials'.padStart(6)} ${'seeds'.padStart(5)} ${'Trainyard'.padStart(12)} ${'Optuna'.padStart(12)}  verdict   p(worse)  p(better)  ms/suggest @${TRIALS} (Trainyard / Optuna)`);
  for (const objective of OBJECTIVES) {
    const space = spaces[objective];
    const issues = validateSearchSpace(space);
    if (issues.length) throw new Error(`${objective}: ${JSON.stringify(issues)}`);
    const seeds = Array.from({ length: objective === 'xgboost' ? XGB_SEEDS : SEEDS }, (_, i) => SEED_OFFSET + i);
    // The two samplers run side by side: one core each.
    const [ours, theirs] = await Promise.all([
      runTrainyard(objective, space, seeds),
      runPeer<RunResult>('optuna_quality.py', ['optuna', objective, String(TRIALS), seeds.join(','), String(STARTUP), CHECKPOINTS.join(',')]),
    ]);
    CHECKPOINTS.forEach((trials, c) => {
      const a = median(ours.best.map((b) => b[c]));
      const b = median(theirs.best.map((b) => b[c]));
      const ms = c === CHECKPOINTS.length - 1 ? `${fmt(ours.askMs, 3)} / ${fmt(theirs.askMs, 1)}` : '';
      const ourBests = ours.best.map((x) => x[c]);
      const theirBests = theirs.best.map((x) => x[c]);
      const p = `${fmt(pWorse(ourBests, theirBests), 3).padStart(8)}  ${fmt(pWorse(theirBests, ourBests), 3).padStart(9)}`;
      console.log(`${objective.padEnd(12)} ${String(trials).padStart(6)} ${String(seeds.length).padStart(5)} ${fmt(a, 4).padStart(12)} ${fmt(b, 4).padStart(12)}  ${verdict(a, b).padEnd(8)}  ${p}  ${ms}`);
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
