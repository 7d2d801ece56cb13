/**
 * Stored plans: preview (scan + engine → a plan with every entry), approve, expire, read back.
 * A plan is draft → approved → executing → done | failed, or expired / invalidated. Only an
 * approved, unexpired plan made under the root's current policy version can be executed.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { planRetention, protectRotationLog, type Plan, type RetentionPolicy } from '@/lib/engine/retention';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { ScanRootError, scanRoot } from './fs/scan';
import { insertPlanEntries } from './plan-entries';
import { rootPolicy, SERVER_HOST } from './roots';

export const DEFAULT_PLAN_TTL_MS = 60 * 60 * 1000;

export type PlanTotals = Plan['totals'] & { filesKept: number };

export interface PlanSummary {
  id: string;
  rootId: string;
  rootName: string;
  rootPath: string;
  status: string;
  source: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  totals: PlanTotals;
  warnings: string[];
  scanErrors: { path: string; message: string }[];
  error: string | null;
  progress: Record<string, number>;
}

/** Steward appends to the root's rotation log, so no policy may delete, compress or evict it (or its previous generation). */
function withRotationLogProtected(policy: RetentionPolicy, writesLog: boolean): RetentionPolicy {
  return writesLog ? protectRotationLog(policy, 'rotation log written by Steward') : policy;
}

/** The registered identity of a root, or null for a root registered before identities were kept. */
export function rootIdentity(root: { dev: number | null; ino: number | null }): { dev: number; ino: number } | null {
  return root.dev != null && root.ino != null ? { dev: root.dev, ino: root.ino } : null;
}

/** Scans the root, plans with its policy, and stores the plan and all its entries. */
export async function previewCleanup(db: Db, actor: Actor, rootId: string, now: Date, opts: { source?: 'manual' | 'schedule'; ttlMs?: number } = {}): Promise<PlanSummary> {
  const root = await db.artifactRoot.findUnique({ where: { id: rootId } });
  if (!root) throw new ServiceError('not_found', `No artifact root with id ${rootId}`);
  const policy = withRotationLogProtected(rootPolicy(root), root.writeRotationLog);
  const expect = rootIdentity(root);
  const { scan, stats } = await scanRoot(root.path, { expect }).catch((e: unknown) => {
    // The root's directory is gone, replaced or unreadable: say so instead of an internal error.
    if (e instanceof ScanRootError) throw new ServiceError('conflict', e.message);
    throw e;
  });
  // Stryker disable next-line ConditionalExpression: `true` is equivalent (with an identity, dev is not null, so the update below matches no row); `false` is the same as the BooleanLiteral `if (expect)` mutant, which the first-use pinning test kills.
  if (!expect) {
    // Registered before Steward kept identities: pin the directory found now (first use).
    await db.artifactRoot.updateMany({ where: { id: root.id, dev: null }, data: stats.rootIdentity });
  }
  const plan = planRetention(scan, policy, now.getTime());
  const id = crypto.randomUUID();
  const totals: PlanTotals = { ...plan.totals, filesKept: plan.keptCount };

  await db.$transaction(
    async (tx) => {
      await tx.retentionPlan.create({
        data: {
          id,
          rootId,
          status: 'draft',
          policyVersion: root.policyVersion,
          source: opts.source ?? 'manual',
          createdBy: actor.label,
          createdAt: now,
          expiresAt: new Date(now.getTime() + (opts.ttlMs ?? DEFAULT_PLAN_TTL_MS)),
          totals: totals as unknown as Prisma.InputJsonValue,
          warnings: plan.warnings,
          scanErrors: scan.errors.slice(0, 1000) as unknown as Prisma.InputJsonValue,
        },
      });
      await insertPlanEntries(tx, id, plan);
      await tx.diskUsageSample.create({ data: { rootId, host: SERVER_HOST, rootPath: root.path, at: now, rootBytes: BigInt(stats.rootBytes), fileCount: stats.fileCount, fsBytes: BigInt(stats.fsBytes), fsFree: BigInt(stats.fsFree) } });
      await recordAudit(tx, actor, {
        action: 'retention.preview',
        targetType: 'retention-plan',
        targetId: id,
        summary: `Previewed cleanup of "${root.name}": ${totals.filesToDelete} to delete, ${totals.filesToCompress} to compress, ${totals.bytesFreed} bytes to free`,
        after: totals,
      });
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  return getPlan(db, id, now);
}

/** Marks draft/approved plans past their expiry as expired. Idempotent; also run lazily on read. */
export async function expirePlans(db: Db, now: Date): Promise<number> {
  const r = await db.retentionPlan.updateMany({ where: { status: { in: ['draft', 'approved'] }, expiresAt: { lte: now } }, data: { status: 'expired' } });
  return r.count;
}

export async function getPlan(db: Db, planId: string, now: Date): Promise<PlanSummary> {
  await db.retentionPlan.updateMany({ where: { id: planId, status: { in: ['draft', 'approved'] }, expiresAt: { lte: now } }, data: { status: 'expired' } });
  const p = await db.retentionPlan.findUnique({ where: { id: planId }, include: { root: { select: { name: true, path: true } } } });
  if (!p) throw new ServiceError('not_found', `No plan with id ${planId}`);
  const counts = await db.planEntry.groupBy({ by: ['kind', 'status'], where: { planId, kind: { not: 'keep' } }, _count: { _all: true } });
  const progress: Record<string, number> = {};
  for (const c of counts) progress[c.status] = (progress[c.status] ?? 0) + c._count._all;
  return {
    id: p.id,
    rootId: p.rootId,
    rootName: p.root.name,
    rootPath: p.root.path,
    status: p.status,
    source: p.source,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    expiresAt: p.expiresAt.toISOString(),
    approvedBy: p.approvedBy,
    approvedAt: p.approvedAt?.toISOString() ?? null,
    startedAt: p.startedAt?.toISOString() ?? null,
    finishedAt: p.finishedAt?.toISOString() ?? null,
    totals: p.totals as unknown as PlanTotals,
    warnings: p.warnings as string[],
    scanErrors: p.scanErrors as PlanSummary['scanErrors'],
    error: p.error,
    progress,
  };
}

/**
 * Approves a draft plan. Compare-and-set on (status, expiry, policy version): a plan that expired
 * or whose root's policy changed in the meantime cannot be approved.
 */
export async function approvePlan(db: Db, actor: Actor, planId: string, now: Date): Promise<PlanSummary> {
  // Expire first, outside the transaction below, so the new status survives the refusal.
  const expired = await db.retentionPlan.updateMany({ where: { id: planId, status: 'draft', expiresAt: { lte: now } }, data: { status: 'expired' } });
  if (expired.count === 1) throw new ServiceError('conflict', 'This plan has expired; preview the cleanup again.');
  await db.$transaction(async (tx) => {
    const p = await tx.retentionPlan.findUnique({ where: { id: planId }, include: { root: true } });
    if (!p) throw new ServiceError('not_found', `No plan with id ${planId}`);
    if (p.status !== 'draft') throw new ServiceError('conflict', `This plan is ${p.status}; only a draft plan can be approved.`);
    if (p.policyVersion !== p.root.policyVersion) throw new ServiceError('conflict', 'The root\'s policy changed after this plan was made; preview again.');
    const r = await tx.retentionPlan.updateMany({ where: { id: planId, status: 'draft', expiresAt: { gt: now } }, data: { status: 'approved', approvedBy: actor.label, approvedAt: now } });
    if (r.count !== 1) throw new ServiceError('conflict', 'This plan changed while it was being approved; reload it.');
    const t = p.totals as unknown as PlanTotals;
    await recordAudit(tx, actor, {
      action: 'retention.approve',
      targetType: 'retention-plan',
      targetId: planId,
      summary: `Approved cleanup of "${p.root.name}": ${t.filesToDelete} deletes, ${t.filesToCompress} compressions, ${t.bytesFreed} bytes`,
      before: { status: 'draft' },
      after: { status: 'approved' },
    });
  });
  return getPlan(db, planId, now);
}

export interface EntryQuery {
  kind?: 'delete' | 'compress' | 'keep' | 'actions';
  ruleId?: string;
  status?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface PlanEntryDto {
  seq: number;
  kind: string;
  path: string;
  size: number;
  mtime: string;
  ruleId: string;
  reason: string;
  bytesFreed: number;
  status: string;
  outcome: string | null;
}

/** One page of a plan's entries, filterable by kind, rule, status and a path substring. */
export async function listPlanEntries(db: Db, planId: string, q: EntryQuery): Promise<{ rows: PlanEntryDto[]; total: number }> {
  const where: Prisma.PlanEntryWhereInput = {
    planId,
    ...(q.kind === 'actions' ? { kind: { in: ['delete', 'compress'] } } : q.kind ? { kind: q.kind } : {}),
    ...(q.ruleId ? { ruleId: q.ruleId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.q ? { path: { contains: q.q } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.planEntry.findMany({ where, orderBy: { seq: 'asc' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    db.planEntry.count({ where }),
  ]);
  return {
    rows: rows.map((r) => ({ seq: r.seq, kind: r.kind, path: r.path, size: Number(r.size), mtime: new Date(Number(r.mtimeMs)).toISOString(), ruleId: r.ruleId, reason: r.reason, bytesFreed: Number(r.bytesFreed), status: r.status, outcome: r.outcome })),
    total,
  };
}

export interface PlanGroupDto {
  kind: string;
  ruleId: string;
  count: number;
  bytes: number;
  bytesFreed: number;
}

/** Totals per (kind, rule) for the plan view's grouped list. */
export async function planGroups(db: Db, planId: string): Promise<PlanGroupDto[]> {
  const groups = await db.planEntry.groupBy({ by: ['kind', 'ruleId'], where: { planId }, _count: { _all: true }, _sum: { size: true, bytesFreed: true }, orderBy: [{ kind: 'asc' }, { ruleId: 'asc' }] });
  return groups.map((g) => ({ kind: g.kind, ruleId: g.ruleId, count: g._count._all, bytes: Number(g._sum.size ?? 0), bytesFreed: Number(g._sum.bytesFreed ?? 0) }));
}
