import 'server-only';
import { getDb } from '@/lib/db/client';
import { isRole, type Role } from '@/lib/engine/roles';
import { getEnv } from '@/lib/env';
import { getAuth } from './better-auth';
import { clientAddress } from './client-address';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in, enabled user behind these request headers, or null. */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  // Stryker disable next-line ConditionalExpression: a shortcut; better-auth finds no session without a cookie either (tested: no credentials → 401)
  if (!headers.get('cookie')) return null;
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  // Re-read role and disabled from the database: the session cache must not outlive a demotion.
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id: result.user.id }, select: { id: true, email: true, name: true, role: true, disabled: true } });
  if (!user || user.disabled || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The client address written to the audit log: the same answer the sign-in rate limiter uses
 * (lib/auth/client-address.ts), so neither can be chosen by a forged X-Forwarded-For.
 */
export function requestOrigin(headers: Headers): string | null {
  return clientAddress(headers, getEnv().STEWARD_TRUSTED_PROXIES);
}
