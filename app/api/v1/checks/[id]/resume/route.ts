import { defineRoute, otherMethods } from '@/lib/auth/route';
import { setCheckPaused } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/** Resume a check (it starts afresh: new until its next ping). Operators or an `ingest` token; answers the check. */
export const POST = defineRoute({ name: 'cron.check.resume', access: { role: 'operator', scope: 'ingest' } }, async ({ db, actor, params, now }) => setCheckPaused(db, actor!, params.id!, false, now));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
