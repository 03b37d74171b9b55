export * from './temporal-client';
export * from './worker-factory';
export * from './event-delivery';
