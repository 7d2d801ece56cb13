import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { chaosRunSchema, ingestChaosRun, listChaosScenarios, MAX_CHAOS_BODY_BYTES } from '@/lib/services/soak';
import { readQuery } from '@/lib/services/soak/list-query';

export const dynamic = 'force-dynamic';

/** POST chaos results, JSON or JUnit (`steward chaos report --report-to`): `{ project, file: { name, content }, tag?, at?, runKey? }`; ingest token only. */
export const POST = defineRoute(
  { name: 'chaos.ingest', access: { role: 'admin', scope: 'ingest' }, body: chaosRunSchema, maxBytes: MAX_CHAOS_BODY_BYTES + 64 * 1024 },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'chaos.ingest', summary: 'Refused: chaos.ingest needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope.');
    }
    const result = await ingestChaosRun(db, actor, body, { now });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);

/** Per scenario over ?days= (default 30): success rate (target > 95 %) and recovery times (target < 30 s). */
export const GET = defineRoute({ name: 'chaos.list', access: { role: 'viewer', scope: 'read' } }, async ({ req, db, actor, now }) => {
  const q = readQuery(req);
  return { scenarios: await listChaosScenarios(db, actor!, { project: q.project, days: q.days, now }) };
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
