import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite ships ~15 MB of WASM; bundling it would copy it into static files. Load it from node_modules.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pglite-prisma-adapter', 'pg'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
