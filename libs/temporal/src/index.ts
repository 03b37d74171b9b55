export * from './temporal-client';
export * from './worker-factory';
