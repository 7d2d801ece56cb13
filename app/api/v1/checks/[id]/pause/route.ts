import { defineRoute, otherMethods } from '@/lib/auth/route';
import { setCheckPaused } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/** Pause a check (never late or down until resumed). Operators or an `ingest` token; answers the check. */
export const POST = defineRoute({ name: 'cron.check.pause', access: { role: 'operator', scope: 'ingest' } }, async ({ db, actor, params, now }) => setCheckPaused(db, actor!, params.id!, true, now));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
