/**
 * The retention planner: scan + policy + now → plan. Pure and deterministic: no fs, no clock; the
 * same scan (in any entry order), policy and now always give the same plan.
 *
 * Semantics (each decision is one of the KeptReasonCode / ActionReasonCode values):
 * - Only regular files are candidates. Symlinks and other non-regular entries are kept
 *   ("not-a-regular-file") and never acted on; directories are ignored. They count in
 *   filesScanned but not in bytes (a symlink's size is that of its target string, not data).
 * - Protect rules beat everything: a protected file is kept ("protected") whatever its age, rank
 *   or the cap, and does not take a keep-latest slot.
 * - Each remaining file is governed by the FIRST rule whose glob matches (policy order); a bare name
 *   "logs" means "logs/**". Files no rule matches are kept ("no-rule") — but still count toward the cap.
 * - keepLatest N: the rule's files are ranked newest first (mtime desc, ties by path asc). Ranks > N
 *   are deleted ("beyond-keep-latest"); ranks 1..N are kept ("among-latest") unless the same rule
 *   also has a TTL they exceed: TTL and keep-latest are independent filters, as in rotate_artifacts
 *   (a rule with only keepLatest, like mm-bot's ITER_SUMMARY rule, keeps its N newest at any age).
 *   A file among the latest can still be compressed, and can still be evicted for the cap.
 * - TTL: age = now - mtime; deleted when age > ttl, strictly: age exactly == ttl is kept.
 *   Files dated in the future have a negative age and are kept (a warning counts them).
 * - compressAfter: a file not deleted with age > compressAfter (strictly) gets a "compress" action
 *   unless it already is an archive (ARCHIVE_EXTENSIONS, kept as "compressed-already").
 *   bytesFreed of a compression is an ESTIMATE: opts.compressionSaving (default 0.7) of its size,
 *   rounded down (the seed reports 60-80 % reduction).
 * - Size cap, applied after the rules: bytesAfter = bytesBefore - bytesFreed; within the limit when
 *   bytesAfter <= maxSizeBytes (exactly equal is within). Over it, "warn" adds a warning and sets
 *   withinLimit=false; "evict-oldest" deletes the oldest remaining regular files (mtime asc, ties by
 *   path asc) that are not protected — including keep-latest and no-rule files — until within the
 *   limit ("evicted-for-cap", rule id "size-cap"); a file planned for compression that is evicted
 *   becomes a delete. Empty files are never evicted (it frees nothing).
 * - A rule with only compressAfter keeps young files as "not-due"; a rule with no action at all
 *   (parsePolicy rejects it) keeps its files as "no-action".
 * - Every reason reads "<prefix> (<per-file detail>)" or just "<prefix>", so the prefix groups files:
 *   "older than TTL 7d (age 8d 2h)", "beyond keep-latest 100 (rank 101)", "among latest 100 (rank 3)",
 *   "older than compress-after 7d (age 9d)", "evicted to meet cap 900 MB", "within TTL 7d".
 */
import { formatBytes } from '../units';
import { compileGlob } from './glob';
import { sortByMtime, sortedFileIndex } from './order';
import * as C from './plan-codes';
import { buildOutput, type PlanOutput } from './plan-output';
import { TYPE_FILE } from './scan-entries';
import type { KeptFile, Plan, PlannedAction, RetentionPolicy, Scan } from './types';

export interface PlanOptions {
  /** Fraction of a file's size that compressing it is expected to free (default 0.7). */
  compressionSaving?: number;
}

/** File name endings treated as already compressed (case-insensitive). */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.tar.gz', '.tgz', '.gz', '.zip', '.zst', '.xz', '.bz2'];

/** True when the path ends in one of ARCHIVE_EXTENSIONS (case-insensitive). */
export function isArchive(path: string): boolean {
  // Stryker disable next-line MethodExpression: slicing is only a shortcut (endsWith on the whole path is the same answer)
  const lower = path.slice(-8).toLowerCase();
  return ARCHIVE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

type Matcher = (path: string) => boolean;

/** Index of the first matcher that accepts the path, or -1. */
function firstMatch(matchers: readonly Matcher[], path: string): number {
  for (let j = 0; j < matchers.length; j++) if ((matchers[j] as Matcher)(path)) return j;
  return -1;
}

/**
 * Plans retention for one scan. Inputs: the scan, a validated policy, the reference time `nowMs`
 * (epoch ms; never read from the clock) and options. Output: every non-directory entry appears
 * exactly once, in `actions` or in `kept` (filesScanned = actions + kept). Actions are ordered by
 * kind (delete, then compress), then rule in policy order (size-cap eviction last), then path;
 * kept files by path. O(n log n) in the number of entries; each glob is compiled once.
 */
export function planRetention(scan: Scan, policy: RetentionPolicy, nowMs: number, opts: PlanOptions = {}): Plan {
  const saving = opts.compressionSaving ?? 0.7;
  const compressFreed = (size: number) => Math.floor(size * saving);
  const warnings: string[] = [];
  const entries = scan.entries;
  const order = sortedFileIndex(entries, warnings);
  const n = order.length;
  const paths = entries.path;
  const sizes = entries.size;
  const rules = policy.rules;
  const decision = new Uint8Array(n);
  const owner = new Int32Array(n).fill(-1);
  const rank = new Int32Array(n);
  const mtimes = new Float64Array(n);
  const protectMatch = policy.protect.map((p) => compileGlob(p.match));
  const ruleMatch = rules.map((r) => compileGlob(r.match));
  const ranked: number[][] = rules.map(() => []);

  /** Decision for file i governed by rule r; rnk is its keep-latest rank (0 without keepLatest). */
  const decide = (i: number, r: number, rnk: number): number => {
    const rule = rules[r];
    // Stryker disable next-line ConditionalExpression: defensive; decide() is only called with a matching rule's index
    if (!rule) return C.NORULE;
    const age = nowMs - (mtimes[i] as number);
    const latest = rule.keepLatest !== undefined;
    if (latest && rnk > (rule.keepLatest as number)) return C.DEL_RANK;
    // TTL and keep-latest are independent filters (as in rotate_artifacts): beyond the newest N
    // OR older than the TTL is deleted. A rule with only keepLatest keeps its N newest at any age.
    // Stryker disable next-line ConditionalExpression: `age > undefined` is false, so the undefined check is for the reader and the type checker
    if (rule.ttlMs !== undefined && age > rule.ttlMs) return C.DEL_TTL;
    // Stryker disable next-line ConditionalExpression: as above
    if (rule.compressAfterMs !== undefined && age > rule.compressAfterMs) {
      if (!isArchive(paths[order[i] as number] as string)) return C.COMPRESS;
      return latest ? C.LATEST : C.ARCHIVED;
    }
    if (latest) return C.LATEST;
    return rule.ttlMs !== undefined ? C.WITHIN_TTL : rule.compressAfterMs !== undefined ? C.NOT_DUE : C.NO_ACTION;
  };

  let bytesBefore = 0;
  let future = 0;
  // Stryker disable next-line EqualityOperator: i === n reads undefined and writes past the typed arrays (no-ops); the other loops are tested
  for (let i = 0; i < n; i++) {
    const ix = order[i] as number;
    const mtime = entries.mtimeMs[ix] as number;
    mtimes[i] = mtime;
    if (entries.type[ix] !== TYPE_FILE) {
      decision[i] = C.NONFILE;
      continue;
    }
    bytesBefore += sizes[ix] as number;
    if (mtime > nowMs) future++;
    const path = paths[ix] as string;
    const p = firstMatch(protectMatch, path);
    if (p >= 0) {
      decision[i] = C.PROTECTED;
      owner[i] = p;
      continue;
    }
    const r = firstMatch(ruleMatch, path);
    owner[i] = r;
    // Stryker disable ConditionalExpression,OptionalChaining: equivalent; with r = -1 the next branches reach decide(), which answers NORULE for a missing rule, and ranking a rule without keepLatest gives decide() the same answer (rank is shown only for keep-latest reasons)
    if (r < 0) decision[i] = C.NORULE;
    else if (rules[r]?.keepLatest !== undefined) (ranked[r] as number[]).push(i);
    // Stryker restore ConditionalExpression,OptionalChaining
    else decision[i] = decide(i, r, 0);
  }
  ranked.forEach((group, r) => {
    // Newest first; indices are in path order, so ties on mtime are broken by path.
    sortByMtime(group, mtimes, true).forEach((i, k) => {
      rank[i] = k + 1;
      decision[i] = decide(i, r, k + 1);
    });
  });

  let bytesFreed = 0;
  // Stryker disable next-line EqualityOperator: decision[n] is undefined, which adds nothing
  for (let i = 0; i < n; i++) {
    const d = decision[i];
    if (d === C.DEL_TTL || d === C.DEL_RANK) bytesFreed += sizes[order[i] as number] as number;
    else if (d === C.COMPRESS) bytesFreed += compressFreed(sizes[order[i] as number] as number);
  }
  let bytesAfter = bytesBefore - bytesFreed;
  const max = policy.maxSizeBytes;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: `x > undefined` is false, and entering the block under the cap evicts nothing (its loop stops at once); the action check is tested
  if (max !== undefined && bytesAfter > max && policy.sizeCapAction === 'evict-oldest') {
    const candidates: number[] = [];
    for (let i = 0; i < n; i++) {
      const d = decision[i];
      if (d !== C.PROTECTED && d !== C.NONFILE && d !== C.DEL_TTL && d !== C.DEL_RANK) candidates.push(i);
    }
    for (const i of sortByMtime(candidates, mtimes, false)) {
      if (bytesAfter <= max) break;
      const size = sizes[order[i] as number] as number;
      const remaining = decision[i] === C.COMPRESS ? size - compressFreed(size) : size;
      if (remaining <= 0) continue;
      decision[i] = C.EVICT;
      bytesAfter -= remaining;
      bytesFreed += remaining;
    }
  }
  const withinLimit = max === undefined || bytesAfter <= max;
  // Stryker disable next-line ConditionalExpression: !withinLimit already implies a cap; the check narrows the type
  if (!withinLimit && max !== undefined) {
    warnings.push(
      policy.sizeCapAction === 'warn'
        ? `${formatBytes(bytesAfter)} after the plan exceeds the cap ${formatBytes(max)} by ${formatBytes(bytesAfter - max)} (sizeCapAction "warn": nothing evicted)`
        : `${formatBytes(bytesAfter)} after evicting every unprotected file still exceeds the cap ${formatBytes(max)}: protected files alone are over it`,
    );
  }
  if (future > 0) warnings.push(`${future} file(s) have a modification time after now; they are treated as brand new`);
  const errs = scan.errors.length;
  if (errs > 0) warnings.push(errs === 1 ? '1 entry could not be read and was left alone' : `${errs} entries could not be read and were left alone`);

  const out = buildOutput({ entries, order, decision, owner, rank }, policy, nowMs, compressFreed);
  const actionCount = out.actionOrder.length;
  return new RetentionPlan(scan.root, nowMs, {
    filesScanned: n,
    filesToDelete: actionCount - out.filesToCompress,
    filesToCompress: out.filesToCompress,
    bytesBefore,
    bytesFreed,
    bytesAfter,
    maxSizeBytes: max ?? null,
    withinLimit,
  }, warnings, out);
}

/** A plan over the planner's typed arrays; actions and kept files are objects only when read. */
class RetentionPlan implements Plan {
  readonly #out: PlanOutput;
  #actions: readonly PlannedAction[] | undefined;
  #kept: readonly KeptFile[] | undefined;

  constructor(
    readonly root: string,
    readonly nowMs: number,
    readonly totals: Plan['totals'],
    readonly warnings: string[],
    out: PlanOutput,
  ) {
    this.#out = out;
  }

  get actionCount(): number {
    return this.#out.actionOrder.length;
  }

  get keptCount(): number {
    return this.#out.keptOrder.length;
  }

  *eachAction(): IterableIterator<PlannedAction> {
    for (let j = 0; j < this.actionCount; j++) yield this.#out.actionAt(j);
  }

  *eachKept(): IterableIterator<KeptFile> {
    for (let j = 0; j < this.keptCount; j++) yield this.#out.keptAt(j);
  }

  get actions(): readonly PlannedAction[] {
    return (this.#actions ??= Array.from(this.eachAction()));
  }

  get kept(): readonly KeptFile[] {
    return (this.#kept ??= Array.from(this.eachKept()));
  }
}
