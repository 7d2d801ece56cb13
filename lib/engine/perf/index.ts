/** Public API of the performance engine (issue 10). */
export * from './types';
export * from './errors';
export * from './units';
export * from './stats';
export * from './formats';
