import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { invalid, zodIssues } from '@/lib/services/errors';
import { listPlanEntries } from '@/lib/services/retention/plans';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.enum(['delete', 'compress', 'keep', 'actions']).optional(),
  ruleId: z.string().max(100).optional(),
  status: z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'kept']).optional(),
  q: z.string().max(500).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET one page of a plan's entries: ?kind=&ruleId=&status=&q=&page=&pageSize= */
export const GET = defineRoute({ name: 'retention.plan.entries', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  return listPlanEntries(db, params.planId!, parsed.data);
});
