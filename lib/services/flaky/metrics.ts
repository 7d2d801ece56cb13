/** Prometheus gauges of the flaky-test projects, from the same queries as the pages. */
import type { Db } from '@/lib/db/client';
import type { Metric } from '../metrics-text';
import { projectPolicy } from './projects';
import { projectOverview } from './queries';

export async function flakyMetrics(db: Db, now: Date = new Date()): Promise<Metric[]> {
  const gauge = (name: string, help: string): Metric => ({ name, help, type: 'gauge', samples: [] });
  const tracked = gauge('steward_flaky_tests_tracked', 'Tests seen in the last 30 days.');
  const quarantined = gauge('steward_flaky_tests_quarantined', 'Tests quarantined now.');
  const broken = gauge('steward_flaky_tests_broken', 'Tests failing on every recent run of a branch.');
  const flaky = gauge('steward_flaky_tests_flaky_7d', 'Flaky results in the last 7 days (passed after failing attempts).');
  const rate = gauge('steward_flaky_flake_rate_7d', 'Flaky results / results over the last 7 days (absent below the minimum number of results).');
  const projects = await db.project.findMany({ orderBy: { key: 'asc' }, select: { id: true, key: true, policy: true } });
  for (const p of projects) {
    const o = await projectOverview(db, p.id, now, projectPolicy(p.policy).minResultsForRate);
    const labels = { project: p.key };
    tracked.samples.push({ labels, value: o.tracked });
    quarantined.samples.push({ labels, value: o.quarantined });
    broken.samples.push({ labels, value: o.broken });
    flaky.samples.push({ labels, value: o.windows[0]?.flaky ?? 0 });
    if (o.windows[0]?.flakeRate !== null && o.windows[0]?.flakeRate !== undefined) rate.samples.push({ labels, value: o.windows[0].flakeRate });
  }
  return [tracked, quarantined, broken, flaky, rate];
}
