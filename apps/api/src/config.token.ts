/** Nest injection tokens for values that are not classes. */
export const CONFIG = Symbol('TRAINYARD_CONFIG');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** The storage layer (object store + this process's cache); the API reads and writes data only through it. */
export const STORAGE = Symbol('TRAINYARD_STORAGE');
