/**
 * Request body limits shared by next.config.mjs (Next's own server-action limit) and proxy.ts
 * (which answers 413 before Next reads the body: Next itself turns an oversized server-action
 * body into a 500, see proxy.ts). Defined in static-headers.mjs, which the config can import.
 */
export { ACTION_MAX_BYTES } from './static-headers.mjs';
