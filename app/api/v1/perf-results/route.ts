import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { MAX_PERF_BODY_BYTES, perfRunSchema } from '@/lib/services/perf/run-input';

export const dynamic = 'force-dynamic';

/**
 * POST a perf run from CI (`steward perf report|check`): the `ingest` token only, as for test
 * results (a session-authenticated POST is what a cross-site form would ride on). The body is JSON:
 * the run's context and its files (`{ project, profile, branch, commit, testbed, files: [{ name,
 * content }] }`, see lib/services/perf/run-input.ts). Answers the verdicts per metric; 201 for a new
 * run, 200 for a re-sent one.
 */
export const POST = defineRoute(
  { name: 'perf.ingest', access: { role: 'admin', scope: 'ingest' }, body: perfRunSchema, maxBytes: MAX_PERF_BODY_BYTES },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'perf.ingest', summary: 'Refused: perf.ingest needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
    }
    const result = await ingestPerfRun(db, actor, body, { now });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
