/**
 * Request body limits shared by next.config.ts (Next's own server-action limit) and proxy.ts
 * (which answers 413 before Next reads the body: Next itself turns an oversized server-action
 * body into a 500, see proxy.ts). Plain constants: next.config.ts imports this file.
 */
export const ACTION_MAX_BYTES = 1024 * 1024;
