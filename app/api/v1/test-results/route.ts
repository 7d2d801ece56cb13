import { pacedRequest } from '@/lib/auth/paced-body';
import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { getEnv } from '@/lib/env';
import { recordAudit } from '@/lib/services/audit';
import { uploadRequest } from '@/lib/services/flaky/upload-request';
import { ingestResults, uploadSpoolDir } from '@/lib/services/flaky/ingest';
import { refreshAfterUpload } from '@/lib/services/flaky/leaderboard-cache';
import { afterResponse } from '@/lib/server/after-response';

export const dynamic = 'force-dynamic';

/**
 * POST test results from CI (`steward report junit`): the `ingest` token only, as for rotation
 * reports (a session-authenticated upload is what a cross-site form would ride on; the UI uploads
 * through a server action). The body is raw XML (optionally gzip, by Content-Encoding or magic
 * bytes) with the run in the query string, or multipart/form-data with several files and the run
 * as fields. See lib/services/flaky/upload-request.ts. The body is read at the parser's pace
 * (lib/auth/paced-body.ts), so a 200 MB upload is never held in memory.
 */
export const POST = defineRoute({ name: 'tests.ingest', access: { role: 'admin', scope: 'ingest' } }, async ({ req, db, actor, now }) => {
  if (actor?.type !== 'token') {
    if (actor) await recordAudit(db, actor, { action: 'tests.ingest', summary: 'Refused: tests.ingest needs an API token with the "ingest" scope', outcome: 'denied' });
    return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope; in the browser, use Flaky tests → Upload.');
  }
  // Read at the parser's pace: Next would otherwise buffer the whole body as it arrives.
  const input = await uploadRequest(pacedRequest(req));
  const result = await ingestResults(db, actor, input, { now, rawDays: getEnv().STEWARD_RAW_UPLOAD_DAYS, spoolDir: uploadSpoolDir(getEnv()) });
  // The project page's leaderboard, recomputed once the answer is sent, so the next view is a hit.
  afterResponse(() => refreshAfterUpload(db, result));
  return Response.json(result, { status: result.uploads.every((u) => u.duplicate) ? 200 : 201 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
