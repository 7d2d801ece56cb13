import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { CHECK_STATES } from '@/lib/engine/cron/types';
import { checkInputSchema, createCheck, listChecks } from '@/lib/services/cron';
import { invalid, zodIssues } from '@/lib/services/errors';
import { queryInt, safeString } from '@/lib/validation';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  state: z.enum(CHECK_STATES as unknown as [string, ...string[]], { message: `must be one of ${CHECK_STATES.join(', ')}` }).optional(),
  tag: safeString(50).optional(),
  search: safeString(100).optional(),
  limit: queryInt(1, 200).optional(),
  cursor: safeString(1000).optional(),
}).strict();

/** Checks, down and late first, then by name: ?state=&tag=&search=&limit=&cursor= (token scope `read`, or any signed-in user). */
export const GET = defineRoute({ name: 'cron.check.list', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor, now }) => {
  const q = listQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) throw invalid(zodIssues(q.error.issues));
  return listChecks(db, actor!, { ...q.data, state: q.data.state as (typeof CHECK_STATES)[number] | undefined }, now);
});

/** Create a check (operators, or a token with the `ingest` scope). Body: CheckInput (lib/services/cron/dto.ts). 201 with the check. */
export const POST = defineRoute({ name: 'cron.check.create', access: { role: 'operator', scope: 'ingest' }, body: checkInputSchema }, async ({ db, actor, body, now }) =>
  Response.json(await createCheck(db, actor!, body, now), { status: 201 }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
