/**
 * requireUser (lib/auth/page.ts), the gate of every page: the signed-in user, or a redirect to
 * /setup (no users yet) or /login (carrying the page asked for as `next`, when that is safe).
 * Real database and better-auth sessions; `server-only`, `next/headers` and `next/navigation`'s
 * redirect (which throws in Next.js too) are replaced.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '@/lib/services/users';
import { closeAppDb, openAppDb, prepareAuthEnv, signInCookie } from './auth-helpers';
import type { TestDb } from './helpers';

vi.mock('server-only', () => ({}));
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
class Redirect extends Error {
  constructor(readonly to: string) {
    super(`redirect ${to}`);
  }
}
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Redirect(to);
  },
}));

await prepareAuthEnv('auth-page-tests-secret-0123456789abcdef');
const { requireUser } = await import('@/lib/auth/page');
const { PATH_HEADER } = await import('@/lib/auth/header-names');

let h: TestDb;
const cli = { type: 'cli', id: null, label: 'cli:page-test', origin: 'cli' } as const;
const PASSWORD = 'auth-page-pass-1';

beforeAll(async () => {
  h = await openAppDb();
});
afterAll(() => closeAppDb(h));

/** Where requireUser sends these headers (or the user it returns). */
async function outcome(headers: Record<string, string>): Promise<{ redirect: string } | { user: unknown }> {
  requestHeaders.current = new Headers(headers);
  try {
    return { user: await requireUser() };
  } catch (e) {
    if (e instanceof Redirect) return { redirect: e.to };
    throw e;
  }
}

const signIn = (email: string) => signInCookie(email, PASSWORD);

describe('requireUser', () => {
  // The order matters: the first test runs on an empty user table.
  it('no users at all → /setup, whatever page was asked for', async () => {
    expect(await outcome({})).toEqual({ redirect: '/setup' });
    expect(await outcome({ [PATH_HEADER]: '/retention/plans' })).toEqual({ redirect: '/setup' });
  });

  it('users exist, no session → /login, carrying a safe page as next (encoded); the overview or an unsafe path → plain /login', async () => {
    await createUser(h.db, cli, { email: `someone-${crypto.randomBytes(3).toString('hex')}@page.test`, name: 'S', password: PASSWORD, role: 'viewer' });
    expect(await outcome({})).toEqual({ redirect: '/login' });
    expect(await outcome({ [PATH_HEADER]: '/retention/plans/p-1?tab=entries&x=1' })).toEqual({ redirect: '/login?next=%2Fretention%2Fplans%2Fp-1%3Ftab%3Dentries%26x%3D1' });
    for (const path of ['/', '//evil.example', 'https://evil.example/', '/login']) {
      expect(await outcome({ [PATH_HEADER]: path }), path).toEqual({ redirect: '/login' });
    }
    expect(await outcome({ cookie: 'better-auth.session_token=forged', [PATH_HEADER]: '/flaky' })).toEqual({ redirect: '/login?next=%2Fflaky' });
  });

  it('a signed-in user is returned as stored now (role re-read); once disabled, the same cookie → /login', async () => {
    const email = `page-${crypto.randomBytes(3).toString('hex')}@page.test`;
    const u = await createUser(h.db, cli, { email, name: 'Page User', password: PASSWORD, role: 'operator' });
    const cookie = await signIn(email);
    expect(await outcome({ cookie, [PATH_HEADER]: '/cron' })).toEqual({ user: { id: u.id, email, name: 'Page User', role: 'operator' } });
    await h.db.user.update({ where: { id: u.id }, data: { role: 'admin' } });
    expect(await outcome({ cookie })).toEqual({ user: { id: u.id, email, name: 'Page User', role: 'admin' } });
    await h.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await outcome({ cookie, [PATH_HEADER]: '/cron' })).toEqual({ redirect: '/login?next=%2Fcron' });
  });
});
