import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import { safeNextPath } from '@/components/auth/safe-next';
import { getDb } from '@/lib/db/client';
import { countUsers } from '@/lib/services/users';
import { PATH_HEADER } from './header-names';
import { getSessionUser, type SessionUser } from './session';

/**
 * For pages: the signed-in user, or a redirect to /setup (no users yet) or /login. The redirect
 * to /login carries the page asked for (set by proxy.ts) as `next`, so a deep link survives
 * signing in; /login checks it again before using it.
 * Pages use the role only to hide controls; actions and routes enforce it again.
 */
export const requireUser = cache(async (): Promise<SessionUser> => {
  const hdrs = await headers();
  const user = await getSessionUser(hdrs);
  if (user) return user;
  const db = await getDb();
  if ((await countUsers(db)) === 0) redirect('/setup');
  const next = safeNextPath(hdrs.get(PATH_HEADER));
  redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
});
