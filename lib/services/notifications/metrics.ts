/** Notification metrics for /metrics: deliveries by status (dead = the dead-letter count). */
import type { Db } from '@/lib/db/client';
import type { Metric } from '../metrics-text';
import { deliveryCounts } from './deliveries';

export async function notificationMetrics(db: Db): Promise<Metric[]> {
  const counts = await deliveryCounts(db);
  return [{
    name: 'steward_notification_deliveries',
    help: 'Notification deliveries by status (dead: gave up, see Settings → Notifications)',
    type: 'gauge',
    samples: Object.entries(counts).map(([status, value]) => ({ labels: { status }, value })),
  }];
}
