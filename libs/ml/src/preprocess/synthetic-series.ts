import type { Frame } from '../data/frame';
import { seededRandom } from './seeded-random';

const DAY_MS = 86_400_000;
const FROM_MS = Date.UTC(1981, 0, 1);

/**
 * A daily weather series shaped like the public daily minimum temperatures of Melbourne (1981-1990): an annual
 * cycle (mean 11 °C, amplitude 4.5 °C, coldest in mid-July), a slow warming trend, a weekly wobble and AR(1)
 * day-to-day anomalies (phi 0.7, innovation sd 2.2 °C), plus rain that cools the next day. Rows are in time order:
 * `date` (datetime), `temp` and `rain` (that day's readings) and the target `next_temp`, the following day's
 * temperature. A forecaster that predicts `temp` (the last value) is the naive baseline to beat.
 */
export function syntheticDailySeries(days: number, seed: number): Frame {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const temps = new Float64Array(days + 1);
  const rain = new Float64Array(days + 1);
  let anomaly = 0;
  for (let t = 0; t <= days; t++) {
    const season = 11 + 4.5 * Math.cos((2 * Math.PI * (t - 15)) / 365.25);
    const weekly = 0.6 * Math.sin((2 * Math.PI * t) / 7);
    const rained = random() < 0.3 ? random() * 10 : 0;
    anomaly = 0.6 * anomaly + 2.2 * gaussian() - (t > 0 ? 0.25 * rain[t - 1] : 0);
    temps[t] = season + weekly + 0.0005 * t + anomaly;
    rain[t] = rained;
  }
  return {
    rowCount: days,
    columns: [
      { name: 'date', type: 'datetime', nullCount: 0, values: Float64Array.from({ length: days }, (_, t) => FROM_MS + t * DAY_MS) },
      { name: 'temp', type: 'number', nullCount: 0, values: temps.slice(0, days) },
      { name: 'rain', type: 'number', nullCount: 0, values: rain.slice(0, days) },
      { name: 'next_temp', type: 'number', nullCount: 0, values: temps.slice(1, days + 1) },
    ],
  };
}
