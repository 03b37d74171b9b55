import { seededRandom, shuffleInPlace } from './seeded-random';

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface HoldoutOptions {
  testSize: number;
  validationSize: number;
  seed: number;
  /** Class index per row; when given, each class is split in the same proportions. */
  strata: ArrayLike<number> | null;
}

/** A seeded random split of rows 0..n-1; each part is returned in ascending row order. */
export function holdoutSplit(n: number, opts: HoldoutOptions): SplitIndices {
  const random = seededRandom(opts.seed);
  const groups = opts.strata ? groupByStratum(opts.strata) : [range(n)];
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const group of groups) {
    shuffleInPlace(group, random);
    let nTest = Math.round(group.length * opts.testSize);
    let nVal = Math.round(group.length * opts.validationSize);
    // Rounding must never take a class's last row away from training.
    while (nTest + nVal >= group.length && nTest + nVal > 0) {
      if (nVal > 0) nVal--;
      else nTest--;
    }
    append(test, group, 0, nTest);
    append(validation, group, nTest, nTest + nVal);
    append(train, group, nTest + nVal, group.length);
  }
  return { train: sorted(train), validation: sorted(validation), test: sorted(test) };
}

/** The last rows in time order are the test set, the ones before them validation, the rest training. */
export function timeOrderedSplit(order: number[], testSize: number, validationSize: number): SplitIndices {
  const n = order.length;
  const nTest = Math.round(n * testSize);
  const nVal = Math.round(n * validationSize);
  const nTrain = Math.max(0, n - nTest - nVal);
  return {
    train: sorted(order.slice(0, nTrain)),
    validation: sorted(order.slice(nTrain, nTrain + nVal)),
    test: sorted(order.slice(nTrain + nVal)),
  };
}

function groupByStratum(strata: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const group = groups.get(strata[i]);
    if (group) group.push(i);
    else groups.set(strata[i], [i]);
  }
  // Visit classes in a fixed order so the PRNG stream, and so the split, depends only on the seed.
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => rows);
}

/** push(...rows) passes every row as an argument, which overflows the stack past some 100k rows. */
function append(to: number[], rows: number[], from: number, end: number): void {
  for (let i = from; i < end; i++) to.push(rows[i]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function sorted(rows: number[]): Int32Array {
  return Int32Array.from(rows).sort();
}
