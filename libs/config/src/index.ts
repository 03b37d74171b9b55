export * from './config';
export * from './data-paths';
