/** Everything `GET /metrics` exposes: each capability's gauges in one Prometheus text body. */
import type { Db } from '@/lib/db/client';
import { cronMetrics } from './cron/metrics';
import { flakyMetrics } from './flaky/metrics';
import { renderMetrics } from './metrics-text';
import { notificationMetrics } from './notifications/metrics';
import { perfMetrics } from './perf/metrics';
import { retentionMetrics } from './retention/metrics';
import { soakMetrics } from './soak/metrics';

export async function allMetricsText(db: Db, now: Date): Promise<string> {
  return (await retentionMetrics(db, now)) + renderMetrics([...(await flakyMetrics(db, now)), ...(await notificationMetrics(db)), ...(await perfMetrics(db)), ...(await soakMetrics(db, now)), ...(await cronMetrics(db, now))]);
}
