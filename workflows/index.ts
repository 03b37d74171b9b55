export * from './training.workflow';
export * from './event-delivery.workflow';
