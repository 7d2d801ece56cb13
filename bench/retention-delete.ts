/**
 * Bench: deleting every file of a tree through the executor's per-entry path (deleteEntry through
 * a PinnedRoot: directory descriptors opened beneath the root, fstatat identity check, unlinkat;
 * sequential, minQuietMs 0) versus `find <tree> -type f -delete` on an identical tree, for each
 * descriptor implementation (native addon, /proc/self/fd).
 *
 *   npx tsx bench/retention-delete.ts [files=100000] [native|proc]
 *
 * Deletion is destructive, so each side runs once, on a freshly generated tree; find runs first
 * on tree B, then Steward on tree A. Both trees are `sync`ed to disk first, and again between the
 * two runs: unlinking a file whose data was never written back is far cheaper (no blocks to free),
 * so without it whichever tree was generated last wins by ~5x. Removes both trees at the end.
 */
import { spawnSync } from 'node:child_process';
import { deleteEntry } from '@/lib/services/retention/fs/act';
import { pinnedOps, type PinnedChoice } from '@/lib/services/retention/fs/pinned';
import { PinnedRoot } from '@/lib/services/retention/fs/pinned-root';
import { scanRoot } from '@/lib/services/retention/fs/scan';
import { makeTree, removeTree } from './retention-tree';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`files must be a positive integer, got "${process.argv[2]}"`);
  const ops = pinnedOps((process.argv[3] ?? 'auto') as PinnedChoice);
  const nowMs = Date.now();
  process.stdout.write(`generating 2 x ${n} files… `);
  const tg = performance.now();
  const a = makeTree(n, nowMs);
  const b = makeTree(n, nowMs);
  spawnSync('sync');
  console.log(`${((performance.now() - tg) / 1000).toFixed(1)} s`);
  try {
    // The executor works from a stored plan: take the planned entries from a scan (not timed).
    const { entries } = (await scanRoot(a)).scan;
    const files: { path: string; size: number; mtimeMs: number; ino: number; ctimeMs: number }[] = [];
    for (let i = 0; i < entries.length; i++) {
      if (entries.type[i] !== 0) continue;
      files.push({ path: entries.path[i] as string, size: entries.size[i] as number, mtimeMs: entries.mtimeMs[i] as number, ino: entries.ino?.[i] as number, ctimeMs: entries.ctimeMs?.[i] as number });
    }
    if (files.length !== n) throw new Error(`scan found ${files.length} files, expected ${n}`);

    const f0 = performance.now();
    const r = spawnSync('find', [b, '-type', 'f', '-delete'], { stdio: 'inherit' });
    const find = performance.now() - f0;
    if (r.status !== 0) throw new Error(`find exited with ${r.status}`);
    spawnSync('sync');

    let done = 0;
    const s0 = performance.now();
    const pinned = PinnedRoot.open(a, { ops });
    pinned.lock();
    for (const e of files) {
      if (deleteEntry(pinned, e, nowMs, { minQuietMs: 0 }).status === 'done') done++;
    }
    pinned.close();
    const steward = performance.now() - s0;
    if (done !== n) throw new Error(`deleted ${done} of ${n} files`);

    const row = (label: string, ms: number) => console.log(`${label.padEnd(34)}${ms.toFixed(0).padStart(8)} ms${((ms * 1000) / n).toFixed(1).padStart(9)} µs/file${(ms / find).toFixed(2).padStart(8)}x`);
    console.log(`\n${n} files, one run each`);
    console.log(`${'method'.padEnd(34)}${'time'.padStart(11)}${'per file'.padStart(17)}${'vs find'.padStart(9)}`);
    row('find -type f -delete', find);
    row(`deleteEntry (${ops.kind} descriptors)`, steward);
  } finally {
    removeTree(a);
    removeTree(b);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
