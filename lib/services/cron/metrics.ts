/**
 * Prometheus gauges of cron checks (GET /metrics), each check labelled by its (unique) name and
 * type, evaluated live at `now`:
 * - steward_cron_check_up: 1 up / started / new, 0 late / down; paused checks are omitted;
 * - steward_cron_check_state: 1 for the check's current state (a state set, so an alert rule can
 *   tell down from late: deploy/prometheus/steward-rules.yml StewardCronCheckDown);
 * - steward_cron_seconds_since_last_ping: since the last ping (freshness: the last observation);
 * - steward_cron_last_duration_seconds: the last paired run's duration.
 */
import type { Db } from '@/lib/db/client';
import type { Metric } from '../metrics-text';
import { evaluateRow, type CheckRow } from './rows';

export async function cronMetrics(db: Db, now: Date): Promise<Metric[]> {
  const up: Metric = { name: 'steward_cron_check_up', help: 'Cron check: 1 up, started or new; 0 late or down (paused checks are omitted).', type: 'gauge', samples: [] };
  const state: Metric = { name: 'steward_cron_check_state', help: 'Cron check: 1 for its current state (new, up, started, late, down, paused).', type: 'gauge', samples: [] };
  const since: Metric = { name: 'steward_cron_seconds_since_last_ping', help: 'Seconds since the check last pinged (freshness checks: since the artifact was last observed).', type: 'gauge', samples: [] };
  const duration: Metric = { name: 'steward_cron_last_duration_seconds', help: 'Duration of the check\'s last run (start ping to finish ping), seconds.', type: 'gauge', samples: [] };
  const rows = await db.cronCheck.findMany({ orderBy: { name: 'asc' }, take: 20_000 });
  for (const r of rows as CheckRow[]) {
    const labels = { check: r.name, type: r.type };
    const s = evaluateRow(r, now).state;
    state.samples.push({ labels: { ...labels, state: s }, value: 1 });
    if (s !== 'paused') up.samples.push({ labels, value: s === 'late' || s === 'down' ? 0 : 1 });
    if (r.lastPingAt) since.samples.push({ labels, value: Math.max(0, Math.floor((now.getTime() - r.lastPingAt.getTime()) / 1000)) });
    if (r.lastDurationSeconds !== null) duration.samples.push({ labels, value: r.lastDurationSeconds });
  }
  return [up, state, since, duration];
}
