// Cookie-authenticated state changes must come from Steward's own pages: same Origin and a JSON
// body type (a cross-site page can send neither without a CORS preflight that is never granted).
import { afterEach, describe, expect, it } from 'vitest';
import { crossSiteProblem } from '@/lib/auth/csrf';
import { isOwnOrigin, servedOverHttps } from '@/lib/auth/origin';
import { resetEnvCache } from '@/lib/env';

function post(headers: Record<string, string>, method = 'POST'): Request {
  return new Request('http://127.0.0.1:3000/api/v1/artifacts/plans/x/approve', { method, headers });
}

afterEach(() => {
  delete process.env.STEWARD_BASE_URL;
  resetEnvCache();
});

describe('crossSiteProblem without STEWARD_BASE_URL', () => {
  const own = { host: 'steward.lan:3000' };

  it('lets same-origin JSON through, with either scheme (TLS may end at a proxy)', () => {
    expect(crossSiteProblem(post({ ...own, origin: 'http://steward.lan:3000', 'content-type': 'application/json' }))).toBeNull();
    expect(crossSiteProblem(post({ ...own, origin: 'https://steward.lan:3000', 'content-type': 'application/json; charset=utf-8' }))).toBeNull();
  });

  it.each([
    ['another site', { origin: 'http://evil.example' }],
    ['a sibling port', { origin: 'http://steward.lan:3001' }],
    ['no Origin', {}],
    ['Origin null (sandboxed frame, file:)', { origin: 'null' }],
    ['a malformed Origin', { origin: 'steward.lan:3000' }],
    ['a look-alike host', { origin: 'http://steward.lan:3000.evil.example' }],
  ])('refuses %s with 403', (_label, extra) => {
    const p = crossSiteProblem(post({ ...own, 'content-type': 'application/json', ...extra }));
    expect(p?.status).toBe(403);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])('refuses content type %j with 415', (type) => {
    const headers: Record<string, string> = { ...own, origin: 'http://steward.lan:3000' };
    if (type) headers['content-type'] = type;
    expect(crossSiteProblem(post(headers))?.status).toBe(415);
  });

  it('does not check safe methods', () => {
    expect(crossSiteProblem(post({ origin: 'http://evil.example' }, 'GET'))).toBeNull();
  });

  it('does not trust X-Forwarded-Host', () => {
    expect(isOwnOrigin('http://evil.example', new Headers({ host: 'steward.lan', 'x-forwarded-host': 'evil.example' }))).toBe(false);
  });
});

describe('with STEWARD_BASE_URL', () => {
  it('only that origin is ours, whatever Host says', () => {
    process.env.STEWARD_BASE_URL = 'https://steward.example.com';
    resetEnvCache();
    const headers = new Headers({ host: 'evil.example' });
    expect(isOwnOrigin('https://steward.example.com', headers)).toBe(true);
    expect(isOwnOrigin('http://steward.example.com', headers)).toBe(false);
    expect(isOwnOrigin('https://evil.example', headers)).toBe(false);
    expect(servedOverHttps()).toBe(true);
  });

  it('a plain-http public URL is not https (no Secure cookies, no HSTS)', () => {
    process.env.STEWARD_BASE_URL = 'http://192.168.1.20:3000';
    resetEnvCache();
    expect(servedOverHttps()).toBe(false);
    expect(isOwnOrigin('http://192.168.1.20:3000', new Headers())).toBe(true);
  });
});
