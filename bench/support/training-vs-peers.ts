import { join } from 'node:path';
import type { Matrix } from '@trainyard/ml';
import { rocAuc } from '@trainyard/ml';
import type { BenchSplit } from './bench-split';
import { withContention } from './cpu-contention';
import type { GbdtEngine, GbdtSpec } from './gbdt-engines';
import { TRAINYARD_GBDT } from './gbdt-engines';
import { readFloat32File } from './matrix-file';
import { runPeer } from './python-peer';
import { fmt, percentile, report, reportPairedRatio } from './stats';

export interface TrainingComparison {
  trainyardSeconds: number;
  peerSeconds: number;
  trainyardAuc: number;
  peerAuc: number;
  /** Trainyard / peer time of each repeat (the two sides run back to back), to show the spread behind the median. */
  pairedRatios: number[];
  /** Trainyard's model, for the inference comparison. */
  model: Uint8Array;
  /** CPU share other processes took meanwhile (see withContention). */
  othersShare: number;
}

/**
 * Trains with Trainyard and with the engine's Python package on one split, alternating sides each repeat so a
 * neighbour's load hits both; both AUCs come from Trainyard's rocAuc on the same test rows.
 */
export async function compareTraining(engine: GbdtEngine, split: BenchSplit, spec: GbdtSpec, repeats: number, dir: string, trainings = 1): Promise<TrainingComparison> {
  const { result, othersShare } = await withContention(() => trainBothSides(engine, split, spec, repeats, dir, trainings));
  return { ...result, othersShare };
}

/** Each repeat times the median of `trainings` trainings on each side, so runs of milliseconds still compare. */
async function trainBothSides(engine: GbdtEngine, split: BenchSplit, spec: GbdtSpec, repeats: number, dir: string, trainings: number): Promise<Omit<TrainingComparison, 'othersShare'>> {
  const trainyard = TRAINYARD_GBDT[engine];
  const ours: number[] = [];
  const theirs: number[] = [];
  const predictionsPath = join(dir, `${split.name}.${engine}.peer-predictions.bin`);
  let model: Uint8Array | null = null;
  for (let i = 0; i < repeats; i++) {
    const times: number[] = [];
    for (let k = 0; k < trainings; k++) {
      const t0 = performance.now();
      model = await trainyard.train(spec, split.train, split.validation);
      times.push((performance.now() - t0) / 1000);
    }
    ours.push(percentile(times, 50));
    const { paths } = split;
    const peer = await runPeer<{ trainSeconds: number }>('gbdt_train.py', [engine, paths.train, paths.validation, paths.test, JSON.stringify(spec), predictionsPath, String(trainings)]);
    theirs.push(peer.trainSeconds);
  }
  const trainyardAuc = auc(split.test, await trainyard.positiveProbability(model!, split.test));
  const peerAuc = auc(split.test, await readFloat32File(predictionsPath));
  const pairedRatios = ours.map((t, i) => t / theirs[i]!);
  return { trainyardSeconds: percentile(ours, 50), peerSeconds: percentile(theirs, 50), pairedRatios, trainyardAuc, peerAuc, model: model! };
}

export function reportTraining(label: string, c: TrainingComparison): void {
  report(`${label}: Trainyard / python (s), others ${fmt(100 * c.othersShare, 0)}% CPU`, `${fmt(c.trainyardSeconds)} / ${fmt(c.peerSeconds)}`);
  reportPairedRatio(`${label}: time ratio`, c.trainyardSeconds / c.peerSeconds, c.pairedRatios, '≤ 1.05', 3);
  report(`${label}: |Δ rocAuc| (${fmt(c.trainyardAuc, 4)} vs ${fmt(c.peerAuc, 4)})`, fmt(Math.abs(c.trainyardAuc - c.peerAuc), 4), '≤ 0.005');
}

function auc(m: Matrix, positive: Float32Array): number {
  if (positive.length !== m.rows) throw new Error(`expected ${m.rows} predictions, got ${positive.length}`);
  return rocAuc(Array.from(m.labels, (y) => y === 1), positive) ?? NaN;
}
