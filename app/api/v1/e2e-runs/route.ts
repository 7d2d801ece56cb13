import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { invalid } from '@/lib/services/errors';
import { e2eRunSchema, ingestE2eRun, listE2ePipelines, listE2eRuns, MAX_E2E_BODY_BYTES } from '@/lib/services/soak';
import { readQuery } from '@/lib/services/soak/list-query';

export const dynamic = 'force-dynamic';

/** POST an events.jsonl (`steward e2e summarize --report-to`): `{ project, pipeline?, file: { name, content }, runKey? }`; ingest token only. */
export const POST = defineRoute(
  { name: 'e2e.ingest', access: { role: 'admin', scope: 'ingest' }, body: e2eRunSchema, maxBytes: MAX_E2E_BODY_BYTES + 64 * 1024 },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'e2e.ingest', summary: 'Refused: e2e.ingest needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
    }
    const result = await ingestE2eRun(db, actor, body, { now });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);

/**
 * Without `pipeline`: success rate per pipeline over ?days= (default 30), with the last run and the
 * last failing step. With ?project=&pipeline=: that pipeline's latest runs (?limit=).
 */
export const GET = defineRoute({ name: 'e2e.list', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor, now }) => {
  const q = readQuery(req);
  if (q.pipeline) {
    if (!q.project) throw invalid([{ field: 'project', message: 'is required with pipeline' }]);
    return { runs: await listE2eRuns(db, actor!, { project: q.project, pipeline: q.pipeline, limit: q.limit }) };
  }
  return { pipelines: await listE2ePipelines(db, actor!, { project: q.project, days: q.days, now }) };
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
