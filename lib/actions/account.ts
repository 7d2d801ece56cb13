'use server';
/**
 * The signed-in user's own account. Changing the password goes through better-auth: changePassword
 * verifies the current password and rehashes, then revokeOtherSessions ends every other session of
 * this user. (changePassword's own `revokeOtherSessions: true` also replaces *this* session and its
 * cookie; the page re-rendered after the action still sees the old cookie in the request headers,
 * finds its session gone and bounces to /login. Keeping this session avoids that.) Attempts are
 * rate-limited per user like sign-in (better-auth's own limiter only sees HTTP calls to
 * /api/auth/*), and refusals are audited.
 */
import { headers } from 'next/headers';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { getAuth } from '@/lib/auth/better-auth';
import { getEnv } from '@/lib/env';
import { recordAudit } from '@/lib/services/audit';
import { ServiceError } from '@/lib/services/errors';
import { hitRateLimit } from '@/lib/services/rate-limit';

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password').max(200),
    newPassword: z.string().min(1, 'is required').min(10, 'must be at least 10 characters').max(200),
    confirmPassword: z.string(),
  })
  .refine((v) => v.confirmPassword === v.newPassword, { path: ['confirmPassword'], message: 'Does not match the new password' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: 'Choose a password other than the current one' });

/**
 * The error code of a better-auth APIError. Checked by shape, not instanceof: the bundle can hold
 * more than one copy of the APIError class (better-auth re-exports better-call's), so the class
 * imported here is not always the one that was thrown.
 */
function betterAuthCode(e: unknown): string | undefined {
  const body = (e as { body?: { code?: unknown } } | null)?.body;
  return typeof body?.code === 'string' ? body.code : undefined;
}

export const changePasswordAction = defineAction({ name: 'account.password', role: 'viewer', input: changePasswordSchema }, async (input, { db, actor, user, now }) => {
  const target = { targetType: 'user', targetId: user.id };
  const env = getEnv();
  const limit = await hitRateLimit(db, `password:${user.id}`, { max: env.STEWARD_LOGIN_MAX_ATTEMPTS, windowMs: env.STEWARD_LOGIN_WINDOW_SECONDS * 1000 }, now);
  if (!limit.ok) {
    await recordAudit(db, actor, { action: 'account.password', ...target, summary: 'Refused: too many password change attempts', outcome: 'denied' });
    throw new ServiceError('rate_limited', `Too many attempts; try again in ${limit.retryAfterSeconds} s.`);
  }
  const auth = await getAuth();
  const hdrs = await headers();
  try {
    await auth.api.changePassword({ body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: false }, headers: hdrs });
  } catch (e) {
    if (betterAuthCode(e) === 'INVALID_PASSWORD') {
      await recordAudit(db, actor, { action: 'account.password', ...target, summary: 'Refused: wrong current password', outcome: 'denied' });
      throw new ServiceError('invalid', 'The current password is not right.', [{ field: 'currentPassword', message: 'Not your current password' }]);
    }
    throw e;
  }
  // Live sessions other than this one, counted just before they are deleted.
  const otherSessions = Math.max(0, (await db.session.count({ where: { userId: user.id, expiresAt: { gt: now } } })) - 1);
  await auth.api.revokeOtherSessions({ headers: hdrs });
  await recordAudit(db, actor, {
    action: 'account.password',
    ...target,
    summary: `Changed own password; ${otherSessions} other session${otherSessions === 1 ? '' : 's'} signed out`,
  });
  return { otherSessionsEnded: otherSessions };
});
