/**
 * Test-tree generator shared by the retention benches: a soak/CI-like root of N small files in
 * nested directories, with modification times spread over 30 days (deterministic, no randomness).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Relative path of file i among n, over ~200 runs with nested subdirectories. */
export function treePath(i: number, runs = 200): string {
  const run = `run-${String(Math.floor(i / 5) % runs).padStart(3, '0')}`;
  switch (i % 5) {
    case 0:
      return `${run}/latest/ITER_SUMMARY_${i}.json`;
    case 1:
      return `snapshots/${run}/freeze_${i}.json`;
    case 2:
      return `${run}/logs/app-${i}.log`;
    default:
      return `${run}/reports/day-${Math.floor(i / 1000) % 10}/r-${i}.md`;
  }
}

/**
 * Creates `n` files under a fresh temp directory (prefix `prefix`) and returns its absolute path.
 * File i holds a few bytes and an mtime `nowMs - spread` with spread over 30 days.
 */
export function makeTree(n: number, nowMs: number, prefix = 'steward-bench-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const made = new Set<string>();
  for (let i = 0; i < n; i++) {
    const rel = treePath(i);
    const dir = path.posix.dirname(rel);
    if (!made.has(dir)) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      made.add(dir);
    }
    const abs = path.join(root, rel);
    fs.writeFileSync(abs, `{"i":${i}}\n`);
    const t = (nowMs - ((i * 104_729) % (30 * DAY_MS)) - 120_000) / 1000;
    fs.utimesSync(abs, t, t);
  }
  return root;
}

/** Removes a tree made by makeTree (only temp directories with the bench prefix). */
export function removeTree(root: string): void {
  if (!path.basename(root).startsWith('steward-bench-') || path.dirname(root) !== os.tmpdir()) {
    throw new Error(`refusing to remove ${root}: not a bench temp tree`);
  }
  fs.rmSync(root, { recursive: true, force: true });
}

/** Best (minimum) wall time in ms of `runs` calls of fn. */
export async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
