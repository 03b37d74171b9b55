import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { precisionRecallCurve, rocCurve } from './curves';
import { rocAuc } from './roc-auc';

/** The rank-sum AUC as it was computed before, sorting an index array with a comparator: the reference. */
function referenceAuc(positive: boolean[], scores: number[]): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    for (let i = start; i <= end; i++) {
      if (!positive[order[i]!]) continue;
      positives++;
      rankSum += (start + end) / 2 + 1;
    }
    start = end + 1;
  }
  const negatives = n - positives;
  return positives === 0 || negatives === 0 ? null : (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A pairwise count, the definition itself: P(score of a positive > score of a negative), ties counting half. */
function pairwiseAuc(positive: boolean[], scores: number[]): number | null {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!positive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (positive[j]) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

function sample(n: number, levels: number, seed: number): { positive: boolean[]; scores: number[] } {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const scores = Array.from({ length: n }, () => Math.round(next() * levels) / levels);
  const positive = scores.map((v) => next() < 0.3 + 0.4 * v);
  return { positive, scores };
}

describe('score groups', () => {
  it('gives the AUC of the comparator sort and of the pairwise definition, with and without ties', () => {
    for (const [n, levels, seed] of [[0, 10, 1], [1, 10, 2], [2, 1, 3], [300, 5, 4], [500, 1e9, 5], [2000, 40, 6]] as const) {
      const { positive, scores } = sample(n, levels, seed);
      const auc = rocAuc(positive, scores);
      assert.equal(auc, referenceAuc(positive, scores), `n=${n}, ${levels} levels`);
      const pairwise = pairwiseAuc(positive, scores);
      if (pairwise === null) assert.equal(auc, null);
      else assert.ok(Math.abs(auc! - pairwise) < 1e-12, `n=${n}: ${auc} against ${pairwise}`);
    }
  });

  it('sweeps thresholds from the highest score down, one point per distinct score', () => {
    const positive = [true, false, true, true, false, false];
    const scores = [0.9, 0.9, 0.7, 0.4, 0.4, 0.1];
    const roc = rocCurve(positive, scores).map((p) => [p.threshold, p.falsePositiveRate, p.truePositiveRate]);
    assert.deepEqual(roc, [[Infinity, 0, 0], [0.9, 1 / 3, 1 / 3], [0.7, 1 / 3, 2 / 3], [0.4, 2 / 3, 1], [0.1, 1, 1]]);
    const pr = precisionRecallCurve(positive, scores).map((p) => [p.threshold, p.precision, p.recall]);
    assert.deepEqual(pr, [[0.9, 1 / 2, 1 / 3], [0.7, 2 / 3, 2 / 3], [0.4, 3 / 5, 1], [0.1, 1 / 2, 1]]);
  });
});
