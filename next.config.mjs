// JavaScript, not TypeScript: `next start` would load Next's SWC compiler (~45 MB of RSS) into the
// server only to read a TypeScript config (see lib/auth/static-headers.mjs).
import { ACTION_MAX_BYTES, API_CSP, STATIC_SECURITY_HEADERS } from './lib/auth/static-headers.mjs';

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships ~15 MB of WASM; bundling it would copy it into static files. Load it from node_modules.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pglite-prisma-adapter', 'pg'],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    serverActions: { bodySizeLimit: ACTION_MAX_BYTES },
    // Next buffers a copy of each body proxy.ts sees, up to this size (10 MB by default); the
    // proxy refuses anything larger than a server action may be, so keep no more than that.
    proxyClientMaxBodySize: ACTION_MAX_BYTES,
  },
  // Static security headers for every response; the per-request CSP (nonce) and HSTS of pages
  // come from proxy.ts, because they depend on the request and on the runtime STEWARD_BASE_URL.
  async headers() {
    return [
      { source: '/:path*', headers: STATIC_SECURITY_HEADERS },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
      { source: '/metrics', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
      // The ping endpoint is outside proxy.ts (which sets the pages' CSP): it gets the API's, like /api.
      { source: '/ping/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
    ];
  },
};

export default nextConfig;
