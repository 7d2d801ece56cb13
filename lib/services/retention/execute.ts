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
 * - Every act goes through descriptors pinned from the root down (fs/act.ts): the root is opened
 *   and its (device, inode) compared with the registered ones, then locked with flock so that the
 *   CLI and the server never rotate one root at once; each file is checked just before acting
 *   (no symlink on the way, same filesystem, same inode, size, mtime and ctime as planned, quiet
 *   for a minute); anything else is skipped and reported, never deleted.
 * - Fencing: the journal is written only while this run's token still holds the lease (checked in
 *   the same UPDATE), a long compression heartbeats while it runs, and no file is touched once a
 *   heartbeat has failed.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { finish } from './finish';
import { type PinnedChoice, pinnedOps, PinnedUnavailableError } from './fs/pinned';
import { PinnedRoot, RootPinError } from './fs/pinned-root';
import { actOn, type Outcome } from './execute-entry';
import { rootIdentity } from './plans';

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Called after each batch is journalled, with the number of entries processed so far (tests). */
  afterBatch?: (processed: number) => void | Promise<void>;
  batchSize?: number;
  minQuietMs?: number;
  staleAfterMs?: number;
  /** The clock, for heartbeats and quiet-period checks (tests pin it). */
  clock?: () => Date;
  /** Which descriptor-relative implementation acts (default from STEWARD_SCANNER; tests run both). */
  descriptors?: PinnedChoice;
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

const DEFAULT_STALE_MS = 2 * 60_000;
const HEARTBEAT_MS = 15_000;

interface PreviousLease {
  executingPlanId: string | null;
  executionToken: string | null;
  executionHeartbeat: Date | null;
}

/** Takes the root's lease (compare-and-set); returns the lease it replaced, or null when refused. */
async function takeLease(db: Db, rootId: string, planId: string, token: string, now: Date, staleAfterMs: number): Promise<PreviousLease | null> {
  const rows = await db.$queryRawUnsafe<PreviousLease[]>(
    `WITH old AS (SELECT "id", "executingPlanId", "executionToken", "executionHeartbeat" FROM "artifact_roots" WHERE "id" = $1 FOR UPDATE)
     UPDATE "artifact_roots" AS r SET "executingPlanId" = $2, "executionToken" = $3, "executionHeartbeat" = $4
     FROM old WHERE r."id" = old."id" AND (old."executingPlanId" IS NULL OR old."executionHeartbeat" IS NULL OR old."executionHeartbeat" < $5)
     RETURNING old."executingPlanId", old."executionToken", old."executionHeartbeat"`,
    rootId,
    planId,
    token,
    now,
    new Date(now.getTime() - staleAfterMs),
  );
  return rows[0] ?? null;
}

/** Puts back the lease this run replaced (it could not lock the root: its holder is alive). */
async function restoreLease(db: Db, rootId: string, token: string, previous: PreviousLease): Promise<void> {
  await db.artifactRoot.updateMany({ where: { id: rootId, executionToken: token }, data: previous });
}

class LeaseLost extends ServiceError {
  constructor(rootName: string) {
    // Stryker disable next-line StringLiteral: wording only; callers act on the code (conflict), which the crash tests check
    super('conflict', `This run lost its lease on "${rootName}" (another process took over a stale execution); it stopped without touching more files.`);
  }
}

/** Proves this run still holds the lease; throws LeaseLost if another run has taken it. */
async function heartbeat(db: Db, rootId: string, token: string, rootName: string, now: Date): Promise<void> {
  const r = await db.artifactRoot.updateMany({ where: { id: rootId, executionToken: token }, data: { executionHeartbeat: now } });
  if (r.count !== 1) throw new LeaseLost(rootName);
}

/** Writes outcomes to the journal, fenced: nothing is written unless `token` still holds the root's lease. */
async function journal(db: Db, lease: Lease, outcomes: Outcome[], now: Date): Promise<void> {
  if (!outcomes.length) return;
  const params: unknown[] = [now, lease.rootId, lease.token];
  const values = outcomes.map((o, i) => {
    params.push(o.id, o.status, o.outcome, o.bytesFreed);
    const b = 4 + i * 4;
    return `($${b}::bigint, $${b + 1}::text, $${b + 2}::text, $${b + 3}::bigint)`;
  });
  const n = await db.$executeRawUnsafe(
    `UPDATE "plan_entries" AS e SET "status" = v.status, "outcome" = v.outcome, "bytesFreed" = v.freed, "doneAt" = $1
     FROM (VALUES ${values.join(', ')}) AS v(id, status, outcome, freed)
     WHERE e."id" = v.id AND EXISTS (SELECT 1 FROM "artifact_roots" r WHERE r."id" = $2 AND r."executionToken" = $3)`,
    ...params,
  );
  // Stryker disable next-line ConditionalExpression: defence in depth. In one process every journal write follows a heartbeat that fails first when the lease is taken; a theft between the two needs a second process, and the crash tests' children do not run the mutant
  if (n !== outcomes.length) throw new LeaseLost(lease.rootName);
}

interface Lease {
  rootId: string;
  rootName: string;
  token: string;
  /** Set when a heartbeat found the lease taken: no further file may be touched. */
  lost: boolean;
}

/**
 * Runs `fn` (a long act, e.g. compressing a large file) while heartbeating every HEARTBEAT_MS, so
 * that the run is never taken for dead; a heartbeat that finds the lease gone marks it lost.
 */
async function withKeepalive<T>(db: Db, lease: Lease, clock: () => Date, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    heartbeat(db, lease.rootId, lease.token, lease.rootName, clock()).catch(() => {
      lease.lost = true;
    });
  }, HEARTBEAT_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
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

  // The root is pinned before the lease is taken (a root that is not the registered directory is
  // refused without touching the lease), and locked right after: a run that is alive holds the
  // lock, so a takeover of its lease (its heartbeat only looks stale) is undone at once.
  let pinned: PinnedRoot;
  try {
    pinned = PinnedRoot.open(root.path, { expect: rootIdentity(root), ops: pinnedOps(opts.descriptors) });
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: `true` is equivalent: PinnedRoot.open reports every failure as RootPinError and pinnedOps as PinnedUnavailableError, so no other error reaches here (`false` is killed by the replaced-root test in retention-lease-mutants.int.test.ts)
    if (e instanceof RootPinError || e instanceof PinnedUnavailableError) throw new ServiceError('conflict', `Cannot execute the cleanup of "${root.name}": ${e.message}`);
    throw e;
  }
  const token = crypto.randomUUID();
  const previous = await takeLease(db, root.id, planId, token, started, opts.staleAfterMs ?? DEFAULT_STALE_MS).catch((e: unknown) => {
    pinned.close();
    throw e;
  });
  if (!previous) {
    pinned.close();
    const holder = await db.artifactRoot.findUnique({ where: { id: root.id }, select: { executingPlanId: true, executionHeartbeat: true } });
    // Stryker disable next-line OptionalChaining: holder is null only when the root was removed in between; the message then says "?"
    throw new ServiceError('conflict', `Another cleanup of "${root.name}" is running (plan ${holder?.executingPlanId ?? '?'}, last heartbeat ${holder?.executionHeartbeat?.toISOString() ?? '?'}). One execution per root at a time.`);
  }
  try {
    pinned.lock();
  } catch (e) {
    pinned.close();
    await restoreLease(db, root.id, token, previous);
    // Stryker disable next-line OptionalChaining: Steward writes a lease's plan and heartbeat together; a plan without a heartbeat is not a state it makes
    const running = previous.executingPlanId ? `plan ${previous.executingPlanId} is still running, last heartbeat ${previous.executionHeartbeat?.toISOString() ?? '?'}: ` : '';
    throw new ServiceError('conflict', `Cannot execute the cleanup of "${root.name}": ${running}${e instanceof Error ? e.message : String(e)}`);
  }
  const resumed = plan.status === 'executing';
  const lease: Lease = { rootId: root.id, rootName: root.name, token, lost: false };
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
        select: { id: true, seq: true, kind: true, path: true, size: true, mtimeMs: true, ino: true, ctimeMs: true, status: true },
      });
      if (!batch.length) break;
      lastSeq = batch[batch.length - 1]!.seq;
      // Fence: prove the lease is still ours before touching any file of this batch.
      const fencedAt = clock();
      await heartbeat(db, root.id, token, root.name, fencedAt);
      lastBeat = fencedAt.getTime();
      // Write-ahead: the batch is "running" before any file in it is touched.
      await db.planEntry.updateMany({ where: { id: { in: batch.filter((b) => b.status === 'pending').map((b) => b.id) } }, data: { status: 'running' } });
      const outcomes: Outcome[] = [];
      for (const e of batch) {
        const t = clock();
        // Heartbeat inside long batches too, so a busy run is never mistaken for a dead one.
        if (t.getTime() - lastBeat > HEARTBEAT_MS) {
          await journal(db, lease, outcomes.splice(0, outcomes.length), t);
          await heartbeat(db, root.id, token, root.name, t);
          lastBeat = t.getTime();
        }
        if (lease.lost) throw new LeaseLost(root.name);
        const act = () => actOn(pinned, e, t.getTime(), minQuietMs);
        outcomes.push(e.kind === 'compress' ? await withKeepalive(db, lease, clock, act) : await act());
      }
      const now = clock();
      await journal(db, lease, outcomes, now);
      await heartbeat(db, root.id, token, root.name, now);
      lastBeat = now.getTime();
      processed += batch.length;
      await opts.afterBatch?.(processed);
    }
    await heartbeat(db, root.id, token, root.name, clock());
    return await finish(db, actor, planId, started, clock, pinned);
  } catch (e) {
    if (!(e instanceof ServiceError)) {
      // An unexpected error (database, filesystem) ends the run as failed; entries already done stay done.
      await db.retentionPlan.update({ where: { id: planId }, data: { status: 'failed', finishedAt: clock(), error: (e as Error).message.slice(0, 2000) } }).catch(() => undefined);
    }
    throw e;
  } finally {
    pinned.close(); // releases the flock
    await db.artifactRoot.updateMany({ where: { id: root.id, executionToken: token }, data: { executingPlanId: null, executionToken: null, executionHeartbeat: null } });
  }
}
