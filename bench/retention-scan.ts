/**
 * Bench: scan + plan of a retention root versus `find -printf` over the same tree, same run.
 *
 *   npx tsx bench/retention-scan.ts [files=200000]
 *
 * Target: scan + plan ≤ 2x find (best of 3 each, interleaved so load drift hits both alike); peak
 * RSS < 400 MB at 1,000,000 files. Prints a table; removes its temp tree at the end.
 */
import { spawnSync } from 'node:child_process';
import { planRetention } from '@/lib/engine/retention/plan';
import { presetPolicy } from '@/lib/engine/retention/presets';
import { scanRoot } from '@/lib/services/retention/fs/scan';
import { makeTree, removeTree } from './retention-tree';

const RUNS = 3;

function findOnce(root: string): number {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `find "$1" -printf '%s %T@ %p\\n' > /dev/null`, 'sh', root], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`find exited with ${r.status}`);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200_000);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`files must be a positive integer, got "${process.argv[2]}"`);
  const nowMs = Date.now();
  const policy = presetPolicy('ci-main');
  process.stdout.write(`generating ${n} files… `);
  const tg = performance.now();
  const root = makeTree(n, nowMs);
  console.log(`${((performance.now() - tg) / 1000).toFixed(1)} s (${root})`);
  try {
    let find = Infinity;
    let scan = Infinity;
    let plan = Infinity;
    let total = Infinity;
    let entries = 0;
    let actions = 0;
    // maxRSS is a high-water mark: read it after the first scan and the first plan, before later
    // runs pile up garbage that V8 has not collected yet.
    let rssScan = 0;
    let rssPlan = 0;
    for (let r = 0; r < RUNS; r++) {
      find = Math.min(find, findOnce(root));
      const t0 = performance.now();
      const res = await scanRoot(root);
      const t1 = performance.now();
      if (r === 0) rssScan = process.resourceUsage().maxRSS / 1024;
      const p = planRetention(res.scan, policy, nowMs);
      const t2 = performance.now();
      if (r === 0) rssPlan = process.resourceUsage().maxRSS / 1024;
      scan = Math.min(scan, t1 - t0);
      plan = Math.min(plan, t2 - t1);
      total = Math.min(total, t2 - t0);
      entries = res.scan.entries.length;
      actions = p.actions.length;
      if (res.stats.fileCount !== n) throw new Error(`scan found ${res.stats.fileCount} files, expected ${n}`);
    }
    const row = (label: string, ms: number) => console.log(`${label.padEnd(28)}${ms.toFixed(0).padStart(8)} ms${(ms / find).toFixed(2).padStart(8)}x`);
    console.log(`\n${n} files, ${entries} entries, ${actions} planned actions (preset ci-main), best of ${RUNS}`);
    console.log(`${'step'.padEnd(28)}${'time'.padStart(11)}${'vs find'.padStart(9)}`);
    row("find -printf '%s %T@ %p'", find);
    row('scanRoot', scan);
    row('planRetention', plan);
    row('scan + plan (best run)', total);
    console.log(`plan share of scan + plan: ${((plan / (scan + plan)) * 100).toFixed(0)} %`);
    console.log(`peak RSS: ${rssScan.toFixed(0)} MB after the first scan, ${rssPlan.toFixed(0)} MB after its plan, ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB after ${RUNS} runs`);
    console.log(total <= 2 * find ? 'OK: scan + plan within 2x find' : 'OVER TARGET: scan + plan above 2x find');
  } finally {
    removeTree(root);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
