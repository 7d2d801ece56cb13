/**
 * Bench: scan + plan of a retention root versus `find -printf` over the same tree, same run.
 *
 *   npx tsx bench/retention-scan.ts [files=200000]
 *
 * Target: scan + plan ≤ 2x find (best of 3 each, interleaved so load drift hits both alike); peak
 * RSS < 400 MB at 1,000,000 files. Times both walkers (native and JavaScript); peak RSS is measured
 * in a fresh child process per walker (one scan + one plan), since maxRSS is a high-water mark.
 * Prints a table; removes its temp tree at the end.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { planRetention } from '@/lib/engine/retention/plan';
import { presetPolicy } from '@/lib/engine/retention/presets';
import { resolveScanner, scanRoot, type ScannerChoice } from '@/lib/services/retention/fs/scan';
import { makeTree, removeTree } from './retention-tree';

const RUNS = 3;
const policy = presetPolicy('ci-main');

function findOnce(root: string): number {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `find "$1" -printf '%s %T@ %p\\n' > /dev/null`, 'sh', root], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`find exited with ${r.status}`);
  return performance.now() - t0;
}

/** Child mode: one scan + plan, then print peak RSS in MB after each. */
async function rssChild(root: string, scanner: ScannerChoice, nowMs: number): Promise<void> {
  const res = await scanRoot(root, { scanner });
  const scanRss = process.resourceUsage().maxRSS / 1024;
  const plan = planRetention(res.scan, policy, nowMs);
  const planRss = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ scanRss, planRss, actions: plan.actionCount }));
}

function peakRss(root: string, scanner: ScannerChoice, nowMs: number): { scanRss: number; planRss: number } {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--rss', root, scanner, String(nowMs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`rss child (${scanner}) exited with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--rss') return rssChild(process.argv[3] as string, process.argv[4] as ScannerChoice, Number(process.argv[5]));
  const n = Number(process.argv[2] ?? 200_000);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`files must be a positive integer, got "${process.argv[2]}"`);
  const scanners: ScannerChoice[] = resolveScanner('auto') === 'native' ? ['native', 'js'] : ['js'];
  if (scanners.length === 1) console.log('native scanner not built (npm install could not compile it): timing the JavaScript walker only');
  const nowMs = Date.now();
  process.stdout.write(`generating ${n} files… `);
  const tg = performance.now();
  const root = makeTree(n, nowMs);
  console.log(`${((performance.now() - tg) / 1000).toFixed(1)} s (${root})`);
  try {
    let find = Infinity;
    const best = new Map<ScannerChoice, { scan: number; plan: number; total: number }>(scanners.map((s) => [s, { scan: Infinity, plan: Infinity, total: Infinity }]));
    let entries = 0;
    let actions = 0;
    for (let r = 0; r < RUNS; r++) {
      find = Math.min(find, findOnce(root));
      for (const scanner of scanners) {
        const b = best.get(scanner) as { scan: number; plan: number; total: number };
        const t0 = performance.now();
        const res = await scanRoot(root, { scanner });
        const t1 = performance.now();
        const p = planRetention(res.scan, policy, nowMs);
        const t2 = performance.now();
        b.scan = Math.min(b.scan, t1 - t0);
        b.plan = Math.min(b.plan, t2 - t1);
        b.total = Math.min(b.total, t2 - t0);
        entries = res.scan.entries.length;
        actions = p.actionCount;
        if (res.stats.fileCount !== n) throw new Error(`${scanner} scan found ${res.stats.fileCount} files, expected ${n}`);
      }
    }
    const row = (label: string, ms: number) => console.log(`${label.padEnd(34)}${ms.toFixed(0).padStart(8)} ms${(ms / find).toFixed(2).padStart(8)}x`);
    console.log(`\n${n} files, ${entries} entries, ${actions} planned actions (preset ci-main), best of ${RUNS}`);
    console.log(`${'step'.padEnd(34)}${'time'.padStart(11)}${'vs find'.padStart(9)}`);
    row("find -printf '%s %T@ %p'", find);
    for (const [scanner, b] of best) {
      row(`scanRoot (${scanner} walker)`, b.scan);
      row(`planRetention (${scanner} scan)`, b.plan);
      row(`scan + plan (${scanner}, best run)`, b.total);
    }
    for (const scanner of scanners) {
      const m = peakRss(root, scanner, nowMs);
      console.log(`peak RSS (${scanner}, fresh process): ${m.scanRss.toFixed(0)} MB after the scan, ${m.planRss.toFixed(0)} MB after the plan`);
    }
    const main = best.get(scanners[0] as ScannerChoice) as { total: number };
    console.log(main.total <= 2 * find ? `OK: scan + plan (${scanners[0]}) within 2x find` : `OVER TARGET: scan + plan (${scanners[0]}) above 2x find`);
  } finally {
    removeTree(root);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
