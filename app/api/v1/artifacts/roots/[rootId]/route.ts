import { defineRoute } from '@/lib/auth/route';
import { removeRoot } from '@/lib/services/retention/remove-root';

export const dynamic = 'force-dynamic';

/**
 * DELETE a root: admin (session) only, audited. Its schedule stops, its plans and samples are
 * deleted, its rotation runs are kept; no file is touched. 409 while a cleanup runs on it.
 */
export const DELETE = defineRoute({ name: 'retention.root.delete', access: { role: 'admin' } }, async ({ db, actor, params }) => {
  const impact = await removeRoot(db, actor!, params.rootId!);
  return { removed: { id: impact.id, name: impact.name, path: impact.path }, plansDeleted: impact.plans, samplesDeleted: impact.samples, runsKept: impact.runs };
});
