/**
 * Regressions of a project (reads), and an operator acknowledging or closing one by hand (writes,
 * audited). Ingest opens them on a confirmed failure and closes them as fixed when a run is back
 * within the warning threshold (regressions.ts); the page only adds the human steps.
 */
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { mayUseProject } from '../flaky/projects';

export const REGRESSION_STATES = ['open', 'acknowledged', 'fixed'] as const;
export type RegressionState = (typeof REGRESSION_STATES)[number];

export interface RegressionRow {
  id: string;
  status: RegressionState;
  metric: { id: string; name: string; measure: string };
  testbed: { id: string; label: string };
  branch: string;
  worsePct: number;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
  note: string;
  opened: { runId: string; commit: string | null; at: string } | null;
  last: { runId: string; commit: string | null; at: string } | null;
}

export async function regressionsPage(db: Db, projectId: string, opts: { status: RegressionState | null; page: number; pageSize: number }): Promise<{ rows: RegressionRow[]; total: number }> {
  const where = { metric: { projectId }, ...(opts.status ? { status: opts.status } : {}) };
  const [total, rows] = await Promise.all([
    db.perfRegression.count({ where }),
    // Not yet closed first (open or acknowledged), then by when they opened, newest first.
    db.perfRegression.findMany({ where, orderBy: [{ closedAt: { sort: 'desc', nulls: 'first' } }, { openedAt: 'desc' }, { id: 'asc' }], skip: (opts.page - 1) * opts.pageSize, take: opts.pageSize, include: { metric: { select: { id: true, name: true, measure: true } } } }),
  ]);
  const runIds = [...new Set(rows.flatMap((r) => [r.openedRunId, r.lastRunId]))];
  const testbedIds = [...new Set(rows.map((r) => r.testbedId))];
  const [runs, testbeds] = await Promise.all([
    db.perfRun.findMany({ where: { id: { in: runIds } }, select: { id: true, commit: true, at: true } }),
    db.perfTestbed.findMany({ where: { id: { in: testbedIds } }, select: { id: true, label: true } }),
  ]);
  const run = (id: string) => {
    const r = runs.find((x) => x.id === id);
    return r ? { runId: r.id, commit: r.commit, at: r.at.toISOString() } : null;
  };
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, status: r.status as RegressionState, metric: r.metric, testbed: testbeds.find((t) => t.id === r.testbedId) ?? { id: r.testbedId, label: '?' }, branch: r.branch,
      worsePct: r.worsePct, openedAt: r.openedAt.toISOString(), updatedAt: r.updatedAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null, note: r.note,
      opened: run(r.openedRunId), last: run(r.lastRunId),
    })),
  };
}

export const setRegressionStatusSchema = z.object({
  id: z.string().uuid('must be a regression id'),
  status: z.enum(['acknowledged', 'fixed']),
  note: z.string().trim().min(1, 'is required: say who looks into it, or what fixed it').max(2000),
});

/** Acknowledge (someone is on it) or close as fixed by hand; a closed regression stays closed. */
export async function setRegressionStatus(db: Db, actor: Actor, raw: z.input<typeof setRegressionStatusSchema>, now = new Date()): Promise<{ id: string; status: RegressionState }> {
  const r = setRegressionStatusSchema.safeParse(raw);
  if (!r.success) throw invalid(zodIssues(r.error.issues));
  const { id, status, note } = r.data;
  return db.$transaction(async (tx) => {
    const g = await tx.perfRegression.findUnique({ where: { id }, include: { metric: { select: { name: true, measure: true, project: { select: { key: true } } } } } });
    if (!g || !mayUseProject(actor, g.metric.project.key)) throw new ServiceError('not_found', `No regression "${id}".`);
    if (g.status === 'fixed') throw new ServiceError('conflict', 'This regression is already closed as fixed.');
    if (g.status === status) throw new ServiceError('conflict', `This regression is already ${status}.`);
    // Compare-and-set on the state read above, so two operators never both move it.
    const moved = await tx.perfRegression.updateMany({ where: { id, status: g.status }, data: { status, note, updatedAt: now, ...(status === 'fixed' ? { closedAt: now } : {}) } });
    if (moved.count !== 1) throw new ServiceError('conflict', 'The regression was changed by someone else since you looked; reload and try again.');
    await recordAudit(tx, actor, {
      at: now, action: `perf.regression.${status === 'fixed' ? 'fix' : 'acknowledge'}`, targetType: 'perf_regression', targetId: id,
      summary: `Regression of "${g.metric.name}" (${g.metric.measure}) on ${g.branch} in "${g.metric.project.key}" ${status === 'fixed' ? 'closed as fixed' : 'acknowledged'}: ${note.slice(0, 200)}`,
      before: { status: g.status }, after: { status },
    });
    return { id, status };
  });
}
