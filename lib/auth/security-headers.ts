/**
 * The security headers of every page, built per request by proxy.ts.
 *
 * Scripts: a fresh nonce per request with 'strict-dynamic'. Next.js reads the nonce from the CSP
 * request header and puts it on its own inline and bundle scripts (every page here is rendered
 * per request anyway, since each one checks the session), so no inline script runs without it.
 * 'unsafe-inline' for scripts was the alternative and was not taken: it would let any injected
 * <script> run, which is what a CSP is for.
 * Styles: 'unsafe-inline'. React writes `style` attributes (chart sizes, progress bars) that a
 * nonce cannot cover, and a nonce would disable 'unsafe-inline'. Injected CSS cannot run code.
 * `upgrade-insecure-requests` and HSTS only when the public URL is https: on a plain-http LAN
 * install they would send the browser to a port that does not speak TLS.
 */
export function pageCsp(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Never-document responses' CSP and every response's static headers (next.config.mjs). */
export { API_CSP, STATIC_SECURITY_HEADERS } from './static-headers.mjs';

/** One year, the usual preload-list minimum; sent only over https (see above). */
export const HSTS = 'max-age=31536000; includeSubDomains';
