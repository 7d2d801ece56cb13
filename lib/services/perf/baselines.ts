/**
 * Baselines: immutable versions per (metric, testbed, branch), a head that says which is current.
 *
 * - `refreshBaseline` takes the last `window` runs on the branch as the new reference (their pooled
 *   samples, or their values), only when `refreshReadiness` says the metric is stable — the seed's
 *   Monday rule. A regressed run never becomes the baseline. The note is required.
 * - `rollbackBaseline` re-points the head to an earlier version (one click, audited).
 * Both move the head with a compare-and-set on its `version`, so two operators never both win.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { DEFAULT_REFRESH_RULE, quantile, refreshReadiness, summarize, type Readiness, type RegressionStatus } from '@/lib/engine/perf';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError } from '../errors';
import { requireProject, type ProjectScope } from '../flaky/projects';

const MAX_BASELINE_SAMPLES = 10_000;
/** Runs of history a baseline keeps for the regression rule's noise estimate (its tail spread needs a few dozen). */
const HISTORY_RUNS = 30;

export interface SeriesKey { metricId: string; testbedId: string; branch: string }

async function requireSeries(db: Db, scope: ProjectScope, project: string, key: SeriesKey) {
  const p = await requireProject(db, scope, project);
  const metric = await db.perfMetric.findFirst({ where: { id: key.metricId, projectId: p.id }, select: { id: true, name: true, measure: true } });
  const testbed = await db.perfTestbed.findFirst({ where: { id: key.testbedId, projectId: p.id }, select: { id: true, label: true } });
  if (!metric || !testbed) throw new ServiceError('not_found', `No such metric or testbed in project "${p.key}".`);
  return { project: p, metric, testbed };
}

/** The last n results of a series, oldest first. */
async function recentResults(db: Pick<Db, 'perfResult'>, key: SeriesKey, n: number) {
  const rows = await db.perfResult.findMany({
    where: { metricId: key.metricId, testbedId: key.testbedId, branch: key.branch },
    orderBy: [{ at: 'desc' }, { id: 'desc' }], take: n,
    select: { runId: true, value: true, samples: true, budgetStatus: true, regression: true, worsePct: true, run: { select: { commit: true } } },
  });
  return rows.reverse();
}

export async function seriesReadiness(db: Db, scope: ProjectScope, project: string, key: SeriesKey): Promise<Readiness & { hasBaseline: boolean }> {
  await requireSeries(db, scope, project, key);
  const head = await db.perfBaselineHead.findUnique({ where: { metricId_testbedId_branch: key }, select: { baselineId: true } });
  const recent = await recentResults(db, key, 2 * DEFAULT_REFRESH_RULE.window);
  return { ...judge(recent, head !== null), hasBaseline: head !== null };
}

function judge(recent: Awaited<ReturnType<typeof recentResults>>, hasBaseline: boolean): Readiness {
  const last = recent.at(-1);
  if (!last) return { ready: false, reasons: ['no runs on this branch and testbed yet'], cvPct: null };
  const comparison = hasBaseline && last.regression ? { status: last.regression as RegressionStatus, worsePct: last.worsePct ?? 0 } : null;
  return refreshReadiness({ gatePassed: last.budgetStatus !== 'fail', comparison, recent: recent.map((r) => r.value), recentStatuses: recent.map((r) => (hasBaseline ? (r.regression as RegressionStatus | null) : null)) });
}

export async function refreshBaseline(db: Db, actor: Actor, input: { project: string; key: SeriesKey; note: string; expectedVersion?: number }, now = new Date()) {
  const note = input.note.trim();
  if (!note) throw invalid([{ field: 'note', message: 'is required: say why the baseline moves (the seed: "roll forward deliberately, with a note")' }]);
  if (note.length > 2000) throw invalid([{ field: 'note', message: 'must be at most 2,000 characters' }]);
  const { project, metric, testbed } = await requireSeries(db, actor, input.project, input.key);
  return db.$transaction(async (tx) => {
    const head = await tx.perfBaselineHead.findUnique({ where: { metricId_testbedId_branch: input.key }, select: { version: true, baseline: { select: { version: true } } } });
    if (input.expectedVersion !== undefined && (head?.version ?? 0) !== input.expectedVersion) throw new ServiceError('conflict', 'The baseline was changed by someone else since you looked; reload and try again.');
    const history = await recentResults(tx, input.key, Math.max(HISTORY_RUNS, 2 * DEFAULT_REFRESH_RULE.window));
    const recent = history.slice(-2 * DEFAULT_REFRESH_RULE.window);
    const readiness = judge(recent, head !== null);
    // The very first baseline cannot wait for a stable window it has no reference for; every other condition holds.
    const reasons = head ? readiness.reasons : readiness.reasons.filter((r) => !r.startsWith('only '));
    if (!recent.length) throw new ServiceError('conflict', 'There are no runs on this branch and testbed to take a baseline from.');
    if (reasons.length) throw new ServiceError('conflict', `Not ready to refresh: ${reasons.join('; ')}.`, reasons.map((message) => ({ field: 'readiness', message })));
    const window = recent.slice(-DEFAULT_REFRESH_RULE.window);
    const pooled = window.flatMap((r) => r.samples).slice(-MAX_BASELINE_SAMPLES);
    const value = pooled.length ? summarize(pooled).p95! : quantile(window.map((r) => r.value), 0.5);
    const last = await tx.perfBaseline.findFirst({ where: input.key, orderBy: { version: 'desc' }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    const id = crypto.randomUUID();
    try {
      await tx.perfBaseline.create({
        data: { id, ...input.key, version, value, samples: pooled, history: history.map((r) => r.value), runId: window.at(-1)!.runId, firstCommit: window[0]!.run.commit, lastCommit: window.at(-1)!.run.commit, note, createdBy: actor.label, createdAt: now },
      });
    } catch (e) {
      // Another refresh took this version number at the same moment.
      if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', 'The baseline was changed by someone else at the same time; reload and try again.');
      throw e;
    }
    await moveHead(tx, input.key, id, head?.version ?? null, actor, now);
    await recordAudit(tx, actor, {
      at: now, action: 'perf.baseline.refresh', targetType: 'perf_metric', targetId: metric.id,
      summary: `Baseline of "${metric.name}" (${metric.measure}) on ${input.key.branch} / ${testbed.label} in "${project.key}" refreshed to v${version}: ${note.slice(0, 200)}`,
      before: head ? { version: head.baseline.version } : undefined, after: { version, value, runs: window.length },
    });
    return { id, version, value };
  });
}

export async function rollbackBaseline(db: Db, actor: Actor, input: { project: string; key: SeriesKey; toVersion: number; note: string; expectedVersion?: number }, now = new Date()) {
  const note = input.note.trim();
  if (!note) throw invalid([{ field: 'note', message: 'is required: say why (the seed: "rollback baseline - performance regression detected")' }]);
  const { project, metric, testbed } = await requireSeries(db, actor, input.project, input.key);
  return db.$transaction(async (tx) => {
    const head = await tx.perfBaselineHead.findUnique({ where: { metricId_testbedId_branch: input.key }, select: { version: true, baseline: { select: { version: true } } } });
    if (!head) throw new ServiceError('conflict', 'There is no baseline to roll back.');
    if (input.expectedVersion !== undefined && head.version !== input.expectedVersion) throw new ServiceError('conflict', 'The baseline was changed by someone else since you looked; reload and try again.');
    const target = await tx.perfBaseline.findUnique({ where: { metricId_testbedId_branch_version: { ...input.key, version: input.toVersion } }, select: { id: true, version: true } });
    if (!target) throw invalid([{ field: 'toVersion', message: `there is no version ${input.toVersion}` }]);
    if (target.version === head.baseline.version) throw invalid([{ field: 'toVersion', message: `v${target.version} is already the current baseline` }]);
    await moveHead(tx, input.key, target.id, head.version, actor, now);
    await recordAudit(tx, actor, {
      at: now, action: 'perf.baseline.rollback', targetType: 'perf_metric', targetId: metric.id,
      summary: `Baseline of "${metric.name}" (${metric.measure}) on ${input.key.branch} / ${testbed.label} in "${project.key}" rolled back from v${head.baseline.version} to v${target.version}: ${note.slice(0, 200)}`,
      before: { version: head.baseline.version }, after: { version: target.version },
    });
    return { version: target.version };
  });
}

/** Points the head at a baseline, if its version is still `expected` (null: there is no head yet). */
async function moveHead(db: Pick<Db, 'perfBaselineHead'>, key: SeriesKey, baselineId: string, expected: number | null, actor: Actor, now: Date): Promise<void> {
  if (expected === null) {
    const made = await db.perfBaselineHead.createMany({ data: [{ ...key, baselineId, version: 1, updatedAt: now, updatedBy: actor.label }], skipDuplicates: true });
    if (made.count === 1) return;
  } else {
    const moved = await db.perfBaselineHead.updateMany({ where: { ...key, version: expected }, data: { baselineId, version: expected + 1, updatedAt: now, updatedBy: actor.label } });
    if (moved.count === 1) return;
  }
  throw new ServiceError('conflict', 'The baseline was changed by someone else at the same time; reload and try again.');
}

/** A series by names, as the CLI gives it: the testbed by label, or the project's only one. */
export async function findSeries(db: Db, scope: ProjectScope, project: string, q: { metric: string; measure: string; testbed?: string; branch: string }): Promise<SeriesKey> {
  const p = await requireProject(db, scope, project);
  const metric = await db.perfMetric.findUnique({ where: { projectId_name_measure: { projectId: p.id, name: q.metric, measure: q.measure } }, select: { id: true } });
  if (!metric) throw new ServiceError('not_found', `No metric "${q.metric}" (${q.measure}) in project "${p.key}".`, [{ field: 'metric', message: 'not found' }]);
  const testbeds = await db.perfTestbed.findMany({ where: { projectId: p.id, ...(q.testbed ? { label: q.testbed } : {}) }, select: { id: true, label: true } });
  if (testbeds.length !== 1) {
    const all = q.testbed ? [] : testbeds.map((t) => t.label);
    throw new ServiceError(testbeds.length ? 'invalid' : 'not_found', q.testbed ? `No testbed "${q.testbed}" in project "${p.key}".` : `Project "${p.key}" has ${all.length || 'no'} testbeds${all.length ? ` (${all.join(', ')}); name one with --testbed` : ''}.`, [{ field: 'testbed', message: 'ambiguous or not found' }]);
  }
  return { metricId: metric.id, testbedId: testbeds[0]!.id, branch: q.branch };
}
