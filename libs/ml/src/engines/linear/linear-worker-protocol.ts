import type { LinearFitOutput, LinearProgress } from './linear-fit';

/** Values of the shared control word the worker waits on after each iteration. */
export const CONTROL_WAITING = 0;
export const CONTROL_CONTINUE = 1;
export const CONTROL_STOP = 2;

export type LinearWorkerMessage = { type: 'progress'; progress: LinearProgress } | { type: 'done'; output: LinearFitOutput };
