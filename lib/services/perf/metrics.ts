/** Prometheus gauges of the perf projects, from the same queries as /performance. */
import type { Db } from '@/lib/db/client';
import type { Metric } from '../metrics-text';
import { budgetBreaches, regressionCounts } from './overview';

export async function perfMetrics(db: Db): Promise<Metric[]> {
  const open: Metric = { name: 'steward_perf_open_regressions', help: 'Perf regressions open (confirmed on a base branch, not acknowledged, not fixed).', type: 'gauge', samples: [] };
  const acked: Metric = { name: 'steward_perf_acknowledged_regressions', help: 'Perf regressions acknowledged by an operator and not fixed yet.', type: 'gauge', samples: [] };
  const breaches: Metric = { name: 'steward_perf_budget_breaches', help: "Series (metric x testbed) whose latest run in the profile is over its budget.", type: 'gauge', samples: [] };
  const projects = await db.project.findMany({ where: { perfRuns: { some: {} } }, orderBy: { key: 'asc' }, select: { id: true, key: true } });
  const [regressions, byProfile] = await Promise.all([regressionCounts(db), budgetBreaches(db)]);
  for (const p of projects) {
    const r = regressions.get(p.id) ?? { open: 0, acknowledged: 0 };
    open.samples.push({ labels: { project: p.key }, value: r.open });
    acked.samples.push({ labels: { project: p.key }, value: r.acknowledged });
    for (const b of byProfile.get(p.id) ?? []) breaches.samples.push({ labels: { project: p.key, profile: b.profile }, value: b.breaches });
  }
  return [open, acked, breaches];
}
