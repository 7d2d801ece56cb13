/**
 * A fixed-window rate limiter in the database, for calls that do not pass through better-auth's
 * HTTP router (whose limiter only sees /api/auth/* requests): first-run setup codes and password
 * changes made by server actions. It shares better-auth's `rate_limits` table (keys are prefixed
 * `steward:` so they never collide) and its housekeeping (prune-sessions drops rows untouched for
 * a day). One upsert per hit, so the count is exact with any number of instances.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export type RateLimitResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * Counts one attempt under `key` and says whether it is allowed. A window starts at the first
 * attempt after the previous window ended; attempts beyond `max` in a window are refused (and
 * still counted, so hammering does not reopen the window early).
 */
export async function hitRateLimit(db: Db, key: string, limit: RateLimit, now: Date): Promise<RateLimitResult> {
  const t = BigInt(now.getTime());
  const windowStartedBefore = t - BigInt(limit.windowMs);
  // "lastRequest" holds the start of the current window for these keys.
  const rows = await db.$queryRaw<{ count: number; started: bigint }[]>`
    INSERT INTO "rate_limits" ("id", "key", "count", "lastRequest")
    VALUES (${crypto.randomUUID()}, ${`steward:${key}`}, 1, ${t})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "rate_limits"."lastRequest" <= ${windowStartedBefore} THEN 1 ELSE "rate_limits"."count" + 1 END,
      "lastRequest" = CASE WHEN "rate_limits"."lastRequest" <= ${windowStartedBefore} THEN ${t} ELSE "rate_limits"."lastRequest" END
    RETURNING "count", "lastRequest" AS "started"`;
  const row = rows[0];
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: INSERT … ON CONFLICT DO UPDATE … RETURNING returns exactly one row
  if (!row) throw new Error('rate limit upsert returned no row');
  const count = Number(row.count);
  if (count <= limit.max) return { ok: true, remaining: limit.max - count };
  const retryAfterMs = Number(BigInt(row.started) + BigInt(limit.windowMs) - t);
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
