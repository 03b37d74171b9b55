export * from './job-store';
export * from './event-store';
export * from './build-training-job';
export * from './live-notices';
