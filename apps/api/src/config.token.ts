/** Nest injection tokens for values that are not classes. */
export const CONFIG = Symbol('TRAINYARD_CONFIG');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
