import { classCounts } from './class-distribution';
import { seededRandom } from './seeded-random';

/**
 * Random oversampling: positions of the training split plus random repeats (with replacement, seeded) of every
 * smaller class until each has as many rows as the largest. Returned sorted, so a repeat sits beside its original
 * and time order survives for families that read it.
 */
export function oversample(train: Int32Array, labelOf: (position: number) => number, numClasses: number, seed: number): Int32Array {
  const byClass = Array.from({ length: numClasses }, (): number[] => []);
  for (const p of train) byClass[labelOf(p)]!.push(p);
  const target = Math.max(...classCounts(Array.from(train, labelOf), numClasses));
  const random = seededRandom(seed ^ 0x5bd1e995);
  const out = Array.from(train);
  for (const rows of byClass) {
    if (rows.length === 0) continue;
    for (let n = rows.length; n < target; n++) out.push(rows[Math.floor(random() * rows.length)]!);
  }
  return Int32Array.from(out).sort();
}
