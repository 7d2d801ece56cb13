import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { historyImportSchema, importPerfHistory } from '@/lib/services/perf/import-history';
import { MAX_PERF_BODY_BYTES } from '@/lib/services/perf/run-input';

export const dynamic = 'force-dynamic';

/**
 * POST a github-action-benchmark history (`gh-pages` → `dev/bench/data.js`) from CI, the API twin of
 * `steward perf import`: `{ project, file: { name, content }, suite?, branch?, profile?, testbed? }`
 * (lib/services/perf/import-history.ts). The `ingest` token only, as for perf runs: history is runs
 * at their own dates, stored with budget verdicts and never judged against today's baseline.
 * Answers what was imported; 201 when something new was stored, 200 when every entry was already in.
 */
export const POST = defineRoute(
  { name: 'perf.import', access: { role: 'admin', scope: 'ingest' }, body: historyImportSchema, maxBytes: MAX_PERF_BODY_BYTES },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'perf.import', summary: 'Refused: perf.import needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
    }
    const result = await importPerfHistory(db, actor, body, { now });
    return Response.json(result, { status: result.imported ? 201 : 200 });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
