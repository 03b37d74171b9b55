export * from './job-store';
export * from './event-store';
export * from './build-training-job';
export * from './experiment-store';
export * from './live-notices';
