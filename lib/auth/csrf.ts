/**
 * Cross-site request forgery guard for cookie-authenticated API calls. A browser attaches the
 * session cookie to any request to Steward, also one that another site's page sends (a form post,
 * a `fetch` with `no-cors`). Such a request either carries that site's `Origin` or, for the
 * simple requests that skip CORS preflight, a `text/plain`, form or multipart body. So a state
 * change made with a session must come with our own `Origin` (lib/auth/origin.ts) and an
 * `application/json` body type, which a cross-site page can only send after a preflight that
 * Steward never grants. Bearer-token calls carry no ambient credential and are not checked.
 */
import { isOwnOrigin } from './origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CrossSiteProblem {
  status: number;
  code: string;
  message: string;
}

export function crossSiteProblem(req: Request): CrossSiteProblem | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const origin = req.headers.get('origin');
  if (!isOwnOrigin(origin, req.headers)) {
    return {
      status: 403,
      code: 'forbidden',
      message: origin ? `Cross-site request refused: Origin ${origin} is not this site.` : 'Cross-site request refused: a signed-in request that changes something must carry this site\'s Origin header.',
    };
  }
  // Stryker disable next-line StringLiteral: any non-JSON stand-in for a missing header is refused the same
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, code: 'unsupported_media_type', message: 'Send the request with Content-Type: application/json.' };
  }
  return null;
}
