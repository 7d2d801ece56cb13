/**
 * Which origin is "us". With STEWARD_BASE_URL set, that URL's origin and nothing else: a request's
 * Host or X-Forwarded-Host header cannot widen it. Without it, the origin whose host is the Host
 * header of the request itself (either scheme, since a TLS-terminating proxy may sit in front).
 * That is safe against cross-site requests because a browser always sends the Host it connects
 * to — an attacker's page cannot make a victim's browser send a Host of its choosing together
 * with Steward's cookies. X-Forwarded-Host is never used: any client can set it.
 */
import { getEnv } from '@/lib/env';

export function configuredOrigin(): string | null {
  const base = getEnv().STEWARD_BASE_URL;
  return base ? new URL(base).origin : null;
}

/** True when the public URL is https (Secure cookies, HSTS). */
export function servedOverHttps(): boolean {
  return configuredOrigin()?.startsWith('https://') ?? false;
}

/** The origins a browser on this request would send as `Origin` when it is on Steward's own pages. */
export function ownOrigins(headers: Headers): string[] {
  const configured = configuredOrigin();
  if (configured) return [configured];
  // Stryker disable next-line MethodExpression: Headers already strips surrounding whitespace
  const host = headers.get('host')?.trim().toLowerCase();
  // A Host header is `host[:port]`; anything else (a path, a user, spaces) is not ours.
  if (!host || !/^[a-z0-9.\-[\]:]+$/.test(host)) return [];
  return [`http://${host}`, `https://${host}`];
}

/** Whether an `Origin` header value names Steward itself (see above). */
export function isOwnOrigin(origin: string | null, headers: Headers): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a shortcut; new URL() below throws for a missing origin and for "null" too (both refused, tested)
  if (!origin || origin === 'null') return false;
  let normalised: string;
  try {
    normalised = new URL(origin).origin;
  // Stryker disable next-line BlockStatement: an empty catch leaves `normalised` undefined, which equals no origin: refused just the same
  } catch {
    return false;
  }
  return ownOrigins(headers).some((o) => {
    try {
      return new URL(o).origin === normalised;
    } catch {
      return false;
    }
  });
}
