import { defineRoute, otherMethods } from '@/lib/auth/route';
import { approvePlan } from '@/lib/services/retention/plans';

export const dynamic = 'force-dynamic';

/** Approve a draft plan. Operators only; API tokens cannot approve (no token scope allows it). */
export const POST = defineRoute({ name: 'retention.approve', access: { role: 'operator' } }, async ({ db, actor, params, now }) => {
  return approvePlan(db, actor!, params.planId!, now);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
