import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { formatQuarantine, QUARANTINE_FORMATS } from '@/lib/engine/flaky/quarantine-format';
import { invalid } from '@/lib/services/errors';
import { listQuarantined } from '@/lib/services/flaky/quarantine';

export const dynamic = 'force-dynamic';

const formatSchema = z.enum(QUARANTINE_FORMATS);

/** The quarantine list in a form a test runner takes: ?format=json|text|pytest|jest|go (default json). */
export const GET = defineRoute({ name: 'tests.quarantine.list', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor, params }) => {
  const raw = new URL(req.url).searchParams.get('format') ?? 'json';
  const format = formatSchema.safeParse(raw);
  if (!format.success) throw invalid([{ field: 'format', message: `must be one of ${QUARANTINE_FORMATS.join(', ')}` }]);
  const tests = await listQuarantined(db, actor!, params.key ?? '');
  const body = formatQuarantine(tests, format.data);
  return new Response(body, { headers: { 'content-type': format.data === 'json' ? 'application/json' : 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
