import { defineRoute, errorResponse, otherMethods } from '@/lib/auth/route';
import { recordAudit } from '@/lib/services/audit';
import { ingestRotationReport, rotationReportSchema } from '@/lib/services/retention/reports';

export const dynamic = 'force-dynamic';

/**
 * POST a rotation run from a CI runner (`steward rotate --report-to`). The `ingest` token only, as
 * the README says: a browser session cannot post runner reports (nothing in the UI does, and a
 * session-authenticated POST is what a cross-site form would ride on).
 *
 * defineRoute has no token-only access yet, so `role: 'admin'` keeps most sessions out at the
 * wrapper and the handler refuses the rest; when lib/auth/route.ts gains a token-only form, move
 * this into the config.
 */
export const POST = defineRoute(
  { name: 'retention.report', access: { role: 'admin', scope: 'ingest' }, body: rotationReportSchema, maxBytes: 64 * 1024 },
  async ({ db, actor, body, now }) => {
    if (actor?.type !== 'token') {
      if (actor) await recordAudit(db, actor, { action: 'retention.report', summary: 'Refused: retention.report needs an API token with the "ingest" scope', outcome: 'denied' });
      return errorResponse(403, 'forbidden', 'This endpoint needs an API token with the "ingest" scope; sessions cannot report rotation runs.');
    }
    const { id } = await ingestRotationReport(db, actor, body, now);
    return Response.json({ id }, { status: 201 });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
