import { defineRoute, otherMethods } from '@/lib/auth/route';
import { ingestRotationReport, rotationReportSchema } from '@/lib/services/retention/reports';

export const dynamic = 'force-dynamic';

/** POST a rotation run from a CI runner (`steward rotate --report-to`). Needs the ingest scope. */
export const POST = defineRoute(
  { name: 'retention.report', access: { role: 'operator', scope: 'ingest' }, body: rotationReportSchema, maxBytes: 64 * 1024 },
  async ({ db, actor, body }) => {
    const { id } = await ingestRotationReport(db, actor!, body);
    return Response.json({ id }, { status: 201 });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
