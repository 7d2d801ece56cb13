import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { auditFilterSchema, listAudit } from '@/lib/services/audit';
import { invalid, zodIssues } from '@/lib/services/errors';
import { safeDate, safeString } from '@/lib/validation';

export const dynamic = 'force-dynamic';

// Bounds the service's own filter schema does not have (dates PostgreSQL cannot store, control
// characters in text), checked first so they are a 400 naming the field rather than a 500.
const bounds = z.object({
  actor: safeString(200).optional(),
  action: safeString(100).optional(),
  from: safeDate().optional(),
  to: safeDate().optional(),
});

/** GET /api/v1/audit?actor=&action=&outcome=&from=&to=&page=&pageSize= */
export const GET = defineRoute({ name: 'audit.read', access: { role: 'viewer', scope: 'read' } }, async ({ req, db }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const checked = bounds.safeParse(query);
  if (!checked.success) throw invalid(zodIssues(checked.error.issues));
  const parsed = auditFilterSchema.safeParse(query);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  return listAudit(db, parsed.data);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
