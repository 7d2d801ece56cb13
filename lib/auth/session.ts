import 'server-only';
import { getDb } from '@/lib/db/client';
import { isRole, type Role } from '@/lib/engine/roles';
import { getAuth } from './better-auth';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in, enabled user behind these request headers, or null. */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
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

/** Best-effort client address for the audit log (first X-Forwarded-For hop, else X-Real-IP). */
export function requestOrigin(headers: Headers): string | null {
  const fwd = headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]?.trim() || null;
  return headers.get('x-real-ip');
}
