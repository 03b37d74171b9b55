import type { Matrix } from '@trainyard/ml';
import { lightgbmFamily, predictLightGBM, predictXGBoost, trainXGBoost, xgboostToOnnx } from '@trainyard/ml';

export type GbdtEngine = 'xgboost' | 'lightgbm';

/** One set of hyperparameters, given to Trainyard in its camelCase and to the peer under the engine's own names. */
export interface GbdtSpec {
  rounds: number;
  threads: number;
  learningRate: number;
  maxDepth: number;
  maxBin: number;
  seed: number;
  numLeaves?: number;
  minDataInLeaf?: number;
}

/** Each engine's defaults in Trainyard made explicit, so the peer cannot fall back on different ones. */
export function gbdtSpec(engine: GbdtEngine, rounds: number, threads: number): GbdtSpec {
  return engine === 'xgboost'
    ? { rounds, threads, learningRate: 0.1, maxDepth: 6, maxBin: 256, seed: 0 }
    : { rounds, threads, learningRate: 0.1, maxDepth: -1, maxBin: 255, seed: 0, numLeaves: 31, minDataInLeaf: 20 };
}

/** Trainyard's own entry points for an engine: train (with validation), P(class 1) per row, ONNX export. */
export interface GbdtTrainyard {
  train(spec: GbdtSpec, train: Matrix, validation: Matrix): Promise<Uint8Array>;
  positiveProbability(model: Uint8Array, m: Matrix): Promise<Float32Array>;
  toOnnx(model: Uint8Array, featureCount: number): Uint8Array;
  /** The model file suffix the engine's Python package loads. */
  modelFile: string;
}

const xgboost: GbdtTrainyard = {
  async train(spec, train, validation) {
    const params = { numRounds: spec.rounds, maxDepth: spec.maxDepth, learningRate: spec.learningRate, maxBin: spec.maxBin, seed: spec.seed, nthread: spec.threads, treeMethod: 'hist' };
    return (await trainXGBoost({ task: 'classification', numClasses: 2, train, validation, params })).model;
  },
  positiveProbability: (model, m) => predictXGBoost(model, m),
  toOnnx: (model, featureCount) => xgboostToOnnx(model, { featureCount, task: 'classification', classLabels: null }),
  modelFile: 'json',
};

const lightgbm: GbdtTrainyard = {
  async train(spec, train, validation) {
    const params = {
      numRounds: spec.rounds,
      learningRate: spec.learningRate,
      numLeaves: spec.numLeaves,
      maxDepth: spec.maxDepth,
      minDataInLeaf: spec.minDataInLeaf,
      maxBin: spec.maxBin,
      seed: spec.seed,
      nthread: spec.threads,
    };
    return (await lightgbmFamily.train({ task: 'classification', numClasses: 2, train, validation, params })).model;
  },
  async positiveProbability(model, m) {
    return Float32Array.from(await predictLightGBM(model, m));
  },
  toOnnx: (model, featureCount) => lightgbmFamily.toOnnx(model, { featureCount, task: 'classification', classLabels: null }),
  modelFile: 'txt',
};

export const TRAINYARD_GBDT: Record<GbdtEngine, GbdtTrainyard> = { xgboost, lightgbm };
