import { defineRoute, otherMethods } from '@/lib/auth/route';
import { readPerfRun } from '@/lib/services/perf/queries';

export const dynamic = 'force-dynamic';

/** GET one perf run with its verdicts (token scope `read`, or any signed-in user). */
export const GET = defineRoute({ name: 'perf.run', access: { role: 'viewer', scope: 'read' } }, async ({ db, actor, params }) => readPerfRun(db, actor!, params.id!));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
