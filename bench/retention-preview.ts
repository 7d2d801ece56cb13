/**
 * Bench: a whole preview (scan + plan + storing every entry in the database) versus `find -printf`
 * over the same tree, same run.
 *
 *   npx tsx bench/retention-preview.ts [files=100000]                  # embedded PGlite (temp dir)
 *   BENCH_DATABASE_URL=postgresql://… npx tsx bench/retention-preview.ts  # an existing, disposable database
 *
 * No target in the issue; this keeps the storing step honest (it was 16 s and 1.4 GB at 100,000
 * files with Prisma's createMany, 1.5 s and 254 MB with the unnest insert).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/lib/db/client';
import type { Actor } from '@/lib/services/actor';
import { previewCleanup } from '@/lib/services/retention/plans';
import { registerRoot } from '@/lib/services/retention/roots';
import { makeTree, removeTree } from './retention-tree';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`files must be a positive integer, got "${process.argv[2]}"`);
  const url = process.env.BENCH_DATABASE_URL;
  const dataDir = url ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'steward-bench-db-'));
  const handle = await openDatabase(url ? { url } : { dataDir: dataDir as string });
  process.stdout.write(`generating ${n} files… `);
  const root = makeTree(n, Date.now());
  console.log('done');
  try {
    const actor: Actor = { type: 'user', id: 'bench', label: 'bench', role: 'admin' };
    const r = await registerRoot(handle.db, actor, { name: `bench-${path.basename(root)}`, path: root, presetId: 'ci-main' }, { allowedBases: [os.tmpdir()] });
    const f0 = performance.now();
    spawnSync('sh', ['-c', `find "$1" -printf '%s %T@ %p\\n' > /dev/null`, 'sh', root], { stdio: 'inherit' });
    const find = performance.now() - f0;
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const t0 = performance.now();
    const plan = await previewCleanup(handle.db, actor, r.id, new Date());
    const ms = performance.now() - t0;
    const entries = plan.totals.filesToDelete + plan.totals.filesToCompress + plan.totals.filesKept;
    console.log(`\n${n} files on ${url ? 'PostgreSQL' : 'embedded PGlite'}: ${entries} entries stored`);
    console.log(`find -printf               ${find.toFixed(0).padStart(7)} ms   1.00x`);
    console.log(`previewCleanup             ${ms.toFixed(0).padStart(7)} ms ${(ms / find).toFixed(2).padStart(6)}x   (${((ms * 1000) / n).toFixed(0)} µs a file)`);
    console.log(`peak RSS: ${rssBefore.toFixed(0)} MB before the preview (database open), ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB after`);
    await handle.db.artifactRoot.delete({ where: { id: r.id } });
  } finally {
    removeTree(root);
    await handle.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
