// `/login?next=` must never send anyone to another site, however the path is spelled.
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/components/auth/safe-next';

describe('safeNextPath', () => {
  it.each([
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/./././/evil.example/x?y#z',
    '/a/..//evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    'https://evil.example',
    'evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    '',
  ])('refuses %j', (next) => {
    const out = safeNextPath(next);
    expect(out).toBe('/');
    // Whatever comes out must resolve to this site.
    expect(new URL(out, 'https://steward.test').origin).toBe('https://steward.test');
  });

  it.each([
    ['/audit?outcome=denied', '/audit?outcome=denied'],
    ['/artifacts/plans/abc#entries', '/artifacts/plans/abc#entries'],
    ['/a/./b/../c', '/a/c'],
    ['/%2F/x', '/%2F/x'],
  ])('keeps %j as %j', (next, want) => expect(safeNextPath(next)).toBe(want));

  it('does not bounce back to the auth pages, and takes the first of several values', () => {
    expect(safeNextPath('/login?next=/x')).toBe('/');
    expect(safeNextPath(['/audit', '//evil.example'])).toBe('/audit');
  });
});
