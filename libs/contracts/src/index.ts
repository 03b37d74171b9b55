export * from './task-queues';
export * from './failures';
export * from './training';
export * from './pipeline';
export * from './metrics';
export * from './study';
export * from './stored-object';
export * from './study-workflow';
