import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { ingestSentinelReport, sentinelReportSchema } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/**
 * POST a `steward sentinel --json` result from a runner (`--report-to`): the `ingest` token only,
 * like every CI upload. Body `{ source?, results: SentinelTaskResult[] }`. Each task upserts the
 * freshness check of its name and stores the observation; answers each check's state.
 */
export const POST = defineRoute({ name: 'cron.sentinel.report', access: { role: 'admin', scope: 'ingest' }, body: sentinelReportSchema }, async ({ db, actor, body, now }) => {
  if (actor?.type !== 'token') {
    if (actor) await recordAudit(db, actor, { action: 'cron.sentinel.report', summary: 'Refused: cron.sentinel.report needs an API token with the "ingest" scope', outcome: 'denied' });
    return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
  }
  return ingestSentinelReport(db, actor, body, now);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
