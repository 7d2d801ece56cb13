/**
 * Bench: the cost of content verification in compression. For N files of a given size, measures
 * in the same run and on the same files:
 * - `tar -czf` of each file (the reference: what a script would do, without verification);
 * - writing Steward's archive from the open descriptor while hashing it (writeTarGz);
 * - reading that archive back, gunzipping, parsing and hashing its member (verifyArchiveFd);
 * and prints each as a ratio of the `tar` reference, and verification as a share of Steward's total.
 *
 *   npx tsx bench/retention-compress.ts [files=200] [kib=256]
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyArchiveFd, writeTarGz } from '@/lib/services/retention/fs/archive';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  const kib = Number(process.argv[3] ?? 256);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-bench-zip-'));
  try {
    // Soak-like JSON: compressible but not trivially (random numbers in a repeated structure).
    for (let i = 0; i < n; i++) {
      const parts: string[] = [];
      let len = 0;
      while (len < kib * 1024) {
        const s = `{"iter":${i},"t":${Date.now()},"rss_mb":${(Math.random() * 500).toFixed(3)},"id":"${crypto.randomBytes(6).toString('hex')}"}\n`;
        parts.push(s);
        len += s.length;
      }
      fs.writeFileSync(path.join(dir, `f${i}.json`), parts.join('').slice(0, kib * 1024));
    }
    spawnSync('sync');

    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = spawnSync('tar', ['-czf', path.join(dir, `t${i}.tar.gz`), '-C', dir, `f${i}.json`]);
      if (r.status !== 0) throw new Error('tar failed');
    }
    const tarMs = performance.now() - t0;

    let writeMs = 0;
    let verifyMs = 0;
    for (let i = 0; i < n; i++) {
      const src = fs.openSync(path.join(dir, `f${i}.json`), 'r');
      const out = fs.openSync(path.join(dir, `s${i}.tar.gz`), 'w+');
      const st = fs.fstatSync(src);
      const w0 = performance.now();
      const sha256 = await writeTarGz(src, out, `f${i}.json`, st.mode, st.size, st.mtimeMs);
      fs.fsyncSync(out);
      writeMs += performance.now() - w0;
      const v0 = performance.now();
      const v = await verifyArchiveFd(out, { name: `f${i}.json`, size: st.size, mtimeMs: st.mtimeMs, sha256 });
      verifyMs += performance.now() - v0;
      if (!v.ok) throw new Error(`verification failed: ${v.reason}`);
      fs.closeSync(src);
      fs.closeSync(out);
    }
    const row = (label: string, ms: number) => console.log(`${label.padEnd(44)}${ms.toFixed(0).padStart(8)} ms${(ms / tarMs).toFixed(2).padStart(8)}x`);
    console.log(`\n${n} files of ${kib} KiB`);
    row('tar -czf per file (reference)', tarMs);
    row('Steward: write archive from the descriptor', writeMs);
    row('Steward: read back, gunzip, parse, hash', verifyMs);
    row('Steward: total', writeMs + verifyMs);
    console.log(`verification is ${((100 * verifyMs) / (writeMs + verifyMs)).toFixed(0)} % of Steward's compression time`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
