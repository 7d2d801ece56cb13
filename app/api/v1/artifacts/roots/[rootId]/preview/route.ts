import { defineRoute, otherMethods } from '@/lib/auth/route';
import { previewCleanup } from '@/lib/services/retention/plans';

export const dynamic = 'force-dynamic';

/** Scan the root and store a draft plan. Operators only. */
export const POST = defineRoute({ name: 'retention.preview', access: { role: 'operator' } }, async ({ db, actor, params, now }) => {
  const plan = await previewCleanup(db, actor!, params.rootId!, now);
  return Response.json(plan, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
