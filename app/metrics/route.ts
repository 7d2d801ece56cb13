// Prometheus metrics. Needs a token with the "read" scope (or a signed-in user), unless
// STEWARD_METRICS_PUBLIC=on makes it public for a scraper on a trusted network.
import { defineRoute } from '@/lib/auth/route';
import { getEnv } from '@/lib/env';
import type { Db } from '@/lib/db/client';
import { allMetricsText } from '@/lib/services/metrics-all';

export const dynamic = 'force-dynamic';

const handler = async ({ db, now }: { db: Db; now: Date }) =>
  new Response(await allMetricsText(db, now), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });

const publicRoute = defineRoute({ name: 'metrics.read', access: { public: true } }, handler);
const protectedRoute = defineRoute({ name: 'metrics.read', access: { role: 'viewer', scope: 'read' } }, handler);

export function GET(req: Request, ctx: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  return (getEnv().STEWARD_METRICS_PUBLIC ? publicRoute : protectedRoute)(req, ctx);
}
