/** Grouped totals of a plan for the UI ("rule logs: delete 120 files, 1.2 GB, older than TTL 7d"). */
import type { Plan } from './types';

export interface PlanGroup {
  kind: 'delete' | 'compress' | 'keep';
  /** Rule, protect rule or "size-cap"; null for kept files no rule governs (no-rule, not-a-regular-file). */
  ruleId: string | null;
  /** Action reasonCode ("older-than-ttl"...) or kept reasonCode ("within-ttl"...). */
  reasonCode: string;
  /** The reason up to its per-file detail, e.g. "older than TTL 7d", "among latest 100". */
  reasonPrefix: string;
  count: number;
  /** Total size of the files in the group. */
  bytes: number;
  /** Total bytes the group's actions free (0 for kept groups). */
  bytesFreed: number;
}

function prefixOf(reason: string): string {
  const cut = reason.indexOf(' (');
  // Stryker disable next-line EqualityOperator: no reason starts with " (", so cut is never 0
  return cut < 0 ? reason : reason.slice(0, cut);
}

/**
 * Groups a plan's actions by (kind, ruleId, reasonCode) and its kept files by (reasonCode, ruleId),
 * with counts and bytes. Order: delete groups, then compress groups, in the plan's action order
 * (policy rule order); then keep groups sorted by reasonCode and ruleId. Sums of the action groups'
 * bytesFreed equal plan.totals.bytesFreed.
 */
export function summarizePlanByRule(plan: Plan): PlanGroup[] {
  const actionGroups = new Map<string, PlanGroup>();
  for (const a of plan.eachAction()) {
    const code = a.reasonCode ?? prefixOf(a.reason);
    const key = `${a.kind}\u0000${a.ruleId}\u0000${code}`;
    let g = actionGroups.get(key);
    if (!g) {
      g = { kind: a.kind, ruleId: a.ruleId, reasonCode: code, reasonPrefix: prefixOf(a.reason), count: 0, bytes: 0, bytesFreed: 0 };
      actionGroups.set(key, g);
    }
    g.count++;
    g.bytes += a.size;
    g.bytesFreed += a.bytesFreed;
  }
  const keptGroups = new Map<string, PlanGroup>();
  for (const k of plan.eachKept()) {
    // Stryker disable next-line StringLiteral: any constant works for "no rule" (no rule id is that string)
    const key = `${k.reasonCode}\u0000${k.ruleId ?? ''}`;
    let g = keptGroups.get(key);
    if (!g) {
      g = { kind: 'keep', ruleId: k.ruleId ?? null, reasonCode: k.reasonCode, reasonPrefix: prefixOf(k.reason), count: 0, bytes: 0, bytesFreed: 0 };
      keptGroups.set(key, g);
    }
    g.count++;
    g.bytes += k.size;
  }
  const kindOrder = { delete: 0, compress: 1, keep: 2 } as const;
  // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: actions arrive delete-first (plan order), so this stable sort is a safeguard that changes nothing today
  const actions = [...actionGroups.values()].sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind]);
  // Stryker disable next-line EqualityOperator: keys are unique, so a < b and a <= b agree
  const kept = [...keptGroups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  return [...actions, ...kept];
}
