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

/** Responses that are never documents (API, metrics): nothing may load from them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** One year, the usual preload-list minimum; sent only over https (see above). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** Headers for every response, set in next.config.ts. */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];
