'use server';
/**
 * First-run setup: the only server action that needs no session. It needs the one-time setup code
 * from the server log instead (lib/services/setup-code.ts), is rate-limited per client address
 * like sign-in, creates the first admin only while there are no users (race-safe in the service)
 * and then signs that admin in. Refused attempts are audited (and aggregated, so a flood of
 * guesses cannot grow the log).
 */
import { headers } from 'next/headers';
import { z } from 'zod';
import { getAuth } from '@/lib/auth/better-auth';
import type { ActionResult } from '@/lib/auth/action';
import { requestOrigin } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { Actor } from '@/lib/services/actor';
import { recordAudit } from '@/lib/services/audit';
import { invalid, ServiceError, zodIssues } from '@/lib/services/errors';
import { hitRateLimit } from '@/lib/services/rate-limit';
import { createFirstAdmin, newUserSchema } from '@/lib/services/users';

const setupSchema = newUserSchema.omit({ role: true }).extend({
  setupCode: z.string().trim().min(1, 'Enter the setup code from the server log').max(200),
});

export async function setupAdminAction(input: z.input<typeof setupSchema>): Promise<ActionResult<{ email: string }>> {
  try {
    const hdrs = await headers();
    const db = await getDb();
    const origin = requestOrigin(hdrs);
    const actor: Actor = { type: 'system', id: null, label: 'setup', origin };
    // Every field at once, so the form can flag each empty one.
    const parsed = setupSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const env = getEnv();
    const limit = await hitRateLimit(db, `setup:${origin ?? 'unknown'}`, { max: env.STEWARD_LOGIN_MAX_ATTEMPTS, windowMs: env.STEWARD_LOGIN_WINDOW_SECONDS * 1000 }, new Date());
    if (!limit.ok) {
      await recordAudit(db, actor, { action: 'user.setup', summary: 'Refused: too many setup attempts', outcome: 'denied' });
      throw new ServiceError('rate_limited', `Too many setup attempts; try again in ${limit.retryAfterSeconds} s.`);
    }
    const { setupCode, ...account } = parsed.data;
    let user;
    try {
      user = await createFirstAdmin(db, actor, account, { setupCode });
    } catch (e) {
      if (e instanceof ServiceError && e.details?.some((d) => d.field === 'setupCode')) {
        await recordAudit(db, actor, { action: 'user.setup', summary: 'Refused: wrong setup code', outcome: 'denied' });
      }
      throw e;
    }
    if (!user) return { ok: false, error: { code: 'conflict', message: 'Steward is already set up; sign in instead.' } };
    const auth = await getAuth();
    await auth.api.signInEmail({ body: { email: user.email, password: account.password }, headers: hdrs });
    return { ok: true, data: { email: user.email } };
  } catch (e) {
    if (e instanceof ServiceError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
    console.error('[action user.setup]', e);
    return { ok: false, error: { code: 'internal', message: 'Setup failed; the server log has details.' } };
  }
}
