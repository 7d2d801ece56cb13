/**
 * Executes an approved plan, exactly and only as planned.
 *
 * - One execution per root: a lease on the root row (executingPlanId, a random token, heartbeat)
 *   taken with a compare-and-set UPDATE. A lease whose heartbeat is older than `staleAfterMs`
 *   belongs to a process that died and may be taken over, which is how a crashed run resumes.
 *   Only the token's holder may heartbeat, finish or release; a run that finds its lease taken
 *   stops before touching another file.
 * - The plan's entries are the journal. Entries are processed in batches: a batch is marked
 *   "running" before any file is touched and gets its final status right after. A crash leaves
 *   at most one batch "running"; on resume a running delete whose file is gone is recorded done
 *   (it was deleted before the crash), and a running compression resumes from its archive.
 * - Every file is re-checked just before acting (inside the root, no symlink, same size and mtime
 *   as planned, quiet for a minute); anything else is skipped and reported, never deleted.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { compressToArchive, deleteEntry, finishCompression, recheck } from './fs/act';
import { finish } from './finish';

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Called after each batch is journalled, with the number of entries processed so far (tests). */
  afterBatch?: (processed: number) => void | Promise<void>;
  batchSize?: number;
  minQuietMs?: number;
  staleAfterMs?: number;
  /** Tag in archive temp names (default: from this run's random lease token, so two runs never share one). */
  archiveTag?: string;
  /** The clock, for heartbeats and quiet-period checks (tests pin it). */
  clock?: () => Date;
}

export interface ExecutionResult {
  planId: string;
  status: 'done' | 'interrupted';
  deleted: number;
  compressed: number;
  skipped: number;
  failed: number;
  bytesFreed: number;
  sizeAfterBytes: number;
  withinLimit: boolean;
  rotationRunId: string | null;
}

interface Outcome {
  id: bigint;
  status: 'done' | 'skipped' | 'failed';
  outcome: string | null;
  bytesFreed: bigint;
}

const DEFAULT_STALE_MS = 2 * 60_000;
const HEARTBEAT_MS = 15_000;

async function takeLease(db: Db, rootId: string, planId: string, token: string, now: Date, staleAfterMs: number): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "artifact_roots" SET "executingPlanId" = $2, "executionToken" = $3, "executionHeartbeat" = $4
     WHERE "id" = $1 AND ("executingPlanId" IS NULL OR "executionHeartbeat" IS NULL OR "executionHeartbeat" < $5)
     RETURNING "id"`,
    rootId,
    planId,
    token,
    now,
    new Date(now.getTime() - staleAfterMs),
  );
  return rows.length === 1;
}

class LeaseLost extends ServiceError {
  constructor(rootName: string) {
    super('conflict', `This run lost its lease on "${rootName}" (another process took over a stale execution); it stopped without touching more files.`);
  }
}

/** Proves this run still holds the lease; throws LeaseLost if another run has taken it. */
async function heartbeat(db: Db, rootId: string, token: string, rootName: string, now: Date): Promise<void> {
  const r = await db.artifactRoot.updateMany({ where: { id: rootId, executionToken: token }, data: { executionHeartbeat: now } });
  if (r.count !== 1) throw new LeaseLost(rootName);
}

async function journal(db: Db, outcomes: Outcome[], now: Date): Promise<void> {
  if (!outcomes.length) return;
  const params: unknown[] = [now];
  const values = outcomes.map((o, i) => {
    params.push(o.id, o.status, o.outcome, o.bytesFreed);
    const b = 2 + i * 4;
    return `($${b}::bigint, $${b + 1}::text, $${b + 2}::text, $${b + 3}::bigint)`;
  });
  await db.$executeRawUnsafe(
    `UPDATE "plan_entries" AS e SET "status" = v.status, "outcome" = v.outcome, "bytesFreed" = v.freed, "doneAt" = $1
     FROM (VALUES ${values.join(', ')}) AS v(id, status, outcome, freed) WHERE e."id" = v.id`,
    ...params,
  );
}

type Entry = { id: bigint; kind: string; path: string; size: bigint; mtimeMs: bigint; status: string };

async function actOn(root: string, e: Entry, tag: string, nowMs: number, minQuietMs: number): Promise<Outcome> {
  const planned = { path: e.path, size: Number(e.size), mtimeMs: Number(e.mtimeMs) };
  const resumed = e.status === 'running';
  if (e.kind === 'compress') {
    if (resumed) {
      // The archive may already be in place from before the crash: finish from it if it verifies.
      const fin = await finishCompression(root, planned, `${e.path}.tar.gz`);
      if (fin.status === 'done') return { id: e.id, status: 'done', outcome: `${fin.outcome ?? 'compressed'} (resumed)`, bytesFreed: BigInt(Math.max(0, planned.size - (fin.archiveBytes ?? 0))) };
    }
    const check = recheck(root, planned, nowMs, { minQuietMs });
    if (!check.ok) return { id: e.id, status: 'skipped', outcome: check.reason, bytesFreed: 0n };
    const arch = await compressToArchive(root, planned, tag);
    if (arch.status !== 'archived') return { id: e.id, status: arch.status === 'skipped' ? 'skipped' : 'failed', outcome: arch.outcome ?? null, bytesFreed: 0n };
    const fin = await finishCompression(root, planned, arch.archivePath ?? `${e.path}.tar.gz`);
    if (fin.status !== 'done') return { id: e.id, status: 'failed', outcome: fin.outcome ?? 'archive did not verify; original kept', bytesFreed: 0n };
    return { id: e.id, status: 'done', outcome: fin.outcome ?? null, bytesFreed: BigInt(Math.max(0, planned.size - (arch.archiveBytes ?? 0))) };
  }
  const check = recheck(root, planned, nowMs, { minQuietMs });
  if (!check.ok) {
    if (resumed && check.code === 'vanished') return { id: e.id, status: 'done', outcome: 'deleted before the run was interrupted', bytesFreed: e.size };
    return { id: e.id, status: 'skipped', outcome: check.reason, bytesFreed: 0n };
  }
  const r = await deleteEntry(root, planned);
  return { id: e.id, status: r.status, outcome: r.outcome ?? null, bytesFreed: r.status === 'done' ? e.size : 0n };
}

/** Executes (or resumes) a plan. Throws ServiceError('conflict') if it may not run now. */
export async function executePlan(db: Db, actor: Actor, planId: string, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
  const clock = opts.clock ?? (() => new Date());
  const started = clock();
  const plan = await db.retentionPlan.findUnique({ where: { id: planId }, include: { root: true } });
  if (!plan) throw new ServiceError('not_found', `No plan with id ${planId}`);
  const root = plan.root;
  if (plan.status === 'approved') {
    if (plan.expiresAt <= started) {
      await db.retentionPlan.updateMany({ where: { id: planId, status: 'approved' }, data: { status: 'expired' } });
      throw new ServiceError('conflict', 'This plan expired before it was executed; preview the cleanup again.');
    }
    if (plan.policyVersion !== root.policyVersion) {
      await db.retentionPlan.updateMany({ where: { id: planId, status: 'approved' }, data: { status: 'invalidated', error: 'policy changed after approval' } });
      throw new ServiceError('conflict', "The root's policy changed after this plan was approved; preview again.");
    }
  } else if (plan.status !== 'executing') {
    throw new ServiceError('conflict', `This plan is ${plan.status}; only an approved plan can be executed.`);
  }

  const token = crypto.randomUUID();
  if (!(await takeLease(db, root.id, planId, token, started, opts.staleAfterMs ?? DEFAULT_STALE_MS))) {
    const holder = await db.artifactRoot.findUnique({ where: { id: root.id }, select: { executingPlanId: true, executionHeartbeat: true } });
    throw new ServiceError('conflict', `Another cleanup of "${root.name}" is running (plan ${holder?.executingPlanId ?? '?'}, last heartbeat ${holder?.executionHeartbeat?.toISOString() ?? '?'}). One execution per root at a time.`);
  }
  const resumed = plan.status === 'executing';
  try {
    // Compare-and-set on the status we read: a run of this plan that finished while we waited for
    // the lease must not be finished (logged, audited) a second time.
    const moved = await db.retentionPlan.updateMany({ where: { id: planId, status: plan.status }, data: { status: 'executing', startedAt: plan.startedAt ?? started } });
    if (moved.count !== 1) throw new ServiceError('conflict', 'This plan changed while waiting to execute (another run finished it); reload it.');
    if (!resumed) {
      await recordAudit(db, actor, { action: 'retention.execute', targetType: 'retention-plan', targetId: planId, summary: `Started cleanup of "${root.name}" (approved by ${plan.approvedBy ?? '?'})`, before: { status: 'approved' }, after: { status: 'executing' } });
    }
    const batchSize = opts.batchSize ?? 200;
    const minQuietMs = opts.minQuietMs ?? 60_000;
    let processed = 0;
    let lastSeq = -1;
    let lastBeat = started.getTime();
    for (;;) {
      if (opts.signal?.aborted) {
        return { planId, status: 'interrupted', deleted: 0, compressed: 0, skipped: 0, failed: 0, bytesFreed: 0, sizeAfterBytes: 0, withinLimit: false, rotationRunId: null };
      }
      const batch = await db.planEntry.findMany({
        where: { planId, seq: { gt: lastSeq }, kind: { in: ['delete', 'compress'] }, status: { in: ['pending', 'running'] } },
        orderBy: { seq: 'asc' },
        take: batchSize,
        select: { id: true, seq: true, kind: true, path: true, size: true, mtimeMs: true, status: true },
      });
      if (!batch.length) break;
      lastSeq = batch[batch.length - 1]!.seq;
      // Write-ahead: the batch is "running" before any file in it is touched.
      await db.planEntry.updateMany({ where: { id: { in: batch.filter((b) => b.status === 'pending').map((b) => b.id) } }, data: { status: 'running' } });
      const outcomes: Outcome[] = [];
      for (const e of batch) {
        const t = clock();
        // Heartbeat inside long batches too, so a busy run is never mistaken for a dead one.
        if (t.getTime() - lastBeat > HEARTBEAT_MS) {
          await journal(db, outcomes.splice(0, outcomes.length), t);
          await heartbeat(db, root.id, token, root.name, t);
          lastBeat = t.getTime();
        }
        outcomes.push(await actOn(root.path, e, opts.archiveTag ?? token.slice(0, 8), t.getTime(), minQuietMs));
      }
      const now = clock();
      await journal(db, outcomes, now);
      await heartbeat(db, root.id, token, root.name, now);
      lastBeat = now.getTime();
      processed += batch.length;
      await opts.afterBatch?.(processed);
    }
    await heartbeat(db, root.id, token, root.name, clock());
    return await finish(db, actor, planId, started, clock);
  } catch (e) {
    if (!(e instanceof ServiceError)) {
      // An unexpected error (database, filesystem) ends the run as failed; entries already done stay done.
      await db.retentionPlan.update({ where: { id: planId }, data: { status: 'failed', finishedAt: clock(), error: (e as Error).message.slice(0, 2000) } }).catch(() => undefined);
    }
    throw e;
  } finally {
    await db.artifactRoot.updateMany({ where: { id: root.id, executionToken: token }, data: { executingPlanId: null, executionToken: null, executionHeartbeat: null } });
  }
}
