/**
 * A freshness check's observation (the artifact's mtime, or missing) from Steward's own host
 * (lib/services/cron/host-freshness.ts) or a sentinel report: stored with the freshness verdict
 * and the check re-evaluated, under the check's row lock, with its flip and notification.
 */
import type { Prisma } from '@/lib/db/generated/client';
import type { Db } from '@/lib/db/client';
import { evaluateFreshness } from '@/lib/engine/cron';
import type { CheckEvaluation } from '@/lib/engine/cron/types';
import { lockCheck, writeEvaluation } from './flips';
import type { CheckRow } from './rows';

export interface Observation {
  /** The artifact's modification time, on the server's clock; null: missing. */
  artifactMtime: Date | null;
  /** Where it was observed: "host" or a sentinel's source. */
  source?: string | null;
  /** Also store these (a sentinel report carries the task's artifact and max age). */
  artifactPath?: string;
  maxAgeSeconds?: number;
  /** Why the artifact reads as missing or is not what it seems (a refused symlink, outside the base). */
  problem?: string | null;
}

/** In `tx`, for a row already locked: store the observation and re-evaluate. */
export async function observeLocked(tx: Prisma.TransactionClient, row: CheckRow, o: Observation, now: Date): Promise<{ row: CheckRow; evaluation: CheckEvaluation; flipped: boolean }> {
  const maxAge = o.maxAgeSeconds ?? row.maxAgeSeconds ?? 0;
  const freshness = evaluateFreshness(o.artifactMtime, maxAge, now).status;
  const patch: Partial<CheckRow> = {
    artifactMtime: o.artifactMtime, observedAt: now, freshness, lastPingAt: now,
    ...(o.source !== undefined ? { source: o.source } : {}),
    ...(o.artifactPath !== undefined ? { artifactPath: o.artifactPath } : {}),
    ...(o.maxAgeSeconds !== undefined ? { maxAgeSeconds: o.maxAgeSeconds } : {}),
  };
  const w = await writeEvaluation(tx, row, patch, now, { note: freshness === 'fresh' ? null : o.problem });
  return { row: w.row, evaluation: w.decision.ev, flipped: w.decision.flip };
}

/** Stores one observation of freshness check `checkId`; null when the check is gone or not a freshness check. */
export async function recordObservation(db: Db, checkId: string, o: Observation, now: Date): Promise<{ evaluation: CheckEvaluation; flipped: boolean } | null> {
  return db.$transaction(async (tx) => {
    const row = await lockCheck(tx, checkId);
    if (!row || row.type !== 'freshness' || row.paused) return null;
    const r = await observeLocked(tx, row, o, now);
    return { evaluation: r.evaluation, flipped: r.flipped };
  });
}
