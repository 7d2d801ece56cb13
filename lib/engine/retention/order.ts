/**
 * Deterministic ordering helpers for the planner, tuned for a million entries: one path sort
 * (skipped when the scan is already sorted) and numeric sorts over typed arrays.
 */
import { formatDuration } from '../units';
import { TYPE_DIR } from './scan-entries';
import type { ScanEntries } from './types';

// The tie-break among types is the string order of their names used since the first version:
// 'dir' < 'file' < 'other' < 'symlink' (indexed by ENTRY_TYPES code: file, dir, symlink, other).
const TYPE_RANK = [1, 0, 3, 2] as const;

/** True when entry a should replace entry b for the same path: newer, then larger, then type order. */
function preferred(e: ScanEntries, a: number, b: number): boolean {
  const ma = e.mtimeMs[a] as number;
  const mb = e.mtimeMs[b] as number;
  // Stryker disable next-line EqualityOperator: >= and > agree once ma !== mb
  if (ma !== mb) return ma > mb;
  const sa = e.size[a] as number;
  const sb = e.size[b] as number;
  // Stryker disable next-line EqualityOperator: as above
  if (sa !== sb) return sa > sb;
  // Stryker disable next-line EqualityOperator: on a full tie (path, mtime, size, type) either entry carries the same facts
  return (TYPE_RANK[e.type[a] as number] ?? 4) < (TYPE_RANK[e.type[b] as number] ?? 4);
}

/** Sorts by path with the comparator-free native string sort (fast on shuffled input), deduplicating. */
function nativeSortByPath(e: ScanEntries, files: number[]): { order: Uint32Array; duplicates: number } {
  const byPath = new Map<string, number>();
  let duplicates = 0;
  for (const i of files) {
    const p = e.path[i] as string;
    const prev = byPath.get(p);
    if (prev === undefined) byPath.set(p, i);
    else {
      duplicates++;
      if (preferred(e, i, prev)) byPath.set(p, i);
    }
  }
  const paths = Array.from(byPath.keys()).sort();
  const order = new Uint32Array(paths.length);
  // Stryker disable next-line EqualityOperator: writing order[paths.length] is a no-op on a typed array
  for (let k = 0; k < paths.length; k++) order[k] = byPath.get(paths[k] as string) as number;
  return { order, duplicates };
}

/** Removes adjacent indices with the same path from a path-sorted list, keeping the preferred one. */
function dedupeSorted(e: ScanEntries, files: number[]): number {
  let duplicates = 0;
  let w = 0;
  for (let k = 0; k < files.length; k++) {
    const i = files[k] as number;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: files[-1] is undefined and fails the next test just like -1
    const last = w > 0 ? (files[w - 1] as number) : -1;
    // Stryker disable next-line ConditionalExpression: e.path[-1] is undefined, never equal to a path
    if (last >= 0 && e.path[last] === e.path[i]) {
      duplicates++;
      if (preferred(e, i, last)) files[w - 1] = i;
    } else files[w++] = i;
  }
  files.length = w;
  return duplicates;
}

/**
 * Indices of the non-directory entries sorted by path in UTF-16 code-unit order (the `<` order,
 * locale-free). A path listed twice keeps one entry (the newest, then the larger) and adds a
 * warning. Cost: O(n) for sorted input (the native scanner's output); TimSort with a comparator
 * for nearly sorted input (the JavaScript walker's), where it mostly merges runs; the native
 * string sort for shuffled input.
 */
export function sortedFileIndex(e: ScanEntries, warnings: string[]): Uint32Array {
  const files: number[] = [];
  const paths = e.path;
  let descents = 0;
  // Stryker disable next-line BooleanLiteral: deduplicating a list without duplicates changes nothing (only time)
  let equal = false;
  let prev: string | undefined;
  for (let i = 0; i < e.length; i++) {
    if (e.type[i] === TYPE_DIR) continue;
    const p = paths[i] as string;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: these counts only choose the sort (see below); a wrong count still sorts and deduplicates
    if (prev !== undefined && p <= prev) {
      // Stryker disable next-line ConditionalExpression: a duplicate not flagged here is counted as a descent, so the comparator sort runs and flags it
      if (p === prev) equal = true;
      else descents++;
    }
    prev = p;
    files.push(i);
  }
  let duplicates = 0;
  let order: Uint32Array;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: which sort runs is a speed choice; all three give the same order (tested per layout in order.test.ts)
  if (descents > files.length / 16) ({ order, duplicates } = nativeSortByPath(e, files));
  else {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: sorting a sorted list is a no-op
    if (descents > 0) {
      files.sort((a, b) => {
        const pa = paths[a] as string;
        const pb = paths[b] as string;
        if (pa < pb) return -1;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's sort only tests `compare(a, b) < 0`, so 0 and 1 are the same answer (and `equal` only adds a no-op dedupe)
        if (pa > pb) return 1;
        equal = true;
        return 0;
      });
    }
    // Stryker disable next-line ConditionalExpression: deduplicating without duplicates is a no-op
    if (equal) duplicates = dedupeSorted(e, files);
    order = Uint32Array.from(files);
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate path(s) in the scan; the newest entry of each was used`);
  return order;
}

/**
 * Sorts indices (into the path-sorted file list) by mtime — newest first or oldest first — with
 * ties broken by index, i.e. by path ascending. `mtimes[i]` is the mtime of file i.
 */
export function sortByMtime(indices: readonly number[], mtimes: Float64Array, newestFirst: boolean): Uint32Array {
  const out = Uint32Array.from(indices);
  if (newestFirst) out.sort((a, b) => (mtimes[b] as number) - (mtimes[a] as number) || a - b);
  else out.sort((a, b) => (mtimes[a] as number) - (mtimes[b] as number) || a - b);
  return out;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Memoized formatDuration for ages: formatDuration shows the two largest units truncated, so every
 * age with the same truncated value shares one string (a few thousand distinct strings at most).
 */
export function ageFormatter(): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    // Stryker disable ConditionalExpression,EqualityOperator: a cache and its key; any key at or below the shown precision gives the same string (ageFormatter equals formatDuration, tested)
    if (ms < SECOND) return formatDuration(ms);
    const unit = ms >= DAY ? HOUR : ms >= HOUR ? MINUTE : SECOND;
    const key = Math.floor(ms / unit) * unit;
    let s = cache.get(key);
    if (s === undefined) {
      s = formatDuration(key);
      cache.set(key, s);
    }
    // Stryker restore ConditionalExpression,EqualityOperator
    return s;
  };
}
