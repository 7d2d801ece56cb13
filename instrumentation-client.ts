// Runs in the browser before the app's own code (Next.js instrumentation-client convention).
// zod compiles object parsers with `new Function` when it may, and probes for that with a
// `Function("")` call; under our Content-Security-Policy (no 'unsafe-eval', lib/auth/security-headers.ts)
// the probe fails safely but is reported as a CSP violation on every page that validates a form.
// Turning the compiler off before any schema is built skips the probe; the parsers are the same.
import { config } from 'zod/v4/core';

config({ jitless: true });
