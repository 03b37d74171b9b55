export * from './contract';
export * from './errors';
export * from './event-stream';
export * from './trainyard-api';
export type { components, operations, paths } from './schema';
