/**
 * Regressions on a base branch (main, nightly): a confirmed failure opens one (or updates the open
 * one: a regression is one record however many runs breach); a run back within the warning
 * threshold closes it as fixed, naming the run. PR runs never open regressions — their gate fails.
 */
import crypto from 'node:crypto';
import type { Prisma } from '@/lib/db/generated/client';
import type { Comparison } from '@/lib/engine/perf';
import { enqueuePerfEvent } from '../notifications/perf-events';

type Tx = Prisma.TransactionClient;

export interface RegressionContext { runId: string; testbedId: string; testbed: string; branch: string; project: string; now: Date }

/** Opens, updates or closes regressions for the judged metrics; each open and close notifies (same transaction). */
export async function updateRegressions(tx: Tx, ctx: RegressionContext, results: { metric: { id: string; name: string; measure: string }; comparison: Comparison | null }[]): Promise<void> {
  const judged = results.filter((r) => r.comparison);
  if (!judged.length) return;
  const open = await tx.perfRegression.findMany({
    where: { metricId: { in: judged.map((r) => r.metric.id) }, testbedId: ctx.testbedId, branch: ctx.branch, status: { in: ['open', 'acknowledged'] } },
    select: { id: true, metricId: true, worsePct: true },
  });
  const openOf = new Map(open.map((o) => [o.metricId, o]));
  for (const { metric, comparison: c } of judged) {
    const existing = openOf.get(metric.id);
    const event = (kind: 'regression' | 'fixed', regressionId: string) =>
      enqueuePerfEvent(tx, { kind, project: ctx.project, regressionId, metric, branch: ctx.branch, testbed: ctx.testbed, worsePct: c!.worsePct, reason: c!.reason, runId: ctx.runId }, ctx.now);
    if (c!.status === 'fail') {
      if (existing) {
        await tx.perfRegression.update({ where: { id: existing.id }, data: { lastRunId: ctx.runId, updatedAt: ctx.now, worsePct: Math.max(existing.worsePct, c!.worsePct) } });
      } else {
        const id = crypto.randomUUID();
        await tx.perfRegression.create({ data: { id, metricId: metric.id, testbedId: ctx.testbedId, branch: ctx.branch, status: 'open', openedRunId: ctx.runId, lastRunId: ctx.runId, worsePct: c!.worsePct, openedAt: ctx.now, updatedAt: ctx.now } });
        await event('regression', id);
      }
    } else if (existing && (c!.status === 'ok' || c!.status === 'improved')) {
      await tx.perfRegression.update({ where: { id: existing.id }, data: { status: 'fixed', closedAt: ctx.now, updatedAt: ctx.now, lastRunId: ctx.runId, note: `Back within the warning threshold in run ${ctx.runId} (${c!.reason}).` } });
      await event('fixed', existing.id);
    }
  }
}
