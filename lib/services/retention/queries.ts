/**
 * Read-only queries for the Artifacts pages. Every result is a small DTO of numbers and ISO
 * strings (never BigInt or Date), so pages can hand it straight to client components.
 */
import type { Db } from '@/lib/db/client';
import { parsePolicy, type PolicyDocument } from '@/lib/engine/retention';
import { formatBytes } from '@/lib/engine/units';
import { planStatus } from './history-queries';
import { nextRunOf, validateSchedule } from './roots';

const DAY_MS = 86_400_000;
export const HEADROOM_WARN_PCT = 85;
export const HEADROOM_CRITICAL_PCT = 95;

export type HeadroomLevel = 'ok' | 'warn' | 'critical';
export type RootState = 'executing' | 'over-cap' | 'failing' | 'ok';
type Sample = { at: Date; rootBytes: bigint; fileCount: number; fsBytes: bigint; fsFree: bigint };
type RootRow = NonNullable<Awaited<ReturnType<Db['artifactRoot']['findUnique']>>>;

export const usedPct = (s: { fsBytes: bigint; fsFree: bigint }) => (Number(s.fsBytes) > 0 ? ((Number(s.fsBytes) - Number(s.fsFree)) / Number(s.fsBytes)) * 100 : 0);
export const headroomLevel = (pct: number): HeadroomLevel => (pct >= HEADROOM_CRITICAL_PCT ? 'critical' : pct >= HEADROOM_WARN_PCT ? 'warn' : 'ok');

export interface RootCard {
  id: string; name: string; path: string; policyVersion: number; presetId: string | null;
  policy: PolicyDocument; policyError: string | null;
  schedule: string | null; scheduleMode: string; timezone: string;
  /** Why the stored schedule cannot run (it never fires then), in Steward's words; null when fine. */
  scheduleError: string | null;
  sample: { at: string; rootBytes: number; fileCount: number; fsBytes: number; fsFree: number } | null;
  capBytes: number | null;
  headroom: { usedPct: number; level: HeadroomLevel } | null;
  /** The latest plan or run; a run says what it freed and, when it ran a plan, what that plan expected. */
  lastRun: { at: string; status: string; planId: string | null; bytesFreed: number | null; plannedBytesFreed: number | null } | null;
  nextRun: string | null;
  state: RootState; executingPlanId: string | null; scheduledFailures: number; lastScheduledError: string | null;
}

async function cardOf(db: Db, root: RootRow, now: Date): Promise<RootCard> {
  const [s, run, plan] = await Promise.all([
    db.diskUsageSample.findFirst({ where: { rootId: root.id }, orderBy: { at: 'desc' } }),
    db.rotationRun.findFirst({ where: { rootId: root.id }, orderBy: { timestamp: 'desc' } }),
    // Expired and invalidated plans never ran; a draft is shown (it awaits approval).
    db.retentionPlan.findFirst({ where: { rootId: root.id, status: { notIn: ['expired', 'invalidated'] } }, orderBy: { createdAt: 'desc' } }),
  ]);
  const parsed = parsePolicy(root.policy);
  const capBytes = parsed.ok ? (parsed.policy.maxSizeBytes ?? null) : null;
  const sample = s ? { at: s.at.toISOString(), rootBytes: Number(s.rootBytes), fileCount: s.fileCount, fsBytes: Number(s.fsBytes), fsFree: Number(s.fsFree) } : null;
  const pct = s && Number(s.fsBytes) > 0 ? usedPct(s) : null;
  const runStatus = run ? (run.failures > 0 ? `done, ${run.failures} failed` : 'done') : '';
  const plannedFreed = (p: { totals: unknown } | null) => ((p?.totals ?? {}) as { bytesFreed?: number }).bytesFreed ?? null;
  const runPlan = run?.planId ? (plan?.id === run.planId ? plan : await db.retentionPlan.findUnique({ where: { id: run.planId }, select: { totals: true } })) : null;
  const lastRun = plan && (!run || plan.createdAt > run.timestamp)
    ? { at: (plan.finishedAt ?? plan.createdAt).toISOString(), status: planStatus(plan, now), planId: plan.id, bytesFreed: null, plannedBytesFreed: plannedFreed(plan) }
    : run ? { at: run.timestamp.toISOString(), status: runStatus, planId: run.planId, bytesFreed: Number(run.bytesFreed), plannedBytesFreed: plannedFreed(runPlan) } : null;
  const state: RootState = root.executingPlanId ? 'executing' : sample && capBytes !== null && sample.rootBytes > capBytes ? 'over-cap' : root.scheduledFailures > 0 && root.lastScheduledError ? 'failing' : 'ok';
  return {
    id: root.id, name: root.name, path: root.path, policyVersion: root.policyVersion, presetId: root.presetId,
    policy: root.policy as unknown as PolicyDocument, policyError: parsed.ok ? null : parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    schedule: root.schedule, scheduleMode: root.scheduleMode, timezone: root.timezone, scheduleError: validateSchedule(root.schedule, root.timezone),
    sample, capBytes, headroom: pct === null ? null : { usedPct: pct, level: headroomLevel(pct) }, lastRun,
    nextRun: nextRunOf(root, now)?.toISOString() ?? null,
    state, executingPlanId: root.executingPlanId, scheduledFailures: root.scheduledFailures, lastScheduledError: root.lastScheduledError,
  };
}

export async function listRootCards(db: Db, now: Date): Promise<RootCard[]> {
  const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
  return Promise.all(roots.map((r) => cardOf(db, r, now)));
}

export async function getRootCard(db: Db, rootId: string, now: Date): Promise<RootCard | null> {
  const root = await db.artifactRoot.findUnique({ where: { id: rootId } });
  return root ? cardOf(db, root, now) : null;
}

export interface TrendPoint { at: string; rootBytes: number; fsUsedPct: number }

/** Samples of the last `days` days, at most ~`maxPoints` (each bucket keeps its highest values). */
export async function diskTrend(db: Db, rootId: string, days: number, now = new Date(), maxPoints = 200): Promise<TrendPoint[]> {
  const rows = await db.diskUsageSample.findMany({ where: { rootId, at: { gte: new Date(now.getTime() - days * DAY_MS) } }, orderBy: { at: 'asc' }, select: { at: true, rootBytes: true, fsBytes: true, fsFree: true } });
  const step = Math.max(1, Math.ceil(rows.length / maxPoints));
  const out: TrendPoint[] = [];
  for (let i = 0; i < rows.length; i += step) {
    const bucket = rows.slice(i, i + step);
    const last = bucket[bucket.length - 1]!;
    out.push({ at: last.at.toISOString(), rootBytes: Math.max(...bucket.map((r) => Number(r.rootBytes))), fsUsedPct: Math.max(...bucket.map(usedPct)) });
  }
  return out;
}

export interface Violation { key: string; kind: 'over-cap' | 'headroom' | 'scheduled-failure' | 'run-failures'; level: 'warn' | 'critical'; rootId: string | null; subject: string; what: string; since: string }

/** Oldest sample of the unbroken run of newest samples for which `bad` holds. */
function streakStart(samples: Sample[], bad: (s: Sample) => boolean): Date | null {
  let since: Date | null = null;
  for (const s of samples) {
    if (!bad(s)) break;
    since = s.at;
  }
  return since;
}

export async function thresholdViolations(db: Db, now: Date): Promise<Violation[]> {
  const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
  const out: Violation[] = [];
  for (const root of roots) {
    const samples: Sample[] = await db.diskUsageSample.findMany({ where: { rootId: root.id }, orderBy: { at: 'desc' }, take: 500 });
    const latest = samples[0];
    const parsed = parsePolicy(root.policy);
    const cap = parsed.ok ? parsed.policy.maxSizeBytes : undefined;
    if (latest && cap !== undefined && Number(latest.rootBytes) > cap) {
      const since = streakStart(samples, (s) => Number(s.rootBytes) > cap)!;
      out.push({ key: `cap-${root.id}`, kind: 'over-cap', level: 'critical', rootId: root.id, subject: root.name, what: `over its cap: ${formatBytes(Number(latest.rootBytes))} of ${formatBytes(cap)}`, since: since.toISOString() });
    }
    if (latest && Number(latest.fsBytes) > 0 && usedPct(latest) >= HEADROOM_WARN_PCT) {
      const level = headroomLevel(usedPct(latest)) as 'warn' | 'critical';
      const since = streakStart(samples, (s) => usedPct(s) >= HEADROOM_WARN_PCT)!;
      out.push({ key: `fs-${root.id}`, kind: 'headroom', level, rootId: root.id, subject: root.name, what: `filesystem ${usedPct(latest).toFixed(1)} % used (warn ${HEADROOM_WARN_PCT} %, critical ${HEADROOM_CRITICAL_PCT} %)`, since: since.toISOString() });
    }
    if (root.scheduledFailures > 0 && root.lastScheduledError) {
      const jobs = await db.jobRun.findMany({ where: { job: `rotation:${root.id}` }, orderBy: { slot: 'desc' }, take: 200, select: { slot: true, status: true, startedAt: true } });
      let since = jobs[0]?.startedAt ?? root.updatedAt;
      for (const j of jobs) if (j.status === 'failed') since = j.startedAt; else break;
      out.push({ key: `sched-${root.id}`, kind: 'scheduled-failure', level: 'critical', rootId: root.id, subject: root.name, what: `scheduled rotation failing (${root.scheduledFailures} failure${root.scheduledFailures === 1 ? '' : 's'}): ${root.lastScheduledError}`, since: since.toISOString() });
    }
  }
  const failed = await db.rotationRun.findMany({ where: { failures: { gt: 0 }, timestamp: { gte: new Date(now.getTime() - 7 * DAY_MS) } }, orderBy: { timestamp: 'desc' }, take: 20, include: { root: { select: { name: true } } } });
  for (const r of failed) {
    out.push({ key: `run-${r.id}`, kind: 'run-failures', level: 'warn', rootId: r.rootId, subject: r.root?.name ?? `${r.host}:${r.rootPath}`, what: `rotation run had ${r.failures} failed file${r.failures === 1 ? '' : 's'}${r.skipped ? ` and ${r.skipped} skipped` : ''}`, since: r.timestamp.toISOString() });
  }
  return out;
}
