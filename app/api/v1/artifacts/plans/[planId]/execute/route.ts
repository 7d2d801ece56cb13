import { defineRoute, otherMethods } from '@/lib/auth/route';
import { executePlan } from '@/lib/services/retention/execute';

export const dynamic = 'force-dynamic';
export const maxDuration = 3600;

/** Execute an approved plan and return the result when it is done. Operators only. */
export const POST = defineRoute({ name: 'retention.execute', access: { role: 'operator' } }, async ({ db, actor, params }) => {
  return executePlan(db, actor!, params.planId!);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
