// Plain JavaScript on purpose: next.config.mjs imports it, and a TypeScript config would make
// `next start` load Next's SWC compiler (~26 MB of native code, ~45 MB of RSS in all) into every
// server process just to read the config. Types: static-headers.d.mts. TypeScript code imports
// these through lib/auth/limits.ts and lib/auth/security-headers.ts.

/**
 * Request body limit of a server action, shared by next.config.mjs (Next's own limit) and proxy.ts
 * (which answers 413 before Next reads the body: Next itself turns an oversized server-action body
 * into a 500, see proxy.ts).
 */
export const ACTION_MAX_BYTES = 1024 * 1024;

/** Responses that are never documents (API, metrics): nothing may load from them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers for every response, set in next.config.mjs. */
export const STATIC_SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];
