import { defineRoute, otherMethods } from '@/lib/auth/route';
import { checkInputSchema, deleteCheck, getCheck, updateCheck } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/** One check with its pings, runs, flips and notifications (token scope `read`, or any signed-in user). */
export const GET = defineRoute({ name: 'cron.check.get', access: { role: 'viewer', scope: 'read' } }, async ({ db, actor, params, now }) => getCheck(db, actor!, params.id!, now));

/** Replace a check's settings (the whole CheckInput; its type cannot change). Operators or an `ingest` token. */
const update = defineRoute({ name: 'cron.check.update', access: { role: 'operator', scope: 'ingest' }, body: checkInputSchema }, async ({ db, actor, body, params, now }) =>
  updateCheck(db, actor!, params.id!, body, now));
export const PUT = update;
export const PATCH = update;

/** Delete a check and its pings and flips. Operators or an `ingest` token. 204. */
export const DELETE = defineRoute({ name: 'cron.check.delete', access: { role: 'operator', scope: 'ingest' } }, async ({ db, actor, params, now }) => {
  await deleteCheck(db, actor!, params.id!, now);
  return new Response(null, { status: 204 });
});

export const { POST, OPTIONS } = otherMethods(['GET', 'PUT', 'PATCH', 'DELETE']);
