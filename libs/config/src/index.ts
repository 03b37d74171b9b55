export * from './config';
export * from './data-paths';
export * from './webhook-targets';
