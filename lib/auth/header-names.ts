/**
 * Request headers Steward sets for itself. proxy.ts replaces `x-steward-path` on every page
 * request (the path asked for, so /login can send the visitor back to it).
 */
export const PATH_HEADER = 'x-steward-path';
