/**
 * Output phase of the planner: the plan's actions and kept files, built one object at a time from
 * the per-file decisions. A plan of a million files holds a few typed arrays (~25 MB) instead of a
 * million objects (~100 MB); callers that need every object at once read plan.actions / plan.kept.
 */
import { compactDuration, formatBytes } from '../units';
import { ageFormatter } from './order';
import * as C from './plan-codes';
import { SIZE_CAP_RULE_ID } from './policy';
import { TYPE_SYMLINK } from './scan-entries';
import type { KeptFile, PlannedAction, RetentionPolicy } from './types';

/** Memoizes reason strings so that a million actions share a few thousand strings. */
function reasonCache(make: (detail: string) => string): (detail: string) => string {
  const cache = new Map<string, string>();
  return (detail) => {
    let s = cache.get(detail);
    // Stryker disable next-line ConditionalExpression: a cache; rebuilding the same string is only slower
    if (s === undefined) cache.set(detail, (s = make(detail)));
    return s;
  };
}

export interface PlanOutput {
  /** Positions (into d.order) of the actions: delete then compress; rule order with size-cap last; path order within. */
  actionOrder: Uint32Array;
  /** Positions of the kept files, in path order. */
  keptOrder: Uint32Array;
  filesToCompress: number;
  actionAt(j: number): PlannedAction;
  keptAt(j: number): KeptFile;
}

/**
 * Orders the decisions into actions and kept files (a counting sort by bucket, stable in path
 * order) and returns builders for their objects. Every reason reads "<prefix>" or
 * "<prefix> (<detail>)"; reasons shared by many files are built once.
 */
export function buildOutput(d: C.Decisions, policy: RetentionPolicy, nowMs: number, compressFreed: (size: number) => number): PlanOutput {
  const { rules, protect } = policy;
  const R = rules.length;
  const n = d.order.length;
  const { entries } = d;
  const age = ageFormatter();
  // Stryker disable next-line ConditionalExpression,StringLiteral: evictReason is used only when a cap exists
  const evictReason = `evicted to meet cap ${policy.maxSizeBytes === undefined ? '' : formatBytes(policy.maxSizeBytes)}`;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a label of a rule without that setting is never shown
  const ttlLabel = rules.map((r) => (r.ttlMs === undefined ? '' : compactDuration(r.ttlMs)));
  // Stryker disable next-line ConditionalExpression,StringLiteral: as above
  const caLabel = rules.map((r) => (r.compressAfterMs === undefined ? '' : compactDuration(r.compressAfterMs)));
  const withinTtl = ttlLabel.map((t) => `within TTL ${t}`);
  const notDue = caLabel.map((c) => `not older than compress-after ${c}`);
  const ttlReason = ttlLabel.map((t) => reasonCache((a) => `older than TTL ${t} (age ${a})`));
  const compressReason = caLabel.map((c) => reasonCache((a) => `older than compress-after ${c} (age ${a})`));
  const protectReason = protect.map((p) => `protected by ${p.id}: ${p.reason ?? p.match}`);

  // Bucket b = kindOffset + rule index, with index R for size-cap; kindOffset 0 = delete, R+1 = compress.
  const bucketOf = (i: number): number => {
    const code = d.decision[i] as number;
    const evicted = code === C.EVICT || !rules[d.owner[i] as number];
    return (code === C.COMPRESS ? R + 1 : 0) + (evicted ? R : (d.owner[i] as number));
  };
  // Stryker disable next-line ArithmeticOperator: the last bucket (size-cap compressions) is never used, so one slot less changes nothing
  const counts = new Uint32Array(2 * (R + 1) + 1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if ((d.decision[i] as number) < C.FIRST_ACTION) kept++;
    else counts[bucketOf(i) + 1]!++;
  }
  // `x[i]!++`, not `(x[i] as number)++`: StrykerJS re-prints the latter without its parentheses.
  // Stryker disable next-line EqualityOperator: counts[counts.length] is a no-op write on a typed array
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const actionOrder = new Uint32Array(n - kept);
  const keptOrder = new Uint32Array(kept);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if ((d.decision[i] as number) < C.FIRST_ACTION) keptOrder[k++] = i;
    else actionOrder[counts[bucketOf(i)]!++] = i;
  }
  let filesToCompress = 0;
  for (const i of actionOrder) if (d.decision[i] === C.COMPRESS) filesToCompress++;

  /** The decision at position i (into d.order): entry index, decision code, owner index and rule. */
  const at = (i: number) => {
    const r = d.owner[i] as number;
    return { ix: d.order[i] as number, code: d.decision[i] as number, r, rule: rules[r] };
  };

  const keptAt = (j: number): KeptFile => {
    const i = keptOrder[j] as number;
    const { ix, code, r, rule } = at(i);
    let reason: string;
    if (code === C.PROTECTED) reason = protectReason[r] ?? 'protected';
    else if (code === C.NONFILE) reason = entries.type[ix] === TYPE_SYMLINK ? 'symlink, never acted on' : 'not a regular file, never acted on';
    else if (code === C.NORULE) reason = 'no rule matches';
    else if (code === C.LATEST) reason = `among latest ${rule?.keepLatest} (rank ${d.rank[i]})`;
    else if (code === C.WITHIN_TTL) reason = withinTtl[r] ?? '';
    else if (code === C.ARCHIVED) reason = 'already compressed';
    else if (code === C.NOT_DUE) reason = notDue[r] ?? '';
    else reason = 'rule has no ttl, keepLatest or compressAfter';
    const out: KeptFile = { path: entries.path[ix] as string, size: entries.size[ix] as number, mtimeMs: entries.mtimeMs[ix] as number, reasonCode: C.KEEP_CODES[code] ?? 'no-rule', reason };
    if (code === C.PROTECTED) out.ruleId = protect[r]?.id;
    else if (rule) out.ruleId = rule.id;
    return out;
  };

  const actionAt = (j: number): PlannedAction => {
    const i = actionOrder[j] as number;
    const { ix, code, r, rule } = at(i);
    const size = entries.size[ix] as number;
    const mtimeMs = entries.mtimeMs[ix] as number;
    let reason: string;
    if (code === C.DEL_TTL) reason = (ttlReason[r] as (a: string) => string)(age(nowMs - mtimeMs));
    else if (code === C.DEL_RANK) reason = `beyond keep-latest ${rule?.keepLatest} (rank ${d.rank[i]})`;
    else if (code === C.COMPRESS) reason = (compressReason[r] as (a: string) => string)(age(nowMs - mtimeMs));
    else reason = evictReason;
    const evicted = code === C.EVICT || !rule;
    const compress = code === C.COMPRESS;
    return {
      kind: compress ? 'compress' : 'delete',
      path: entries.path[ix] as string,
      size,
      mtimeMs,
      ruleId: evicted ? SIZE_CAP_RULE_ID : (rule as { id: string }).id,
      reason,
      bytesFreed: compress ? compressFreed(size) : size,
      reasonCode: C.ACTION_CODES[code],
      ...(entries.ino ? { ino: entries.ino[ix] as number } : {}),
      ...(entries.ctimeMs ? { ctimeMs: entries.ctimeMs[ix] as number } : {}),
    };
  };

  return { actionOrder, keptOrder, filesToCompress, actionAt, keptAt };
}
