'use server';
/**
 * First-run setup: the only server action that needs no session. It creates the first admin only
 * while there are no users (race-safe in the service) and then signs that admin in.
 */
import { headers } from 'next/headers';
import { getAuth } from '@/lib/auth/better-auth';
import type { ActionResult } from '@/lib/auth/action';
import { requestOrigin } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { createFirstAdmin } from '@/lib/services/users';

export async function setupAdminAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  try {
    const hdrs = await headers();
    const db = await getDb();
    const user = await createFirstAdmin(db, { type: 'system', id: null, label: 'setup', origin: requestOrigin(hdrs) }, input);
    if (!user) return { ok: false, error: { code: 'conflict', message: 'Steward is already set up; sign in instead.' } };
    const auth = await getAuth();
    await auth.api.signInEmail({ body: { email: user.email, password: input.password }, headers: hdrs });
    return { ok: true, data: { email: user.email } };
  } catch (e) {
    if (e instanceof ServiceError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
    console.error('[action user.setup]', e);
    return { ok: false, error: { code: 'internal', message: 'Setup failed; the server log has details.' } };
  }
}
