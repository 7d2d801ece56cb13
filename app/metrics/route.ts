// Prometheus metrics. Needs a token with the "read" scope (or a signed-in user), unless
// STEWARD_METRICS_PUBLIC=on makes it public for a scraper on a trusted network.
import { defineRoute } from '@/lib/auth/route';
import { getEnv } from '@/lib/env';
import { flakyMetrics } from '@/lib/services/flaky/metrics';
import { renderMetrics } from '@/lib/services/metrics-text';
import { notificationMetrics } from '@/lib/services/notifications/metrics';
import { perfMetrics } from '@/lib/services/perf/metrics';
import { retentionMetrics } from '@/lib/services/retention/metrics';

export const dynamic = 'force-dynamic';

const handler = async ({ db, now }: { db: Parameters<typeof retentionMetrics>[0]; now: Date }) =>
  new Response((await retentionMetrics(db, now)) + renderMetrics([...(await flakyMetrics(db, now)), ...(await notificationMetrics(db)), ...(await perfMetrics(db))]), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });

const publicRoute = defineRoute({ name: 'metrics.read', access: { public: true } }, handler);
const protectedRoute = defineRoute({ name: 'metrics.read', access: { role: 'viewer', scope: 'read' } }, handler);

export function GET(req: Request, ctx: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  return (getEnv().STEWARD_METRICS_PUBLIC ? publicRoute : protectedRoute)(req, ctx);
}
