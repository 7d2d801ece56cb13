import { defineRoute, otherMethods } from '@/lib/auth/route';
import { ServiceError } from '@/lib/services/errors';
import { listEntriesPage, parseEntryQuery } from '@/lib/services/retention/entries-query';

export const dynamic = 'force-dynamic';

/** GET one page of a plan's entries in natural path order: ?kind=&ruleId=&reason=&status=&q=&page=&pageSize= */
export const GET = defineRoute({ name: 'retention.plan.entries', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, params }) => {
  const query = parseEntryQuery(new URL(req.url).searchParams);
  // A plan that does not exist is a 404, not an empty page that looks like a plan with no entries.
  const plan = await db.retentionPlan.findUnique({ where: { id: params.planId! }, select: { id: true } });
  if (!plan) throw new ServiceError('not_found', `No plan with id ${params.planId}`);
  return listEntriesPage(db, plan.id, query);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
