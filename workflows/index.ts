export * from './training.workflow';
