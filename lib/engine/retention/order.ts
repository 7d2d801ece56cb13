/**
 * Deterministic ordering helpers for the planner, tuned for a million entries: one path sort
 * (skipped when the scan is already sorted) and numeric sorts over typed arrays.
 */
import { formatDuration } from '../units';
import type { ScanEntry } from './types';

/** True when `a` should replace `b` for the same path: newer, then larger, then type order. */
function preferred(a: ScanEntry, b: ScanEntry): boolean {
  if (a.mtimeMs !== b.mtimeMs) return a.mtimeMs > b.mtimeMs;
  if (a.size !== b.size) return a.size > b.size;
  return a.type < b.type;
}

/** Sorts by path with the comparator-free native string sort (fast on shuffled input), deduplicating. */
function nativeSortByPath(files: readonly ScanEntry[]): { files: ScanEntry[]; duplicates: number } {
  const byPath = new Map<string, ScanEntry>();
  let duplicates = 0;
  for (const e of files) {
    const prev = byPath.get(e.path);
    if (prev === undefined) byPath.set(e.path, e);
    else {
      duplicates++;
      if (preferred(e, prev)) byPath.set(e.path, e);
    }
  }
  const paths = Array.from(byPath.keys()).sort();
  const out: ScanEntry[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) out[i] = byPath.get(paths[i] as string) as ScanEntry;
  return { files: out, duplicates };
}

/** Removes adjacent entries with the same path from a path-sorted list, keeping the preferred one. */
function dedupeSorted(files: ScanEntry[]): number {
  let duplicates = 0;
  let w = 0;
  for (let i = 0; i < files.length; i++) {
    const e = files[i] as ScanEntry;
    const last = w > 0 ? (files[w - 1] as ScanEntry) : undefined;
    if (last !== undefined && last.path === e.path) {
      duplicates++;
      if (preferred(e, last)) files[w - 1] = e;
    } else files[w++] = e;
  }
  files.length = w;
  return duplicates;
}

/**
 * Non-directory entries sorted by path in UTF-16 code-unit order (the `<` order, locale-free).
 * A path listed twice keeps one entry (the newest, then the larger) and adds a warning.
 * Cost: O(n) for sorted input; TimSort with a comparator for nearly sorted input (a directory
 * walk), where it mostly merges runs; the native string sort for shuffled input.
 */
export function sortedFiles(entries: readonly ScanEntry[], warnings: string[]): ScanEntry[] {
  let files: ScanEntry[] = [];
  let descents = 0;
  let equal = false;
  let prev: string | undefined;
  for (const e of entries) {
    if (e.type === 'dir') continue;
    if (prev !== undefined && e.path <= prev) {
      if (e.path === prev) equal = true;
      else descents++;
    }
    prev = e.path;
    files.push(e);
  }
  let duplicates = 0;
  if (descents > files.length / 16) ({ files, duplicates } = nativeSortByPath(files));
  else {
    if (descents > 0) {
      files.sort((a, b) => {
        if (a.path < b.path) return -1;
        if (a.path > b.path) return 1;
        equal = true;
        return 0;
      });
    }
    if (equal) duplicates = dedupeSorted(files);
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate path(s) in the scan; the newest entry of each was used`);
  return files;
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
    if (ms < SECOND) return formatDuration(ms);
    const unit = ms >= DAY ? HOUR : ms >= HOUR ? MINUTE : SECOND;
    const key = Math.floor(ms / unit) * unit;
    let s = cache.get(key);
    if (s === undefined) {
      s = formatDuration(key);
      cache.set(key, s);
    }
    return s;
  };
}
