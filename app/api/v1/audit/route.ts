import { defineRoute } from '@/lib/auth/route';
import { auditFilterSchema, listAudit } from '@/lib/services/audit';
import { invalid, zodIssues } from '@/lib/services/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/audit?actor=&action=&outcome=&from=&to=&page=&pageSize= */
export const GET = defineRoute({ name: 'audit.read', access: { role: 'viewer', scope: 'read' } }, async ({ req, db }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = auditFilterSchema.safeParse(query);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  return listAudit(db, parsed.data);
});
