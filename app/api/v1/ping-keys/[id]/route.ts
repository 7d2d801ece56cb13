import { defineRoute, otherMethods } from '@/lib/auth/route';
import { deletePingKey } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/** Delete a ping key (admins only): its checks keep their uuid URLs. 204. */
export const DELETE = defineRoute({ name: 'cron.ping_key.delete', access: { role: 'admin' } }, async ({ db, actor, params, now }) => {
  await deletePingKey(db, actor!, params.id!, now);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods(['DELETE']);
