import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { ingestSoakRun, listSoakRuns, MAX_SOAK_BODY_BYTES, soakRunSchema } from '@/lib/services/soak';
import { readQuery } from '@/lib/services/soak/list-query';

export const dynamic = 'force-dynamic';

/**
 * POST a soak run from CI (`steward soak report --report-to`): the `ingest` token only (a
 * session-authenticated POST is what a cross-site form would ride on). Body: `{ project, name,
 * files: [{ name, content }], runKey?, crashes?, orphanOrders?, thresholds?, leak? }` (see
 * lib/services/soak/input.ts). Answers the verdicts; 201 for a new run, 200 for a re-sent one.
 */
export const POST = defineRoute(
  { name: 'soak.ingest', access: { role: 'admin', scope: 'ingest' }, body: soakRunSchema, maxBytes: MAX_SOAK_BODY_BYTES },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'soak.ingest', summary: 'Refused: soak.ingest needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
    }
    const result = await ingestSoakRun(db, actor, body, { now });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);

/** Soak runs, newest first, with a verdict per criterion: ?project=&limit=&before= (token scope `read`, or any signed-in user). */
export const GET = defineRoute({ name: 'soak.list', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor }) => {
  const q = readQuery(req);
  return { runs: await listSoakRuns(db, actor!, { project: q.project, limit: q.limit, before: q.before }) };
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
