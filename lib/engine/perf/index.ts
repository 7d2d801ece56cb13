/** Public API of the performance engine (issue 10). */
export * from './types';
export * from './errors';
export * from './units';
export * from './stats';
export * from './formats';
export * from './budgets';
export * from './regression';
export * from './changepoint';
export * from './baseline';
