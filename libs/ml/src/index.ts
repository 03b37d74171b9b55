export * from './errors';
export * from './matrix';
export * from './data/frame';
