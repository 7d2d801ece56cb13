import { defineRoute, otherMethods } from '@/lib/auth/route';

export const dynamic = 'force-dynamic';

/** Registered roots with their policy and schedule. */
export const GET = defineRoute({ name: 'retention.roots.read', access: { role: 'viewer', scope: 'read' } }, async ({ db }) => {
  const roots = await db.artifactRoot.findMany({ orderBy: { name: 'asc' } });
  return {
    roots: roots.map((r) => ({ id: r.id, name: r.name, path: r.path, policy: r.policy, policyVersion: r.policyVersion, presetId: r.presetId, schedule: r.schedule, scheduleMode: r.scheduleMode, timezone: r.timezone, executing: r.executingPlanId !== null, scheduledFailures: r.scheduledFailures })),
  };
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
