/**
 * The verdicts for one run's metrics, read in a few set-based queries: each metric's budget for
 * the profile (a one-run override first), the current baseline for (metric, testbed, base
 * branch), and the last runs on the same branch judged against that baseline (for confirmation).
 */
import { Prisma } from '@/lib/db/generated/client';
import { compareToBaseline, DEFAULT_RULE, evaluateBudget, type BudgetResult, type Comparison, type Direction, type ParsedMetric, type PriorRun } from '@/lib/engine/perf';

type Tx = Prisma.TransactionClient;

export interface MetricRef { id: string; name: string; measure: string; direction: string }

export interface Verdict {
  budget: BudgetResult | null;
  baseline: { id: string; version: number; value: number } | null;
  comparison: Comparison | null;
}

export interface VerdictContext {
  projectId: string;
  profile: string;
  testbedId: string;
  branch: string | null;
  baseBranch: string;
  overrides: Record<string, number> | undefined;
}

export async function judgeMetrics(tx: Tx, ctx: VerdictContext, metrics: { ref: MetricRef; parsed: ParsedMetric }[]): Promise<Verdict[]> {
  const ids = metrics.map((m) => m.ref.id);
  // One after another: inside a transaction every query shares one connection.
  const budgets = await tx.perfBudget.findMany({ where: { projectId: ctx.projectId, profile: ctx.profile }, select: { metric: true, measure: true, limit: true } });
  const heads = await currentBaselines(tx, ids, ctx.testbedId, ctx.baseBranch);
  const priors = await recentRuns(tx, ids, ctx.testbedId, ctx.branch);
  const budgetOf = new Map(budgets.map((b) => [`${b.metric}\u0000${b.measure}`, b.limit]));
  const headOf = new Map(heads.map((h) => [h.metricId, h]));
  return metrics.map(({ ref, parsed }) => {
    const direction = ref.direction as Direction;
    const limit = ctx.overrides?.[`${ref.name}/${ref.measure}`] ?? (ref.measure === 'latency' ? ctx.overrides?.[ref.name] : undefined) ?? budgetOf.get(`${ref.name}\u0000${ref.measure}`);
    const head = headOf.get(ref.id) ?? null;
    const budget = limit === undefined ? null : evaluateBudget(parsed.value, limit, direction, head?.value ?? null);
    const comparison = head
      ? compareToBaseline({ value: parsed.value, samples: parsed.samples }, { value: head.value, samples: head.samples.length ? head.samples : null, history: head.history }, direction, againstBaseline(priors.get(ref.id), head.id), DEFAULT_RULE)
      : null;
    return { budget, baseline: head ? { id: head.id, version: head.version, value: head.value } : null, comparison };
  });
}

export interface RecentRun extends PriorRun { baselineId: string | null }

interface HeadBaseline { metricId: string; id: string; version: number; value: number; samples: number[]; history: number[] }

/**
 * The current baseline of each metric on (testbed, base branch), with its reference samples and
 * history, in one statement. The samples travel as one comma-separated text per baseline: 1,000
 * baselines of 500 samples are half a million numbers, and a float8[] column is parsed element by
 * element by the driver's array parser at several times the cost of `split` + `Number` (the same
 * shortest round-trip text PostgreSQL prints for each float8, read back to the same double).
 */
async function currentBaselines(tx: Tx, metricIds: string[], testbedId: string, branch: string): Promise<HeadBaseline[]> {
  if (!metricIds.length) return [];
  const rows = await tx.$queryRaw<{ metricId: string; id: string; version: number; value: number; samples: string; history: string }[]>`
    SELECT h."metricId", b."id", b."version", b."value", array_to_string(b."samples", ',') AS "samples", array_to_string(b."history", ',') AS "history"
    FROM "perf_baseline_heads" h JOIN "perf_baselines" b ON b."id" = h."baselineId"
    WHERE h."metricId" = ANY(${metricIds}) AND h."testbedId" = ${testbedId} AND h."branch" = ${branch}`;
  return rows.map((r) => ({ metricId: r.metricId, id: r.id, version: r.version, value: r.value, samples: numbers(r.samples), history: numbers(r.history) }));
}

const numbers = (csv: string): number[] => (csv === '' ? [] : csv.split(',').map(Number));

/**
 * The last `confirmWindow − 1` results per metric (same testbed and branch), oldest first: per
 * metric a LIMIT on the (metric, testbed, branch, at) index, so a series with years of history
 * costs what a new one does (a window over every result of the series read all of them).
 */
async function recentRuns(tx: Tx, metricIds: string[], testbedId: string, branch: string | null): Promise<Map<string, RecentRun[]>> {
  if (!metricIds.length) return new Map();
  const branchCond = branch === null ? Prisma.sql`r."branch" IS NULL` : Prisma.sql`r."branch" = ${branch}`;
  const rows = await tx.$queryRaw<{ metricId: string; value: number; n: number | null; pValue: number | null; baselineId: string | null }[]>`
    SELECT x."metricId", r."value", r."n", r."pValue", r."baselineId"
    FROM unnest(${metricIds}::text[]) AS x("metricId")
    CROSS JOIN LATERAL (
      SELECT r."value", r."n", r."pValue", r."baselineId", r."at", r."id"
      FROM "perf_results" r
      WHERE r."metricId" = x."metricId" AND r."testbedId" = ${testbedId} AND ${branchCond}
      ORDER BY r."at" DESC, r."id" DESC
      LIMIT ${DEFAULT_RULE.confirmWindow - 1}
    ) r
    ORDER BY x."metricId", r."at", r."id"`;
  const out = new Map<string, RecentRun[]>();
  for (const r of rows) {
    const list = out.get(r.metricId) ?? [];
    list.push({ value: r.value, n: r.n, pValue: r.pValue, baselineId: r.baselineId });
    out.set(r.metricId, list);
  }
  return out;
}

/** The newest runs judged against this baseline, up to the first that was not: a streak is judged against one baseline. */
export function againstBaseline(runs: RecentRun[] | undefined, baselineId: string): PriorRun[] {
  if (!runs) return [];
  let from = runs.length;
  while (from > 0 && runs[from - 1]!.baselineId === baselineId) from--;
  return runs.slice(from).map(({ value, n, pValue }) => ({ value, n, pValue }));
}

export type RunStatus = 'pass' | 'warn' | 'fail';

/** fail: a budget newly breached or a confirmed regression; warn: a pre-existing breach, a warning or a suspect. */
export function runStatus(verdicts: Verdict[]): RunStatus {
  let status: RunStatus = 'pass';
  for (const v of verdicts) {
    if (v.budget?.status === 'fail' || v.comparison?.status === 'fail') return 'fail';
    if (v.budget?.status === 'pre-existing' || v.comparison?.status === 'warn' || v.comparison?.status === 'suspect') status = 'warn';
  }
  return status;
}
