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

describe('exact refusals and host parsing (mutation-testing kills)', () => {
  const own = { host: 'steward.lan:3000' };

  it('names the problem: foreign Origin, missing Origin, body type', () => {
    expect(crossSiteProblem(post({ ...own, origin: 'http://evil.example', 'content-type': 'application/json' }))).toEqual({ status: 403, code: 'forbidden', message: 'Cross-site request refused: Origin http://evil.example is not this site.' });
    expect(crossSiteProblem(post({ ...own, 'content-type': 'application/json' }))).toEqual({ status: 403, code: 'forbidden', message: "Cross-site request refused: a signed-in request that changes something must carry this site's Origin header." });
    expect(crossSiteProblem(post({ ...own, origin: 'http://steward.lan:3000', 'content-type': 'text/plain' }))).toEqual({ status: 415, code: 'unsupported_media_type', message: 'Send the request with Content-Type: application/json.' });
  });

  it('reads the media type case-insensitively, ignoring parameters and spaces', () => {
    expect(crossSiteProblem(post({ ...own, origin: 'http://steward.lan:3000', 'content-type': 'Application/JSON ; charset=utf-8' }))).toBeNull();
  });

  it('with no Host header nothing is our origin (not even "http://undefined")', () => {
    expect(isOwnOrigin('http://undefined', new Headers())).toBe(false);
    expect(crossSiteProblem(new Request('http://x/', { method: 'POST', headers: { origin: 'http://undefined', 'content-type': 'application/json' } }))?.status).toBe(403);
  });

  it('a Host header with a user part or anything after the host is not ours', () => {
    expect(isOwnOrigin('http://steward.lan', new Headers({ host: 'user@steward.lan' }))).toBe(false);
    expect(isOwnOrigin('http://evil.example', new Headers({ host: 'steward.lan@evil.example' }))).toBe(false);
    expect(isOwnOrigin('http://steward.lan', new Headers({ host: 'STEWARD.lan' }))).toBe(true);
  });

  it('without STEWARD_BASE_URL the site is not taken to be https', () => {
    expect(servedOverHttps()).toBe(false);
  });
});
