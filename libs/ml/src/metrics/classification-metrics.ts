import { MlError } from '../errors';
import { rocAuc } from './roc-auc';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Macro averages over classes. */
  precision: number;
  recall: number;
  f1: number;
  /** Binary: AUC of class 1; multiclass: macro one-vs-rest over classes present with both outcomes. Null when undefined. */
  rocAuc: number | null;
  logLoss: number;
  perClass: Record<string, ClassMetrics>;
  /** confusionMatrix[true][predicted]. */
  confusionMatrix: number[][];
}

/** Probabilities are clipped here before the log, as scikit-learn does. */
const LOG_LOSS_EPSILON = 1e-15;

/** Scores class-index labels against row-major probabilities (rows x classes, classes >= 2). */
export function classificationMetrics(yTrue: Float32Array, proba: Float32Array, classLabels: string[]): ClassificationMetrics {
  const k = classLabels.length;
  const rows = yTrue.length;
  if (k < 2) throw new MlError('INTERNAL', `classificationMetrics needs at least 2 classes, got ${k}`);
  if (proba.length !== rows * k) throw new MlError('INTERNAL', `Expected ${rows}x${k} probabilities, got ${proba.length}`);
  if (rows === 0) throw new MlError('INSUFFICIENT_DATA', 'classificationMetrics needs at least one row');

  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logLossSum = 0;
  for (let r = 0; r < rows; r++) {
    const truth = yTrue[r]!;
    if (!Number.isInteger(truth) || truth < 0 || truth >= k) {
      throw new MlError('INTERNAL', `Label ${truth} at row ${r} is not a class index in [0, ${k})`);
    }
    const row = proba.subarray(r * k, (r + 1) * k);
    confusion[truth]![argmax(row)]!++;
    const p = Math.min(Math.max(row[truth]!, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    logLossSum -= Math.log(p);
  }

  const perClass: Record<string, ClassMetrics> = {};
  const stats = classLabels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[c]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    return { precision, recall, f1, tp };
  });

  return {
    accuracy: stats.reduce((s, c) => s + c.tp, 0) / rows,
    precision: mean(stats.map((s) => s.precision)),
    recall: mean(stats.map((s) => s.recall)),
    f1: mean(stats.map((s) => s.f1)),
    rocAuc: k === 2 ? classAuc(yTrue, proba, k, 1) : macroAuc(yTrue, proba, k),
    logLoss: logLossSum / rows,
    perClass,
    confusionMatrix: confusion,
  };
}

function classAuc(yTrue: Float32Array, proba: Float32Array, k: number, c: number): number | null {
  const positive = Array.from(yTrue, (y) => y === c);
  const scores = Float64Array.from({ length: yTrue.length }, (_, r) => proba[r * k + c]!);
  return rocAuc(positive, scores);
}

function macroAuc(yTrue: Float32Array, proba: Float32Array, k: number): number | null {
  const aucs: number[] = [];
  for (let c = 0; c < k; c++) {
    const auc = classAuc(yTrue, proba, k, c);
    if (auc !== null) aucs.push(auc);
  }
  return aucs.length ? mean(aucs) : null;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
