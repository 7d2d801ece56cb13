/** Public API of the notifications engine: event kinds, routing, rendering, retries. */
export * from './kinds';
export * from './rules';
export * from './escape';
export * from './render';
export * from './retry';
