export * from './search-space';
export * from './prng';
export * from './sampler.types';
export * from './sampler';
export * from './grid-sampler';
export * from './pruner';
export * from './trial-ranking';
