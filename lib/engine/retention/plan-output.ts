/** Output phase of the planner: turns per-file decisions into the kept list and ordered actions. */
import { compactDuration, formatBytes } from '../units';
import { ageFormatter } from './order';
import * as C from './plan-codes';
import { SIZE_CAP_RULE_ID } from './policy';
import type { KeptFile, PlannedAction, RetentionPolicy, ScanEntry } from './types';

/** Memoizes reason strings so that a million actions share a few thousand strings. */
function reasonCache(make: (detail: string) => string): (detail: string) => string {
  const cache = new Map<string, string>();
  return (detail) => {
    let s = cache.get(detail);
    if (s === undefined) cache.set(detail, (s = make(detail)));
    return s;
  };
}

/**
 * Builds `kept` (path order) and `actions` (delete then compress; rule order with size-cap last;
 * path order within) from the decisions. Every reason reads "<prefix>" or "<prefix> (<detail>)";
 * reasons shared by many files are built once.
 */
export function buildOutput(
  d: C.Decisions,
  policy: RetentionPolicy,
  nowMs: number,
  compressFreed: (size: number) => number,
): { kept: KeptFile[]; actions: PlannedAction[] } {
  const { rules, protect } = policy;
  const R = rules.length;
  const age = ageFormatter();
  const evictReason = `evicted to meet cap ${policy.maxSizeBytes === undefined ? '' : formatBytes(policy.maxSizeBytes)}`;
  const ttlLabel = rules.map((r) => (r.ttlMs === undefined ? '' : compactDuration(r.ttlMs)));
  const caLabel = rules.map((r) => (r.compressAfterMs === undefined ? '' : compactDuration(r.compressAfterMs)));
  const withinTtl = ttlLabel.map((t) => `within TTL ${t}`);
  const notDue = caLabel.map((c) => `not older than compress-after ${c}`);
  const ttlReason = ttlLabel.map((t) => reasonCache((a) => `older than TTL ${t} (age ${a})`));
  const compressReason = caLabel.map((c) => reasonCache((a) => `older than compress-after ${c} (age ${a})`));
  const protectReason = protect.map((p) => `protected by ${p.id}: ${p.reason ?? p.match}`);

  const kept: KeptFile[] = [];
  // Bucket b = kindOffset + rule index, with index R for size-cap; kindOffset 0 = delete, R+1 = compress.
  const buckets: PlannedAction[][] = Array.from({ length: 2 * (R + 1) }, () => []);
  for (let i = 0; i < d.files.length; i++) {
    const e = d.files[i] as ScanEntry;
    const code = d.decision[i] as number;
    const r = d.owner[i] as number;
    const rule = rules[r];
    if (code < C.FIRST_ACTION) {
      let reason: string;
      if (code === C.PROTECTED) reason = protectReason[r] ?? 'protected';
      else if (code === C.NONFILE) reason = e.type === 'symlink' ? 'symlink, never acted on' : 'not a regular file, never acted on';
      else if (code === C.NORULE) reason = 'no rule matches';
      else if (code === C.LATEST) reason = `among latest ${rule?.keepLatest} (rank ${d.rank[i]})`;
      else if (code === C.WITHIN_TTL) reason = withinTtl[r] ?? '';
      else if (code === C.ARCHIVED) reason = 'already compressed';
      else if (code === C.NOT_DUE) reason = notDue[r] ?? '';
      else reason = 'rule has no ttl, keepLatest or compressAfter';
      const k: KeptFile = { path: e.path, size: e.size, mtimeMs: e.mtimeMs, reasonCode: C.KEEP_CODES[code] ?? 'no-rule', reason };
      if (code === C.PROTECTED) k.ruleId = protect[r]?.id;
      else if (rule) k.ruleId = rule.id;
      kept.push(k);
      continue;
    }
    let reason: string;
    if (code === C.DEL_TTL) reason = (ttlReason[r] as (a: string) => string)(age(nowMs - e.mtimeMs));
    else if (code === C.DEL_RANK) reason = `beyond keep-latest ${rule?.keepLatest} (rank ${d.rank[i]})`;
    else if (code === C.COMPRESS) reason = (compressReason[r] as (a: string) => string)(age(nowMs - e.mtimeMs));
    else reason = evictReason;
    const evicted = code === C.EVICT || !rule;
    const compress = code === C.COMPRESS;
    (buckets[(compress ? R + 1 : 0) + (evicted ? R : r)] as PlannedAction[]).push({
      kind: compress ? 'compress' : 'delete',
      path: e.path,
      size: e.size,
      mtimeMs: e.mtimeMs,
      ruleId: evicted ? SIZE_CAP_RULE_ID : (rule as { id: string }).id,
      reason,
      bytesFreed: compress ? compressFreed(e.size) : e.size,
      reasonCode: C.ACTION_CODES[code],
    });
  }
  let total = 0;
  for (const b of buckets) total += b.length;
  const actions: PlannedAction[] = new Array(total);
  let j = 0;
  for (const b of buckets) for (const a of b) actions[j++] = a;
  return { kept, actions };
}
