/**
 * The end of an execution: count the journal, rescan the root, and record the run everywhere it is
 * read (rotation run, disk-usage sample, ROTATION_LOG.jsonl, plan status, audit). Called only by
 * the run that still holds the root's lease.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import type { ExecutionResult } from './execute';
import type { PinnedRoot } from './fs/pinned-root';
import { buildRotationRecord } from './fs/rotation-log';
import { appendRotationLog } from './fs/rotation-log-io';
import { scanRoot } from './fs/scan';
import { rootIdentity, type PlanTotals } from './plans';
import { SERVER_HOST } from './roots';

/** `pinned`: the root as opened (and locked) by the execution; the log is appended through it. */
export async function finish(db: Db, actor: Actor, planId: string, started: Date, clock: () => Date, pinned: PinnedRoot): Promise<ExecutionResult> {
  const plan = await db.retentionPlan.findUniqueOrThrow({ where: { id: planId }, include: { root: true } });
  const root = plan.root;
  const counts = await db.planEntry.groupBy({ by: ['kind', 'status'], where: { planId, kind: { in: ['delete', 'compress'] } }, _count: { _all: true }, _sum: { bytesFreed: true, size: true } });
  const n = (kind: string, status: string) => counts.find((c) => c.kind === kind && c.status === status)?._count._all ?? 0;
  const deleted = n('delete', 'done');
  const compressed = n('compress', 'done');
  const skipped = n('delete', 'skipped') + n('compress', 'skipped');
  const failed = n('delete', 'failed') + n('compress', 'failed');
  const bytesFreed = counts.filter((c) => c.status === 'done').reduce((s, c) => s + Number(c._sum.bytesFreed ?? 0), 0);
  const reductionBytes = Number(counts.find((c) => c.kind === 'compress' && c.status === 'done')?._sum.bytesFreed ?? 0);
  const totals = plan.totals as unknown as PlanTotals;
  const { stats } = await scanRoot(root.path, { expect: rootIdentity(root) });
  const withinLimit = totals.maxSizeBytes == null || stats.rootBytes <= totals.maxSizeBytes;
  const now = clock();
  const durationMs = now.getTime() - (plan.startedAt ?? started).getTime();
  const problems = await db.planEntry.findMany({ where: { planId, status: { in: ['skipped', 'failed'] } }, orderBy: { seq: 'asc' }, take: 200, select: { path: true, status: true, outcome: true } });
  const runId = crypto.randomUUID();
  const warnings: string[] = [];
  if (root.writeRotationLog) {
    try {
      const appended = appendRotationLog(
        pinned,
        buildRotationRecord({
          timestamp: now,
          deleted,
          kept: totals.filesKept + skipped + failed,
          compressed,
          totalReductionKb: reductionBytes / 1024,
          sizeMb: stats.rootBytes / (1024 * 1024),
          withinLimit,
          approvedBy: plan.approvedBy ?? undefined,
          bytesFreed,
          failures: failed,
          skipped,
          durationMs,
          planId,
          dryRun: false,
        }),
      );
      if (appended.repairedBytes > 0) warnings.push(`repaired a torn last line of ROTATION_LOG.jsonl (${appended.repairedBytes} bytes dropped)`);
      if (appended.rotated) warnings.push('ROTATION_LOG.jsonl reached its size limit and was moved to ROTATION_LOG.1.jsonl');
    } catch (e) {
      warnings.push(`could not append to ROTATION_LOG.jsonl: ${(e as Error).message}`);
    }
  }
  await db.$transaction(async (tx) => {
    await tx.rotationRun.create({
      data: {
        id: runId, rootId: root.id, planId, host: SERVER_HOST, rootPath: root.path, source: 'server', timestamp: now,
        deleted, kept: totals.filesKept + skipped + failed, compressed, totalReductionKb: reductionBytes / 1024, sizeMb: stats.rootBytes / (1024 * 1024),
        withinLimit, bytesFreed: BigInt(bytesFreed), failures: failed, skipped, durationMs, approvedBy: plan.approvedBy, executedBy: actor.label,
        details: { problems, warnings },
      },
    });
    await tx.diskUsageSample.create({ data: { rootId: root.id, host: SERVER_HOST, rootPath: root.path, at: now, rootBytes: BigInt(stats.rootBytes), fileCount: stats.fileCount, fsBytes: BigInt(stats.fsBytes), fsFree: BigInt(stats.fsFree) } });
    await tx.retentionPlan.update({ where: { id: planId }, data: { status: 'done', finishedAt: now, ...(warnings.length ? { error: warnings.join('; ') } : {}) } });
    await recordAudit(tx, actor, {
      action: 'retention.execute.done',
      targetType: 'retention-plan',
      targetId: planId,
      summary: `Cleanup of "${root.name}" done: ${deleted} deleted, ${compressed} compressed, ${skipped} skipped, ${failed} failed, ${bytesFreed} bytes freed`,
      before: { status: 'executing' },
      after: { status: 'done', deleted, compressed, skipped, failed, bytesFreed },
    });
  });
  return { planId, status: 'done', deleted, compressed, skipped, failed, bytesFreed, sizeAfterBytes: stats.rootBytes, withinLimit, rotationRunId: runId };
}
