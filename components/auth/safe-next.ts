/**
 * Where to go after signing in. Only a same-site relative path is accepted, so a crafted
 * `/login?next=https://evil.example` (or `//evil.example`, `/\evil.example`) cannot turn the login
 * page into an open redirect. Anything else falls back to the overview.
 */
export function safeNextPath(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith('/') || value.startsWith('//')) return '/';
  // Control characters and backslashes have no place in our paths and confuse URL parsers.
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  const base = 'http://steward.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  // Do not bounce back to the auth pages themselves.
  if (url.pathname === '/login' || url.pathname === '/setup') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
