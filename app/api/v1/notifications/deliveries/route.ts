import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { invalid, zodIssues } from '@/lib/services/errors';
import { DELIVERY_STATUSES, listDeliveries } from '@/lib/services/notifications/deliveries';
import { queryInt } from '@/lib/validation';

export const dynamic = 'force-dynamic';

// Strict here (a bad value is a 400 naming it); the page's schema forgives bad links instead.
const query = z.object({
  channel: z.string().uuid('is not a channel id').optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  kind: z.string().regex(/^[a-z]+\.[a-z_]+$/, 'is not an event kind').max(64).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 200).default(25),
});

/** GET /api/v1/notifications/deliveries?channel=&status=&kind=&page=&pageSize= — operators, or a token with the read scope. Never secrets. */
export const GET = defineRoute({ name: 'notification.deliveries.read', access: { role: 'operator', scope: 'read' } }, async ({ req, db }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  return listDeliveries(db, parsed.data);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
