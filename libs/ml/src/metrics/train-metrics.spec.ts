import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Matrix } from '../matrix';
import { sampleRows, trainMetrics } from './train-metrics';

const matrix = (rows: number): Matrix => ({
  rows,
  cols: 2,
  data: Float32Array.from({ length: rows * 2 }, (_, i) => i),
  labels: Float32Array.from({ length: rows }, (_, r) => r % 2),
});

describe('trainMetrics', () => {
  it('scores every training row of a small set', async () => {
    const m = matrix(100);
    // A perfect classifier: probability 1 on each row's own class.
    const predict = async (x: Matrix) => Float32Array.from({ length: x.rows * 2 }, (_, i) => (i % 2 === x.labels[i >> 1] ? 1 : 0));
    const result = await trainMetrics(m, { task: 'classification', classLabels: ['even', 'odd'], predict });
    assert.equal(result.rows, 100);
    assert.equal(result.sampled, false);
    assert.equal((result.metrics as { accuracy: number }).accuracy, 1);
  });

  it('scores a seeded sample of a large set, rows kept in order', async () => {
    let seen = 0;
    const m = matrix(50_000);
    const result = await trainMetrics(m, {
      task: 'regression',
      classLabels: null,
      maxRows: 1000,
      predict: async (x) => ((seen = x.rows), x.labels.map((y) => y + 1)),
    });
    assert.deepEqual([result.rows, result.sampled, seen], [1000, true, 1000]);
    assert.equal((result.metrics as { mae: number }).mae, 1);
    const sample = sampleRows(m, 1000, 0);
    const firstColumn = Array.from({ length: sample.rows }, (_, r) => sample.data[r * 2]!);
    assert.ok(firstColumn.every((v, i) => i === 0 || v > firstColumn[i - 1]!), 'rows stay in order, each once');
    assert.deepEqual(sampleRows(m, 1000, 0), sample, 'seeded');
    firstColumn.forEach((v, r) => assert.equal(sample.labels[r], (v / 2) % 2));
  });
});
