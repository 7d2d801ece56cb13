// Prometheus metrics. Needs a token with the "read" scope (or a signed-in user), unless
// STEWARD_METRICS_PUBLIC=on makes it public for a scraper on a trusted network.
import { defineRoute } from '@/lib/auth/route';
import { getEnv } from '@/lib/env';
import { retentionMetrics } from '@/lib/services/retention/metrics';

export const dynamic = 'force-dynamic';

const handler = async ({ db }: { db: Parameters<typeof retentionMetrics>[0] }) =>
  new Response(await retentionMetrics(db), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });

const publicRoute = defineRoute({ name: 'metrics.read', access: { public: true } }, handler);
const protectedRoute = defineRoute({ name: 'metrics.read', access: { role: 'viewer', scope: 'read' } }, handler);

export function GET(req: Request, ctx: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  return (getEnv().STEWARD_METRICS_PUBLIC ? publicRoute : protectedRoute)(req, ctx);
}
