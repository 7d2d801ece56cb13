/** Housekeeping of authentication tables; run by the prune-sessions job. */
import type { Db } from '@/lib/db/client';

/** Deletes expired sessions and verifications and stale rate-limit rows. Idempotent. */
export async function pruneExpiredSessions(db: Db, now: Date): Promise<{ sessions: number; verifications: number; rateLimits: number }> {
  const sessions = await db.session.deleteMany({ where: { expiresAt: { lt: now } } });
  const verifications = await db.verification.deleteMany({ where: { expiresAt: { lt: now } } });
  // Rate-limit windows are at most an hour; a row untouched for a day is dead.
  const rateLimits = await db.rateLimit.deleteMany({ where: { lastRequest: { lt: BigInt(now.getTime() - 24 * 3600_000) } } });
  return { sessions: sessions.count, verifications: verifications.count, rateLimits: rateLimits.count };
}
