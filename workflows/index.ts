export * from './training.workflow';
export * from './event-delivery.workflow';
export * from './scheduled-training.workflow';
export * from './retention.workflow';
export * from './study.workflow';
