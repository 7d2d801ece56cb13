import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { invalid, ServiceError, zodIssues } from '@/lib/services/errors';
import { listPlanEntries } from '@/lib/services/retention/plans';
import { queryInt, safeString } from '@/lib/validation';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.enum(['delete', 'compress', 'keep', 'actions']).optional(),
  ruleId: safeString(100).optional(),
  status: z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'kept']).optional(),
  q: safeString(500).optional(),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 500).default(100),
});

/** GET one page of a plan's entries: ?kind=&ruleId=&status=&q=&page=&pageSize= */
export const GET = defineRoute({ name: 'retention.plan.entries', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  // A plan that does not exist is a 404, not an empty page that looks like a plan with no entries.
  const plan = await db.retentionPlan.findUnique({ where: { id: params.planId! }, select: { id: true } });
  if (!plan) throw new ServiceError('not_found', `No plan with id ${params.planId}`);
  return listPlanEntries(db, plan.id, parsed.data);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
