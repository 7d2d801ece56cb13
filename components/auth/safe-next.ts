/**
 * Where to go after signing in. Only a path on this site is accepted, judged after the URL parser
 * has normalised it: `/.//evil.example`, `/..//evil.example` and `/%2e//evil.example` all resolve
 * to the path `//evil.example`, which a browser (and Next's router) reads as the protocol-relative
 * URL of another site. So the value is resolved against a placeholder origin, must keep that
 * origin, and the rebuilt path must not start with two slashes. Anything else falls back to the
 * overview.
 */
const BASE = 'http://steward.invalid';

export function safeNextPath(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith('/') || value.length > 2000) return '/';
  // Control characters and backslashes have no place in our paths and confuse URL parsers
  // (browsers read `\` as `/`, and drop tabs and newlines).
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.username || url.password) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//')) return '/';
  // Do not bounce back to the auth pages themselves.
  if (url.pathname === '/login' || url.pathname === '/setup') return '/';
  return path;
}
