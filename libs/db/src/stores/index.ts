export * from './job-store';
export * from './event-store';
