/**
 * For demo.int.test.ts: runs the first preview after the demo and works out, for each action it
 * proposes, when that action became due, so the test can tell "arrived or aged since the last
 * run" from "left behind by a run that should have handled it".
 */
import type { Db } from '@/lib/db/client';
import type { Actor } from '@/lib/services/actor';
import { previewCleanup } from '@/lib/services/retention/plans';
import { rootPolicy } from '@/lib/services/retention/roots';

export interface PreviewFindings {
  lastRun: Date;
  /** When the last run's plan scanned the tree: what it did not see could not be acted on. */
  lastPlanAt: Date;
  warnings: string[];
  actions: { kind: string; path: string; reason: string; dueAt: number }[];
  iterSummaries: number;
  arrivedSinceLastRun: number;
}

export async function firstPreviewFindings(db: Db, rootId: string, now: Date): Promise<PreviewFindings> {
  const root = await db.artifactRoot.findUniqueOrThrow({ where: { id: rootId } });
  const last = await db.rotationRun.findFirstOrThrow({ where: { rootId }, orderBy: { timestamp: 'desc' } });
  const lastPlan = await db.retentionPlan.findUniqueOrThrow({ where: { id: last.planId! } });
  const oncall = await db.user.findUniqueOrThrow({ where: { email: 'oncall@demo.steward.local' } });
  const actor: Actor = { type: 'user', id: oncall.id, label: oncall.email, role: 'operator' };
  const plan = await previewCleanup(db, actor, rootId, now);
  const entries = await db.planEntry.findMany({ where: { planId: plan.id }, orderBy: { seq: 'asc' } });
  const policy = rootPolicy(root);
  // mtime of each file by (rule, keep-latest rank), from the reasons "… (rank N)".
  const byRank = new Map<string, number>();
  for (const e of entries) {
    const m = /\(rank (\d+)\)/.exec(e.reason);
    if (m) byRank.set(`${e.ruleId}#${m[1]}`, Number(e.mtimeMs));
  }
  const actions = entries
    .filter((e) => e.kind !== 'keep')
    .map((e) => {
      const rule = policy.rules.find((r) => r.id === e.ruleId);
      const mtime = Number(e.mtimeMs);
      let dueAt = Number.NaN;
      if (e.reason.startsWith('older than TTL') && rule?.ttlMs !== undefined) dueAt = mtime + rule.ttlMs;
      else if (e.reason.startsWith('older than compress-after') && rule?.compressAfterMs !== undefined) dueAt = mtime + rule.compressAfterMs;
      else if (e.reason.startsWith('beyond keep-latest') && rule?.keepLatest !== undefined) {
        // Rank r fell beyond the newest N when the file of rank r − N arrived.
        const rank = Number(/\(rank (\d+)\)/.exec(e.reason)?.[1]);
        dueAt = byRank.get(`${e.ruleId}#${rank - rule.keepLatest}`) ?? Number.NaN;
      }
      return { kind: e.kind, path: e.path, reason: e.reason, dueAt };
    });
  const iter = entries.filter((e) => e.ruleId === 'iter-summary');
  return {
    lastRun: last.timestamp,
    lastPlanAt: lastPlan.createdAt,
    warnings: plan.warnings,
    actions,
    iterSummaries: iter.length,
    arrivedSinceLastRun: iter.filter((e) => Number(e.mtimeMs) > lastPlan.createdAt.getTime()).length,
  };
}
