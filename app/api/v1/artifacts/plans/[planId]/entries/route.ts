import { defineRoute } from '@/lib/auth/route';
import { listEntriesPage, parseEntryQuery } from '@/lib/services/retention/entries-query';

export const dynamic = 'force-dynamic';

/** GET one page of a plan's entries in natural path order: ?kind=&ruleId=&reason=&status=&q=&page=&pageSize= */
export const GET = defineRoute({ name: 'retention.plan.entries', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, params }) => {
  return listEntriesPage(db, params.planId!, parseEntryQuery(new URL(req.url).searchParams));
});
