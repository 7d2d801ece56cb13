import { defineRoute, otherMethods } from '@/lib/auth/route';
import { getSoakRun } from '@/lib/services/soak';
import { readQuery } from '@/lib/services/soak/list-query';

export const dynamic = 'force-dynamic';

/** One soak run: verdicts, samples downsampled to ?points= buckets (default 400), the fitted line and its interval. */
export const GET = defineRoute({ name: 'soak.run', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor, params }) => getSoakRun(db, actor!, params.id!, { points: readQuery(req).points }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
