/**
 * "Refresh all ready": every series (metric × testbed) on a base branch whose `seriesReadiness`
 * says ready gets a new baseline version with the one note, through `refreshBaseline` (so each is
 * its own audited, compare-and-set refresh). The others are listed with their reasons. A series
 * that stops being ready between the check and its refresh is reported, not forced.
 */
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { invalid, ServiceError } from '../errors';
import { requireProject, type ProjectScope } from '../flaky/projects';
import { refreshBaseline, seriesReadiness } from './baselines';

export interface SeriesReadinessRow {
  metricId: string; testbedId: string; branch: string;
  metric: string; measure: string; testbed: string;
  ready: boolean; reasons: string[]; cvPct: number | null; hasBaseline: boolean;
}

/** The series with results on `branch`, by metric name, measure and testbed, with their readiness. */
export async function branchReadiness(db: Db, scope: ProjectScope, project: string, branch: string): Promise<SeriesReadinessRow[]> {
  const p = await requireProject(db, scope, project);
  const keys = await db.perfResult.groupBy({ by: ['metricId', 'testbedId'], where: { branch, metric: { projectId: p.id } } });
  const [metrics, testbeds] = await Promise.all([
    db.perfMetric.findMany({ where: { id: { in: keys.map((k) => k.metricId) } }, select: { id: true, name: true, measure: true } }),
    db.perfTestbed.findMany({ where: { id: { in: keys.map((k) => k.testbedId) } }, select: { id: true, label: true } }),
  ]);
  const rows: SeriesReadinessRow[] = [];
  // One after the other: a page or an action, a few dozen series, and inside a transaction one connection anyway.
  for (const k of keys) {
    const r = await seriesReadiness(db, scope, p.key, { ...k, branch });
    const m = metrics.find((x) => x.id === k.metricId)!;
    rows.push({ ...k, branch, metric: m.name, measure: m.measure, testbed: testbeds.find((t) => t.id === k.testbedId)?.label ?? '?', ready: r.ready, reasons: r.reasons, cvPct: r.cvPct, hasBaseline: r.hasBaseline });
  }
  return rows.sort((a, b) => a.metric.localeCompare(b.metric) || a.measure.localeCompare(b.measure) || a.testbed.localeCompare(b.testbed));
}

export interface RefreshAllResult {
  refreshed: { metric: string; measure: string; testbed: string; version: number; value: number }[];
  notReady: { metric: string; measure: string; testbed: string; reasons: string[] }[];
}

export async function refreshAllReady(db: Db, actor: Actor, input: { project: string; branch: string; note: string }, now = new Date()): Promise<RefreshAllResult> {
  if (!input.note.trim()) throw invalid([{ field: 'note', message: 'is required: say why the baselines move' }]);
  const rows = await branchReadiness(db, actor, input.project, input.branch);
  const out: RefreshAllResult = { refreshed: [], notReady: [] };
  for (const r of rows) {
    const name = { metric: r.metric, measure: r.measure, testbed: r.testbed };
    if (!r.ready) { out.notReady.push({ ...name, reasons: r.reasons }); continue; }
    try {
      const v = await refreshBaseline(db, actor, { project: input.project, key: { metricId: r.metricId, testbedId: r.testbedId, branch: r.branch }, note: input.note }, now);
      out.refreshed.push({ ...name, version: v.version, value: v.value });
    } catch (e) {
      if (!(e instanceof ServiceError) || e.code !== 'conflict') throw e;
      out.notReady.push({ ...name, reasons: [e.message] });
    }
  }
  return out;
}
