/**
 * Settings of the ping endpoint and the ping log, from the environment (parsed once with zod, a
 * bad value fails naming the variable, like lib/env.ts; they live here until lib/env.ts takes them).
 * - STEWARD_PING_BODY_LIMIT (bytes, default 100000): a longer body is truncated and flagged.
 * - STEWARD_PINGS_KEPT (default 1000): the newest N pings per check are kept.
 * - STEWARD_PING_RATE_PER_CHECK (default 60 per minute): start + finish + logs of a job that runs
 *   every minute use a handful; a loop gone wrong hits it at once. 0 turns it off.
 * - STEWARD_PING_RATE_PER_SOURCE (default 1200 per minute): one host running a few hundred
 *   every-minute jobs; 0 turns it off (benchmarks, a trusted network).
 */
import { z } from 'zod';

const schema = z.object({
  STEWARD_PING_BODY_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  STEWARD_PINGS_KEPT: z.coerce.number().int().min(10).max(1_000_000).default(1000),
  STEWARD_PING_RATE_PER_CHECK: z.coerce.number().int().min(0).max(1_000_000).default(60),
  STEWARD_PING_RATE_PER_SOURCE: z.coerce.number().int().min(0).max(10_000_000).default(1200),
});

export interface CronSettings {
  bodyLimit: number;
  pingsKept: number;
  ratePerCheck: number;
  ratePerSource: number;
  /** The rate limits' window. */
  windowMs: number;
}

let cached: CronSettings | undefined;

export function cronSettings(): CronSettings {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, process.env[k] || undefined]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid environment configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const e = parsed.data;
  cached = { bodyLimit: e.STEWARD_PING_BODY_LIMIT, pingsKept: e.STEWARD_PINGS_KEPT, ratePerCheck: e.STEWARD_PING_RATE_PER_CHECK, ratePerSource: e.STEWARD_PING_RATE_PER_SOURCE, windowMs: 60_000 };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetCronSettings(): void {
  cached = undefined;
}
