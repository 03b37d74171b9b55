import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation } from '@trainyard/contracts';
import type { NumericColumn } from '../../data/frame';
import { regressionMetrics } from '../../metrics/regression-metrics';
import { prepareData } from '../../preprocess/prepare-data';
import { syntheticDailySeries } from '../../preprocess/synthetic-series';
import { lstmFamily } from './lstm-family';

describe('lstm defaults beat the naive forecasts', () => {
  it('forecasts tomorrow of a daily temperature series better than the last value and the same day last year', async () => {
    const frame = syntheticDailySeries(1100, 2);
    // `date` orders the rows; as a feature its trend parts lie beyond the training range in every test row.
    const p = prepareData(frame, {
      target: 'next_temp',
      features: null,
      exclude: ['date'],
      task: 'regression',
      validation: { ...defaultValidation, method: 'time_series', timeColumn: 'date' },
      scaling: true,
      impute: true,
    });
    const started = performance.now();
    const result = await lstmFamily.train({ task: 'regression', numClasses: 0, train: p.train, validation: p.validation, params: {} });
    const elapsed = performance.now() - started;
    const lstm = regressionMetrics(p.test.labels, await lstmFamily.predict(result.model, p.test, 0));
    const temp = (frame.columns.find((c) => c.name === 'temp') as NumericColumn).values;
    const testRows = Array.from(p.frameRows!.test);
    // Tomorrow's naive forecasts: today's value, and the value 365 days before tomorrow.
    const naive = regressionMetrics(p.test.labels, testRows.map((row) => temp[row]!));
    const seasonal = regressionMetrics(p.test.labels, testRows.map((row) => temp[row - 364]!));
    console.log(
      `lstm defaults: ${result.rounds} epochs (stopped early: ${result.stoppedEarly}) in ${elapsed.toFixed(0)} ms; test rmse ${lstm.rmse.toFixed(3)} (r2 ${lstm.r2.toFixed(3)}) ` +
        `vs last value ${naive.rmse.toFixed(3)} (r2 ${naive.r2.toFixed(3)}), seasonal naive ${seasonal.rmse.toFixed(3)}`,
    );
    assert.ok(lstm.rmse < 0.93 * naive.rmse, `rmse ${lstm.rmse} vs last value ${naive.rmse}`);
    assert.ok(lstm.rmse < 0.8 * seasonal.rmse, `rmse ${lstm.rmse} vs seasonal naive ${seasonal.rmse}`);
  });
});
