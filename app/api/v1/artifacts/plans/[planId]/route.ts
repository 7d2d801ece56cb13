import { defineRoute, otherMethods } from '@/lib/auth/route';
import { getPlan, planGroups } from '@/lib/services/retention/plans';

export const dynamic = 'force-dynamic';

/** A plan's summary, per-rule groups and execution progress (the plan page polls this). */
export const GET = defineRoute({ name: 'retention.plan.read', access: { role: 'viewer', scope: 'read' } }, async ({ db, params, now }) => {
  const plan = await getPlan(db, params.planId!, now);
  return { ...plan, groups: await planGroups(db, plan.id) };
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
