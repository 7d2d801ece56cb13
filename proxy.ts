/**
 * Runs before every page request (not /api, /metrics, the public /ping/… endpoint — whose bodies
 * are truncated, never refused — or static files; see `config.matcher`):
 * - the Content-Security-Policy with a fresh script nonce (lib/auth/security-headers.ts), on the
 *   response and on the request, where Next.js reads the nonce for its own scripts;
 * - HSTS when the public URL is https;
 * - `x-steward-path`: the path being asked for, so a signed-out visitor sent to /login comes back
 *   to it (lib/auth/page.ts). Any such header a client sends is replaced;
 * - a body limit for server actions (POSTs to pages). Next checks its own limit while it reads
 *   the body but then answers 500 (its action handler turns every error into a 500), so the
 *   limit is enforced here first from Content-Length, with a 413. A body without Content-Length
 *   (chunked) is refused with 411: browsers always send one, and Node's parser never delivers
 *   more bytes than it declares, so checking the header is complete.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ACTION_MAX_BYTES } from '@/lib/auth/limits';
import { servedOverHttps } from '@/lib/auth/origin';
import { PATH_HEADER } from '@/lib/auth/header-names';
import { HSTS, pageCsp } from '@/lib/auth/security-headers';

function bodyProblem(request: NextRequest): NextResponse | null {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return null;
  const declared = request.headers.get('content-length');
  const envelope = (status: number, code: string, message: string) => NextResponse.json({ error: { code, message, details: [] } }, { status });
  if (declared === null) {
    return request.headers.has('transfer-encoding') ? envelope(411, 'length_required', 'Send a Content-Length header with the request body.') : null;
  }
  const bytes = /^\d+$/.test(declared.trim()) ? Number(declared) : Number.NaN;
  if (!(bytes <= ACTION_MAX_BYTES)) {
    return envelope(413, 'too_large', `Request body is ${declared} bytes; the limit is ${ACTION_MAX_BYTES}.`);
  }
  return null;
}

export function proxy(request: NextRequest): NextResponse {
  const https = servedOverHttps();
  const refused = bodyProblem(request);
  if (refused) {
    if (https) refused.headers.set('Strict-Transport-Security', HSTS);
    return refused;
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = pageCsp(nonce, { https, dev: process.env.NODE_ENV === 'development' });
  const url = request.nextUrl;
  const search = new URLSearchParams(url.search);
  search.delete('_rsc'); // Next's cache-busting parameter for router fetches, not part of the page
  const qs = search.toString();

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set(PATH_HEADER, `${url.pathname}${qs ? `?${qs}` : ''}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  if (https) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  matcher: ['/((?!api/|ping/|metrics$|_next/static/|_next/image|favicon\\.ico$|icon\\.svg$).*)'],
};
