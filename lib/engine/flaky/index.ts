/** Public API of the flaky-tests engine (issue 9). */
export * from './types';
export * from './policy';
