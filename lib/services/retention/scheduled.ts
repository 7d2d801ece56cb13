/**
 * Scheduled rotation: each root with a cron schedule gets a preview at every slot; in "auto" mode
 * the plan is approved by the system and executed at once. Each (root, slot) is claimed through
 * job_runs, so a slot runs once however many instances run. Only the latest due slot within the
 * last hour runs (a server that was down does not replay a backlog of cleanups).
 */
import { Cron } from 'croner';
import type { Db } from '@/lib/db/client';
import { systemActor } from '../actor';
import { recordAudit } from '../audit';
import { executePlan } from './execute';
import { approvePlan, expirePlans, previewCleanup } from './plans';
import { validateSchedule } from './roots';

const CATCH_UP_MS = 60 * 60_000;

export interface ScheduledOutcome {
  rootId: string;
  slot: string;
  status: 'planned' | 'executed' | 'failed';
  planId?: string;
  error?: string;
}

export interface RunDueOptions {
  /** Only this root (the demo drives its own root; the worker runs them all). */
  rootId?: string;
  /** The clock of the executions and the job rows' finish times (default: the real clock; tests pin it). */
  clock?: () => Date;
}

export async function runDueRotations(db: Db, now: Date, owner = 'worker', opts: RunDueOptions = {}): Promise<ScheduledOutcome[]> {
  const clock = opts.clock ?? (() => new Date());
  const roots = await db.artifactRoot.findMany({ where: { schedule: { not: null }, ...(opts.rootId ? { id: opts.rootId } : {}) } });
  const outcomes: ScheduledOutcome[] = [];
  for (const root of roots) {
    // Validated on save; one stored before that check (or by hand) is skipped, and the root's
    // page shows why in Steward's words (RootCard.scheduleError).
    if (validateSchedule(root.schedule, root.timezone)) continue;
    let due: Date | undefined;
    try {
      due = new Cron(root.schedule!, { paused: true, timezone: root.timezone }).previousRuns(1, now)[0];
    } catch {
      continue;
    }
    if (!due || now.getTime() - due.getTime() > CATCH_UP_MS) continue;
    const slot = due.toISOString();
    const claimed = await db.$queryRawUnsafe<{ id: bigint }[]>(
      `INSERT INTO "job_runs" ("job", "slot", "status", "owner", "startedAt") VALUES ($1, $2, 'running', $3, $4) ON CONFLICT ("job", "slot") DO NOTHING RETURNING "id"`,
      `rotation:${root.id}`,
      slot,
      owner,
      now,
    );
    const runId = claimed[0]?.id;
    if (runId === undefined) continue;
    const actor = systemActor(`rotation:${root.name}`);
    try {
      const plan = await previewCleanup(db, actor, root.id, now, { source: 'schedule' });
      let status: ScheduledOutcome['status'] = 'planned';
      if (root.scheduleMode === 'auto') {
        await approvePlan(db, actor, plan.id, now);
        const r = await executePlan(db, actor, plan.id, { clock });
        status = 'executed';
        if (r.failed > 0) throw new Error(`${r.failed} file(s) failed; see plan ${plan.id}`);
      }
      await db.jobRun.update({ where: { id: runId }, data: { status: 'done', finishedAt: clock(), result: { planId: plan.id, status } } });
      await db.artifactRoot.update({ where: { id: root.id }, data: { lastScheduledError: null } });
      outcomes.push({ rootId: root.id, slot, status, planId: plan.id });
    } catch (e) {
      const message = (e as Error).message;
      await db.jobRun.update({ where: { id: runId }, data: { status: 'failed', finishedAt: clock(), error: message.slice(0, 2000) } });
      await db.artifactRoot.update({ where: { id: root.id }, data: { scheduledFailures: { increment: 1 }, lastScheduledError: `${slot}: ${message}`.slice(0, 2000) } });
      await recordAudit(db, actor, { at: clock(), action: 'retention.scheduled', targetType: 'artifact-root', targetId: root.id, summary: `Scheduled rotation of "${root.name}" at ${slot} failed: ${message}`, outcome: 'error' });
      outcomes.push({ rootId: root.id, slot, status: 'failed', error: message });
    }
  }
  return outcomes;
}

/** Resumes executions whose process died (lease heartbeat stale), and expires old plans. */
export async function resumeStaleExecutions(db: Db, now: Date, staleAfterMs = 2 * 60_000): Promise<{ resumed: string[]; expired: number }> {
  const expired = await expirePlans(db, now);
  const stale = await db.retentionPlan.findMany({
    where: { status: 'executing', root: { OR: [{ executingPlanId: null }, { executionHeartbeat: { lt: new Date(now.getTime() - staleAfterMs) } }] } },
    select: { id: true, root: { select: { name: true } } },
  });
  const resumed: string[] = [];
  for (const p of stale) {
    try {
      await executePlan(db, systemActor(`resume:${p.root.name}`), p.id, { staleAfterMs });
      resumed.push(p.id);
    } catch (e) {
      console.error(`[retention] resuming plan ${p.id} failed: ${(e as Error).message}`);
    }
  }
  return { resumed, expired };
}
