import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { countUsers } from '@/lib/services/users';
import { getSessionUser, type SessionUser } from './session';

/**
 * For pages: the signed-in user, or a redirect to /setup (no users yet) or /login.
 * Pages use the role only to hide controls; actions and routes enforce it again.
 */
export const requireUser = cache(async (): Promise<SessionUser> => {
  const user = await getSessionUser(await headers());
  if (user) return user;
  const db = await getDb();
  if ((await countUsers(db)) === 0) redirect('/setup');
  redirect('/login');
});
