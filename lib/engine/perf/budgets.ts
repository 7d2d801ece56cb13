/**
 * Absolute budgets (per metric and profile), e.g. the seed's PR (lenient) and main/nightly (strict)
 * p95 sets: verify 15 / 8 ms, encode 150 / 80 ms, GraphQL 150 / 80 ms.
 *
 * Boundary: a value EQUAL to its budget passes (the seed's check is `p95 <= SLO`). A breach is
 * `pre-existing` — a warning — when the baseline breached the same budget too; otherwise it fails.
 */
import type { Direction } from './types';

export interface Budget {
  metric: string;
  /** The measure it applies to; `latency` unless said. */
  measure: string;
  profile: string;
  /** In the metric's canonical unit (ms for times). */
  limit: number;
}

export type BudgetStatus = 'pass' | 'pre-existing' | 'fail';

export interface BudgetResult {
  status: BudgetStatus;
  limit: number;
  value: number;
  /** How far past (positive) or inside (negative) the budget, in % of the budget. */
  marginPct: number;
}

export function breaches(value: number, limit: number, direction: Direction): boolean {
  return direction === 'smaller' ? value > limit : value < limit;
}

export function evaluateBudget(value: number, limit: number, direction: Direction, baselineValue: number | null): BudgetResult {
  const over = direction === 'smaller' ? value - limit : limit - value;
  const marginPct = limit === 0 ? (over > 0 ? Infinity : 0) : (over / Math.abs(limit)) * 100;
  if (!breaches(value, limit, direction)) return { status: 'pass', limit, value, marginPct };
  const preExisting = baselineValue !== null && breaches(baselineValue, limit, direction);
  return { status: preExisting ? 'pre-existing' : 'fail', limit, value, marginPct };
}

export interface EnvBudgets {
  budgets: Omit<Budget, 'profile'>[];
  /** `GQL_SAMPLES=20` → { gql: { samples: 20 } }: the run's sample plan, shown next to its results. */
  samplePlan: Record<string, { samples?: number; warmup?: number }>;
  /** Variables that looked like budgets but could not be read, with why. */
  errors: string[];
}

const SLO = /^SLO_([A-Z0-9_]+?)_P95_(MS|US|NS|S)$/;
const PLAN = /^([A-Z0-9]+)_(SAMPLES|WARMUP)$/;
const TO_MS: Record<string, number> = { MS: 1, US: 1e-3, NS: 1e-6, S: 1000 };

/**
 * Reads the seed's environment variables: `SLO_VERIFY_P95_MS=15` → budget verify/latency 15 ms;
 * `GQL_SAMPLES`, `GQL_WARMUP` → the sample plan. Metric names are lower-cased (`GQL` → `gql`).
 */
export function budgetsFromEnv(env: Record<string, string | undefined>): EnvBudgets {
  const out: EnvBudgets = { budgets: [], samplePlan: {}, errors: [] };
  for (const [key, raw] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (raw === undefined) continue;
    const slo = SLO.exec(key);
    const plan = PLAN.exec(key);
    if (!slo && !plan) continue;
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
      out.errors.push(`${key}=${JSON.stringify(raw)}: not a non-negative number`);
      continue;
    }
    if (slo) out.budgets.push({ metric: slo[1]!.toLowerCase(), measure: 'latency', limit: value * TO_MS[slo[2]!]! });
    else if (plan) {
      if (!Number.isInteger(value)) { out.errors.push(`${key}=${JSON.stringify(raw)}: not a whole number`); continue; }
      const m = plan[1]!.toLowerCase();
      (out.samplePlan[m] ??= {})[plan[2] === 'SAMPLES' ? 'samples' : 'warmup'] = value;
    }
  }
  return out;
}

/** The seed's two profiles, used when a project has no budgets of its own. */
export const SEED_BUDGETS: Budget[] = [
  { metric: 'verify', measure: 'latency', profile: 'pr', limit: 15 },
  { metric: 'encode', measure: 'latency', profile: 'pr', limit: 150 },
  { metric: 'gql', measure: 'latency', profile: 'pr', limit: 150 },
  { metric: 'verify', measure: 'latency', profile: 'main', limit: 8 },
  { metric: 'encode', measure: 'latency', profile: 'main', limit: 80 },
  { metric: 'gql', measure: 'latency', profile: 'main', limit: 80 },
  { metric: 'verify', measure: 'latency', profile: 'nightly', limit: 8 },
  { metric: 'encode', measure: 'latency', profile: 'nightly', limit: 80 },
  { metric: 'gql', measure: 'latency', profile: 'nightly', limit: 80 },
];
