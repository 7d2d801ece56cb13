/**
 * Rotation history and plan lists for the Artifacts pages, with planned and actual figures side by
 * side: a plan's totals are what the preview expected (compression savings estimated); the rotation
 * run stored when it executed is what happened. Both come from stored rows; the pages never mix
 * them up or show a plan's estimate as a result.
 */
import type { Db } from '@/lib/db/client';

const MB = 1024 * 1024;

/** What a plan expected (its stored totals). */
export interface Planned { filesToDelete: number; filesToCompress: number; bytesFreed: number; bytesBefore: number; bytesAfter: number }
/** What its execution did (the rotation run stored when it finished). */
export interface Actual { runId: string; at: string; deleted: number; compressed: number; skipped: number; failures: number; bytesFreed: number; sizeAfterBytes: number; withinLimit: boolean; durationMs: number }

export interface RunRow extends Actual {
  id: string; rootId: string | null; rootName: string | null; rootPath: string; host: string; source: string; planId: string | null; dryRun: boolean;
  sizeMb: number; approvedBy: string | null; executedBy: string; efficiencyPct: number | null;
  /** A server run whose root has since been removed (the run is kept, its root is not). */
  rootRemoved: boolean;
  planned: Planned | null;
}

export interface Paged<T> { rows: T[]; total: number; page: number; pageSize: number }

function plannedOf(totals: unknown): Planned {
  const t = (totals ?? {}) as Partial<Planned>;
  return { filesToDelete: t.filesToDelete ?? 0, filesToCompress: t.filesToCompress ?? 0, bytesFreed: t.bytesFreed ?? 0, bytesBefore: t.bytesBefore ?? 0, bytesAfter: t.bytesAfter ?? 0 };
}

type RunRecord = NonNullable<Awaited<ReturnType<Db['rotationRun']['findFirst']>>> & { root?: { name: string } | null };

function actualOf(r: RunRecord): Actual {
  return {
    runId: r.id, at: r.timestamp.toISOString(), deleted: r.deleted, compressed: r.compressed, skipped: r.skipped, failures: r.failures,
    bytesFreed: Number(r.bytesFreed), sizeAfterBytes: Math.round(r.sizeMb * MB), withinLimit: r.withinLimit, durationMs: r.durationMs,
  };
}

function runRow(r: RunRecord, planned: Planned | null): RunRow {
  const freed = Number(r.bytesFreed);
  const denom = freed + r.sizeMb * MB;
  return {
    ...actualOf(r),
    id: r.id, rootId: r.rootId, rootName: r.root?.name ?? null, rootPath: r.rootPath, host: r.host, source: r.source, planId: r.planId, dryRun: r.dryRun,
    sizeMb: r.sizeMb, approvedBy: r.approvedBy, executedBy: r.executedBy, efficiencyPct: denom > 0 ? (freed / denom) * 100 : null,
    rootRemoved: r.source === 'server' && r.rootId === null, planned,
  };
}

/** Totals of the plans behind `runs`, by plan id (one query). */
async function plannedByPlan(db: Db, runs: { planId: string | null }[]): Promise<Map<string, Planned>> {
  const ids = [...new Set(runs.map((r) => r.planId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const plans = await db.retentionPlan.findMany({ where: { id: { in: ids } }, select: { id: true, totals: true } });
  return new Map(plans.map((p) => [p.id, plannedOf(p.totals)]));
}

async function runsPage(db: Db, where: NonNullable<Parameters<Db['rotationRun']['findMany']>[0]>['where'], page: number, pageSize: number): Promise<Paged<RunRow>> {
  const total = await db.rotationRun.count({ where });
  const last = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(1, page), last);
  const rows = await db.rotationRun.findMany({ where, orderBy: [{ timestamp: 'desc' }, { id: 'asc' }], skip: (p - 1) * pageSize, take: pageSize, include: { root: { select: { name: true } } } });
  const planned = await plannedByPlan(db, rows);
  return { rows: rows.map((r) => runRow(r, r.planId ? (planned.get(r.planId) ?? null) : null)), total, page: p, pageSize };
}

/**
 * One page of the server's runs (of one root, or of every root including removed ones) and,
 * without a root, one page of the runs CLI runners reported. Runner reports are never a root's.
 */
export async function rotationHistory(db: Db, opts: { rootId?: string; page?: number; runnersPage?: number; pageSize: number }): Promise<{ runs: Paged<RunRow>; runners: Paged<RunRow> | null }> {
  const [runs, runners] = await Promise.all([
    runsPage(db, opts.rootId ? { rootId: opts.rootId } : { source: 'server' }, opts.page ?? 1, opts.pageSize),
    opts.rootId ? null : runsPage(db, { source: { not: 'server' } }, opts.runnersPage ?? 1, opts.pageSize),
  ]);
  return { runs, runners };
}

export async function runForPlan(db: Db, planId: string): Promise<RunRow | null> {
  const r = await db.rotationRun.findFirst({ where: { planId, source: 'server' }, orderBy: { timestamp: 'desc' }, include: { root: { select: { name: true } } } });
  if (!r) return null;
  const plan = await db.retentionPlan.findUnique({ where: { id: planId }, select: { totals: true } });
  return runRow(r, plan ? plannedOf(plan.totals) : null);
}

/** A draft or approved plan past its expiry reads as expired even before anything marks it so. */
export const planStatus = (p: { status: string; expiresAt: Date }, now: Date) => ((p.status === 'draft' || p.status === 'approved') && p.expiresAt <= now ? 'expired' : p.status);

export interface PlanListRow {
  id: string; status: string; source: string; createdAt: string; createdBy: string; expiresAt: string; approvedBy: string | null; finishedAt: string | null; error: string | null;
  planned: Planned;
  actual: Actual | null;
}

export async function latestPlans(db: Db, rootId: string, limit: number, now = new Date()): Promise<PlanListRow[]> {
  const plans = await db.retentionPlan.findMany({ where: { rootId }, orderBy: { createdAt: 'desc' }, take: limit });
  const runs = plans.length ? await db.rotationRun.findMany({ where: { planId: { in: plans.map((p) => p.id) }, source: 'server' }, orderBy: { timestamp: 'asc' } }) : [];
  const byPlan = new Map(runs.map((r) => [r.planId!, actualOf(r)]));
  return plans.map((p) => ({
    id: p.id, status: planStatus(p, now), source: p.source, createdAt: p.createdAt.toISOString(), createdBy: p.createdBy, expiresAt: p.expiresAt.toISOString(),
    approvedBy: p.approvedBy, finishedAt: p.finishedAt?.toISOString() ?? null, error: p.error, planned: plannedOf(p.totals), actual: byPlan.get(p.id) ?? null,
  }));
}
