/**
 * Retention against a hostile writer inside the root (issue 7): while files are deleted or
 * compressed, a helper process exchanges directories and files with symlinks to look-alikes
 * outside the root (same names, sizes and mtimes), or with FIFOs, in a tight loop. The invariant:
 * nothing outside the root changes (a manifest with the sha256 of every entry, before and after),
 * no archive ever holds outside content, and every original that is gone inside the root was
 * archived with its own content. Run for each descriptor implementation (native addon, /proc),
 * through the file layer, the execution service and the CLI.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressEntry, deleteEntry, type ActEntry } from '@/lib/services/retention/fs/act';
import { readArchive } from '@/lib/services/retention/fs/archive';
import { availablePinnedOps, type PinnedOps } from '@/lib/services/retention/fs/pinned';
import { PinnedRoot } from '@/lib/services/retention/fs/pinned-root';
import { executePlan } from '@/lib/services/retention/execute';
import { createTestDb, type TestDb } from './helpers';
import { manifest, startSwapper, swapperBinary, writeAt } from './race-helpers';
import { approvedPlan, cleanupDirs, DAY, expectServiceError, makeDir, newRoot, op } from './retention-helpers';

const { bin, why } = swapperBinary();
const OPS = availablePinnedOps();
const OLD = Date.now() - 30 * DAY;
const ITERATIONS = 2;
/** Generous: these tests run real processes against each other; on a loaded machine they slow down. */
const T = 240_000;

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

/** Same-size, distinguishable contents for the inside file and its outside twin. */
const inside = (tag: string, size = 64) => `INSIDE ${tag} `.padEnd(size, 'i');
const twin = (tag: string, size = 64) => `OUTSIDE ${tag} `.padEnd(size, 'o');

/**
 * root/d<j>/f<i> (inside) and outside/d<j>/f<i> (same size and mtime, other content), with a
 * symlink root/d<j>-link → outside/d<j>: the pair the swapper exchanges.
 */
function twinTree(base: string, dirs: number, files: number, ext: string, size = 64) {
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  const pairs: [string, string][] = [];
  for (let j = 0; j < dirs; j++) {
    for (let i = 0; i < files; i++) {
      writeAt(path.join(root, `d${j}`, `f${i}${ext}`), inside(`${j}/${i}`, size), OLD);
      writeAt(path.join(outside, `d${j}`, `f${i}${ext}`), twin(`${j}/${i}`, size), OLD);
    }
    fs.symlinkSync(path.join(outside, `d${j}`), path.join(root, `d${j}-link`));
    pairs.push([path.join(root, `d${j}`), path.join(root, `d${j}-link`)]);
  }
  return { root, outside, pairs };
}

/** Planned entries (with identity) of every regular file under root/d<j>, taken before the race. */
function plannedFiles(root: string, dirs: number): ActEntry[] {
  const out: ActEntry[] = [];
  for (let j = 0; j < dirs; j++) {
    for (const name of fs.readdirSync(path.join(root, `d${j}`)).sort()) {
      const st = fs.lstatSync(path.join(root, `d${j}`, name));
      out.push({ path: `d${j}/${name}`, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ctimeMs: st.ctimeMs });
    }
  }
  return out;
}

/** Every archive under `dir` holds one member with inside content; returns the tags archived. */
async function archivedTags(dir: string): Promise<Set<string>> {
  const tags = new Set<string>();
  const walk = async (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const abs = path.join(d, name);
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) await walk(abs);
      else if (st.isFile() && name.endsWith('.tar.gz')) {
        const fd = fs.openSync(abs, 'r');
        try {
          expect(await readArchive(fd)).toHaveLength(1);
        } finally {
          fs.closeSync(fd);
        }
        const content = execFileSync('tar', ['-xzOf', abs], { maxBuffer: 1 << 26 }).toString('utf8');
        expect(content.startsWith('INSIDE ')).toBe(true);
        tags.add(content.split(' ')[1] as string);
      }
    }
  };
  await walk(dir);
  return tags;
}

/** Files still present inside with inside content (under their name or the swapped one). */
function presentTags(root: string): Set<string> {
  const tags = new Set<string>();
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const abs = path.join(d, name);
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) walk(abs);
      else if (st.isFile() && !name.endsWith('.tar.gz')) {
        const c = fs.readFileSync(abs, 'utf8');
        if (c.startsWith('INSIDE ')) tags.add(c.split(' ')[1] as string);
      }
    }
  };
  walk(root);
  return tags;
}

const noTemps = (dir: string) => Object.keys(manifest(dir)).filter((p) => p.endsWith('.steward-tmp'));

describe.skipIf(!bin || OPS.length === 0)(`retention under a hostile writer${bin ? '' : ` (skipped: ${why})`}`, () => {
  describe.each(OPS.map((o) => [o.kind, o] as const))('through %s descriptors', (_kind, ops: PinnedOps) => {
    it(`directory ↔ symlink exchanges during 5,000 deletes change nothing outside (${ITERATIONS} runs)`, async () => {
      for (let run = 0; run < ITERATIONS; run++) {
        const base = makeDir('race-del-');
        const { root, outside, pairs } = twinTree(base, 20, 250, '.log');
        const entries = plannedFiles(root, 20);
        const before = manifest(outside);
        const sw = await startSwapper(pairs);
        const pinned = PinnedRoot.open(root, { ops });
        pinned.lock();
        let done = 0;
        try {
          for (const e of entries) if (deleteEntry(pinned, e, Date.now(), { minQuietMs: 0 }).status === 'done') done++;
        } finally {
          pinned.close();
        }
        const swaps = await sw.stop();
        expect(swaps).toBeGreaterThan(0);
        expect(manifest(outside)).toEqual(before);
        // What was not deleted is intact inside (under d<j> or d<j>-link, wherever the swap left it).
        expect(presentTags(root).size).toBe(entries.length - done);
      }
    }, T);

    it('directory ↔ symlink exchanges during compression: no archive, temp or change outside; nothing lost inside', async () => {
      for (let run = 0; run < ITERATIONS; run++) {
        const base = makeDir('race-zip-');
        const { root, outside, pairs } = twinTree(base, 8, 15, '.json', 4096);
        const entries = plannedFiles(root, 8);
        const before = manifest(outside);
        const sw = await startSwapper(pairs);
        const pinned = PinnedRoot.open(root, { ops });
        pinned.lock();
        try {
          for (const e of entries) await compressEntry(pinned, e, Date.now(), { minQuietMs: 0 });
        } finally {
          pinned.close();
        }
        await sw.stop();
        expect(manifest(outside)).toEqual(before);
        const archived = await archivedTags(root);
        const present = presentTags(root);
        for (const e of entries) {
          const tag = e.path.replace(/^d(\d+)\/f(\d+)\.json$/, '$1/$2');
          expect(archived.has(tag) || present.has(tag)).toBe(true);
        }
        expect(noTemps(root)).toEqual([]);
      }
    }, T);

    it('file ↔ symlink exchanges during compression never archive an outside secret nor lose an inside file', async () => {
      for (let run = 0; run < ITERATIONS; run++) {
        const base = makeDir('race-file-');
        const root = path.join(base, 'root');
        const outside = path.join(base, 'outside');
        const pairs: [string, string][] = [];
        for (let i = 0; i < 30; i++) {
          writeAt(path.join(root, 'c', `f${i}.json`), inside(`c/${i}`, 2048), OLD);
          writeAt(path.join(outside, `secret${i}`), twin(`secret/${i}`, 2048), OLD, 0o600);
          fs.symlinkSync(path.join(outside, `secret${i}`), path.join(root, 'c', `l${i}.json`));
          pairs.push([path.join(root, 'c', `f${i}.json`), path.join(root, 'c', `l${i}.json`)]);
        }
        const entries: ActEntry[] = [];
        for (let i = 0; i < 30; i++) {
          const st = fs.lstatSync(path.join(root, 'c', `f${i}.json`));
          entries.push({ path: `c/f${i}.json`, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ctimeMs: st.ctimeMs });
        }
        const before = manifest(outside);
        const sw = await startSwapper(pairs);
        const pinned = PinnedRoot.open(root, { ops });
        pinned.lock();
        try {
          for (const e of entries) await compressEntry(pinned, e, Date.now(), { minQuietMs: 0 });
        } finally {
          pinned.close();
        }
        await sw.stop();
        expect(manifest(outside)).toEqual(before);
        const archived = await archivedTags(root); // asserts every archive holds inside content
        const present = presentTags(root);
        for (let i = 0; i < 30; i++) expect(archived.has(`c/${i}`) || present.has(`c/${i}`)).toBe(true);
        expect(noTemps(root)).toEqual([]);
      }
    }, T);

    it('file ↔ FIFO exchanges during compression never block', async () => {
      const base = makeDir('race-fifo-');
      const root = path.join(base, 'root');
      const pairs: [string, string][] = [];
      for (let i = 0; i < 20; i++) {
        writeAt(path.join(root, 'p', `f${i}.json`), inside(`p/${i}`, 1024), OLD);
        execFileSync('mkfifo', [path.join(root, 'p', `q${i}`)]);
        pairs.push([path.join(root, 'p', `f${i}.json`), path.join(root, 'p', `q${i}`)]);
      }
      const entries: ActEntry[] = [];
      for (let i = 0; i < 20; i++) {
        const st = fs.lstatSync(path.join(root, 'p', `f${i}.json`));
        entries.push({ path: `p/f${i}.json`, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, ctimeMs: st.ctimeMs });
      }
      const sw = await startSwapper(pairs);
      const pinned = PinnedRoot.open(root, { ops });
      const t0 = Date.now();
      try {
        for (const e of entries) await compressEntry(pinned, e, Date.now(), { minQuietMs: 0 });
      } finally {
        pinned.close();
      }
      await sw.stop();
      expect(Date.now() - t0).toBeLessThan(20_000);
      const archived = await archivedTags(root);
      const present = presentTags(root);
      for (let i = 0; i < 20; i++) expect(archived.has(`p/${i}`) || present.has(`p/${i}`)).toBe(true);
    }, T);

    it('the execution service under directory exchanges: nothing outside changes', async () => {
      for (let run = 0; run < ITERATIONS; run++) {
        const base = makeDir('race-svc-');
        const dir = path.join(base, 'root');
        const { outside, pairs } = twinTree(base, 6, 100, '.log');
        for (let i = 0; i < 20; i++) {
          writeAt(path.join(dir, 'snap', `s${i}.json`), inside(`snap/${i}`, 4096), OLD);
          writeAt(path.join(outside, 'snap', `s${i}.json`), twin(`snap/${i}`, 4096), OLD);
        }
        fs.symlinkSync(path.join(outside, 'snap'), path.join(dir, 'snap-link'));
        const root = await newRoot(h.db, base, { rules: [{ id: 'snap', match: 'snap/**', compressAfter: '1d' }, { id: 'all', match: '**', ttl: '7d' }] }, {}, dir);
        const plan = await approvedPlan(h.db, root.id);
        expect(plan.totals.filesToDelete).toBe(600);
        const before = manifest(outside);
        const sw = await startSwapper([...pairs, [path.join(dir, 'snap'), path.join(dir, 'snap-link')]]);
        let r;
        try {
          r = await executePlan(h.db, op, plan.id, { descriptors: ops.kind });
        } finally {
          await sw.stop();
        }
        expect(r.status).toBe('done');
        expect(manifest(outside)).toEqual(before);
        expect(noTemps(dir)).toEqual([]);
      }
    }, T);
  });

  it.each(OPS.map((o) => [o.kind === 'native' ? 'native' : 'js'] as const))('steward rotate (STEWARD_SCANNER=%s) under directory exchanges changes nothing outside', async (scanner) => {
    for (let run = 0; run < ITERATIONS; run++) {
      const base = makeDir('race-cli-');
      const { root, outside, pairs } = twinTree(base, 6, 150, '.log');
      const before = manifest(outside);
      const sw = await startSwapper(pairs);
      let res;
      try {
        res = await cli(['rotate', '--path', root, '--ttl-days', '7', '--keep-latest', '1000000', '--max-size-mb', '100000', '--min-quiet', '0'], { STEWARD_SCANNER: scanner });
      } finally {
        await sw.stop();
      }
      expect([0, 1]).toContain(res.code); // 1 when the scan met a directory mid-swap ("replaced"): reported, not acted on
      expect(manifest(outside)).toEqual(before);
    }
  }, T);

  it('one lock per root: the CLI and the server refuse while another holds it, and act once it is free', async () => {
    const base = makeDir('race-lock-');
    const dir = path.join(base, 'root');
    writeAt(path.join(dir, 'old.log'), 'x', OLD);
    const root = await newRoot(h.db, base, { rules: [{ id: 'all', match: '**', ttl: '7d' }] }, {}, dir);
    const plan = await approvedPlan(h.db, root.id);
    const holder = PinnedRoot.open(dir);
    holder.lock();
    try {
      const r = await cli(['rotate', '--path', dir, '--ttl-days', '7']);
      expect(r.code).toBe(75);
      expect(r.stderr).toMatch(/another rotation of this root is running/);
      await expectServiceError(executePlan(h.db, op, plan.id), 'conflict', /another rotation of this root is running/);
      expect(fs.existsSync(path.join(dir, 'old.log'))).toBe(true);
      expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('approved');
    } finally {
      holder.close();
    }
    expect(await executePlan(h.db, op, plan.id)).toMatchObject({ status: 'done', deleted: 1 });
  }, T);

  it('kill -9 at random points of `steward rotate` compressions: a rerun leaves no temp and loses nothing', async () => {
    const base = makeDir('race-kill-');
    const root = path.join(base, 'root');
    const big = (i: number) => inside(`z/${i}`, 512 * 1024);
    // 10 days old: past compress-after (7 d), not yet past the snapshots' TTL (2 × 7 d).
    for (let i = 0; i < 30; i++) writeAt(path.join(root, 'snapshots', `s${i}.json`), big(i), Date.now() - 10 * DAY);
    const flags = ['rotate', '--path', root, '--ttl-days', '7', '--keep-latest', '1000', '--max-size-mb', '100000', '--min-quiet', '0'];
    let killed = 0;
    // Killed a random 0–150 ms after the first archive or temp appears: in the middle of the
    // compressions, whatever the CLI's start-up time (a fixed delay sometimes outlasted all the work).
    const names = () => fs.readdirSync(path.join(root, 'snapshots'));
    const archives = () => names().filter((n) => n.endsWith('.tar.gz')).length;
    for (let k = 0; k < 4; k++) {
      const had = archives();
      // This run has started compressing: a temp exists, or an archive more than before it.
      const started = () => names().some((n) => n.endsWith('.steward-tmp')) || archives() > had;
      const r = await cli(flags, {}, { when: started, delayMs: Math.floor(Math.random() * 150) });
      if (r.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBeGreaterThan(0);
    const last = await cli(flags);
    expect(last.code).toBe(0);
    expect(noTemps(root)).toEqual([]);
    const archived = await archivedTags(root);
    for (let i = 0; i < 30; i++) expect(archived.has(`z/${i}`)).toBe(true);
    expect(fs.readdirSync(path.join(root, 'snapshots')).every((n) => n.endsWith('.tar.gz'))).toBe(true);
  }, T);
});

/** Runs the real `steward` CLI; with `killAfterMs`, SIGKILLs it then. */
/**
 * Runs the real `steward` CLI. `kill`: a number SIGKILLs it that many ms after the start; a
 * function is polled every 5 ms and SIGKILLs it `delayMs` after it first returns true (so a kill
 * lands in the middle of the work however long the CLI takes to start on a loaded machine).
 */
function cli(args: string[], env: Record<string, string> = {}, kill?: number | { when: () => boolean; delayMs: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const home = path.resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, [path.join(home, 'bin/steward.mjs'), ...args], { cwd: home, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | null = null;
    let poll: NodeJS.Timeout | null = null;
    if (typeof kill === 'number') timer = setTimeout(() => child.kill('SIGKILL'), kill);
    else if (kill) {
      poll = setInterval(() => {
        if (!kill.when()) return;
        clearInterval(poll!);
        poll = null;
        timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }, 5);
    }
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
