/**
 * Host freshness (issue 11): Steward observes an artifact under a registered artifact root on its
 * own host, where the directory is attacker-writable and Steward may be root. Against a real temp
 * root, for each descriptor implementation (native addon, /proc): fresh, stale, missing,
 * future-dated (utimes ahead), the newest glob match; symlinks and hard links to fresh files
 * outside the root never read as fresh; a root replaced under its path is refused; and a hostile
 * writer swapping a directory (and a file) for a symlink in a tight loop never gets the outside
 * file reported. Then the cron-freshness job against the database: states, one flip per change,
 * idempotent re-runs, paused checks left alone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFreshness } from '@/lib/engine/cron';
import { observeArtifact, observeHostFreshness } from '@/lib/services/cron/host-freshness';
import { availablePinnedOps } from '@/lib/services/retention/fs/pinned';
import { cronFreshnessJob } from '@/jobs/cron-freshness';
import { createTestDb, type TestDb } from './helpers';
import { startSwapper, swapperBinary, writeAt } from './race-helpers';
import { cleanupDirs, makeDir, newRoot } from './retention-helpers';

const OPS = availablePinnedOps();
const H = 3_600_000;
const NOW = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => NOW.getTime() - ms;
const MAX_AGE = 36 * 3600;
const verdict = (mtime: Date | null) => evaluateFreshness(mtime, MAX_AGE, NOW).status;

/** A root (real path) with an `outside` sibling holding a FRESH file, the bait. */
function tree() {
  const base = makeDir('cron-host-');
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  writeAt(path.join(outside, 'x.json'), 'OUTSIDE', ago(60_000));
  writeAt(path.join(outside, 'nightly_9.json'), 'OUTSIDE', ago(60_000));
  const st = fs.statSync(root);
  return { base, root, outside, ident: { path: root, dev: st.dev, ino: st.ino } };
}

afterAll(() => cleanupDirs());

describe.each(OPS.map((o) => [o.kind, o] as const))('observeArtifact through %s descriptors', (_kind, ops) => {
  it('fresh, stale, missing and future-dated files, and a missing directory', async () => {
    const { root, ident } = tree();
    writeAt(path.join(root, 'reports/fresh.json'), '{}', ago(2 * H));
    writeAt(path.join(root, 'reports/stale.json'), '{}', ago(36 * H + 1000));
    writeAt(path.join(root, 'reports/future.json'), '{}', ago(-3 * H)); // utimes 3 h ahead
    writeAt(path.join(root, 'top.json'), '{}', ago(H));
    const [fresh, stale, missing, future, top, noDir] = await Promise.all(
      ['reports/fresh.json', 'reports/stale.json', 'reports/gone.json', 'reports/future.json', 'top.json', 'nope/x.json'].map((p) => observeArtifact(ident, p, NOW, { ops })),
    );
    expect(fresh).toEqual({ path: 'reports/fresh.json', mtime: new Date(ago(2 * H)), problem: null });
    expect(verdict(fresh!.mtime)).toBe('fresh');
    expect(stale!.mtime).toEqual(new Date(ago(36 * H + 1000)));
    expect(verdict(stale!.mtime)).toBe('stale');
    expect(missing).toEqual({ path: null, mtime: null, problem: '"reports/gone.json" does not exist' });
    expect(verdict(missing!.mtime)).toBe('missing');
    expect(future!.mtime).toEqual(new Date(ago(-3 * H)));
    expect(verdict(future!.mtime)).toBe('future');
    expect(top!.path).toBe('top.json');
    expect(noDir).toEqual({ path: null, mtime: null, problem: 'directory "nope" does not exist' });
  });

  it('a glob in the last segment takes the newest matching regular file', async () => {
    const { root, ident, outside } = tree();
    writeAt(path.join(root, 'reports/nightly_1.json'), '{}', ago(50 * H));
    writeAt(path.join(root, 'reports/nightly_3.json'), '{}', ago(20 * H));
    writeAt(path.join(root, 'reports/nightly_2.json'), '{}', ago(30 * H));
    writeAt(path.join(root, 'reports/other_4.json'), '{}', ago(H));
    fs.mkdirSync(path.join(root, 'reports/nightly_5.json'));
    // Newer "matches" that are not plain files inside the root are refused, never followed.
    fs.symlinkSync(path.join(outside, 'nightly_9.json'), path.join(root, 'reports/nightly_9.json'));
    fs.linkSync(path.join(outside, 'nightly_9.json'), path.join(root, 'reports/nightly_8.json'));
    const r = await observeArtifact(ident, 'reports/nightly_*.json', NOW, { ops });
    expect(r).toEqual({ path: 'reports/nightly_3.json', mtime: new Date(ago(20 * H)), problem: null });
    const none = await observeArtifact(ident, 'reports/weekly_*.json', NOW, { ops });
    expect(none).toMatchObject({ path: null, mtime: null });
    expect(none.problem).toMatch(/no regular file matches "reports\/weekly_\*\.json"/);
  });

  it('symlinks (file, directory, root-level) and hard links to a fresh outside file never read as fresh', async () => {
    const { root, ident, outside } = tree();
    fs.mkdirSync(path.join(root, 'reports'));
    fs.symlinkSync(path.join(outside, 'x.json'), path.join(root, 'reports/link.json'));
    fs.symlinkSync(outside, path.join(root, 'outdir'));
    fs.symlinkSync('../outdir', path.join(root, 'reports/rel'));
    fs.linkSync(path.join(outside, 'x.json'), path.join(root, 'reports/hard.json'));
    writeAt(path.join(root, 'reports/inner.json'), '{}', ago(H));
    fs.symlinkSync('inner.json', path.join(root, 'reports/inner-link.json')); // even inside: not followed
    const cases: [string, RegExp][] = [
      ['reports/link.json', /"reports\/link\.json" is a symlink/],
      ['outdir/x.json', /"outdir" is a symlink or not a directory/],
      ['reports/rel/x.json', /"reports\/rel" is a symlink or not a directory/],
      ['reports/hard.json', /"reports\/hard\.json" has 2 hard links/],
      ['reports/inner-link.json', /is a symlink/],
      ['outdir/*.json', /"outdir" is a symlink or not a directory/],
      ['reports/link*.json', /no regular file matches .*1 match\(es\) refused/],
    ];
    for (const [p, why] of cases) {
      const r = await observeArtifact(ident, p, NOW, { ops });
      expect(r, p).toMatchObject({ path: null, mtime: null });
      expect(r.problem, p).toMatch(why);
    }
  });

  it('refuses "..", absolute paths, NUL, globs in a directory, and a root replaced under its path', async () => {
    const { base, root, ident } = tree();
    writeAt(path.join(root, 'a/x.json'), '{}', ago(H));
    const bad: [string, RegExp][] = [
      ['../outside/x.json', /contains "\.\."/],
      ['a/../../outside/x.json', /contains "\.\."/],
      [path.join(base, 'outside/x.json'), /is absolute/],
      ['a/x.json\0', /NUL/],
      ['*/x.json', /last path segment only/],
      ['a//x.json', /not a normalized path/],
      ['./a/x.json', /not a normalized path/],
      ['', /empty/],
    ];
    for (const [p, why] of bad) {
      const r = await observeArtifact(ident, p, NOW, { ops });
      expect(r, JSON.stringify(p)).toMatchObject({ path: null, mtime: null });
      expect(r.problem, JSON.stringify(p)).toMatch(why);
    }
    // The root's path now leads to another directory, with the same contents: refused.
    fs.renameSync(root, path.join(base, 'old-root'));
    writeAt(path.join(root, 'a/x.json'), '{}', ago(H));
    const swapped = await observeArtifact(ident, 'a/x.json', NOW, { ops });
    expect(swapped).toMatchObject({ path: null, mtime: null });
    expect(swapped.problem).toMatch(/artifact root is no longer the directory that was registered/);
    // A symlink in place of the root too.
    fs.rmSync(root, { recursive: true });
    fs.symlinkSync(path.join(base, 'old-root'), root);
    expect((await observeArtifact({ path: root }, 'a/x.json', NOW, { ops })).problem).toMatch(/artifact root is a symlink/);
  });

  const { bin, why } = swapperBinary();
  it.skipIf(!bin)(`a hostile writer swapping the directory and the file for symlinks never gets the outside file reported${bin ? '' : ` (skipped: ${why})`}`, { timeout: 120_000 }, async () => {
    const { root, ident, outside } = tree();
    const insideMtime = new Date(ago(40 * H)); // stale inside; the outside bait is fresh
    writeAt(path.join(root, 'reports/x.json'), 'INSIDE', insideMtime.getTime());
    writeAt(path.join(root, 'reports/nightly_1.json'), 'INSIDE', insideMtime.getTime());
    writeAt(path.join(root, 'files/x.json'), 'INSIDE', insideMtime.getTime());
    fs.symlinkSync(outside, path.join(root, 'reports-link'));
    fs.symlinkSync(path.join(outside, 'x.json'), path.join(root, 'files/x-link.json'));
    const swapper = await startSwapper([
      [path.join(root, 'reports'), path.join(root, 'reports-link')],
      [path.join(root, 'files/x.json'), path.join(root, 'files/x-link.json')],
    ]);
    const seen = { inside: 0, refused: 0 };
    let swaps: number;
    try {
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        for (const p of ['reports/x.json', 'reports/nightly_*.json', 'files/x.json']) {
          const r = await observeArtifact(ident, p, NOW, { ops });
          // The only mtime that may ever be reported is the inside one.
          if (r.mtime !== null) {
            expect(r.mtime, p).toEqual(insideMtime);
            expect(r.problem).toBeNull();
            seen.inside++;
          } else {
            expect(r.problem, p).toBeTruthy();
            seen.refused++;
          }
        }
      }
    } finally {
      swaps = await swapper.stop();
    }
    expect(swaps).toBeGreaterThan(100);
    expect(seen.inside).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('cron-freshness job', () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => {
    await h?.close();
  });

  const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };
  async function check(name: string, artifactRootId: string | null, artifactPath: string, extra: Record<string, unknown> = {}) {
    return h.db.cronCheck.create({
      data: {
        id: crypto.randomUUID(), uuid: crypto.randomUUID(), name, type: 'freshness', scheduleKind: 'period', periodSeconds: 86_400, graceSeconds: 3_600,
        artifactRootId, artifactPath, maxAgeSeconds: MAX_AGE, source: 'host', createdAt: new Date(NOW.getTime() - 7 * 24 * H), ...extra,
      },
    });
  }
  const get = (id: string) => h.db.cronCheck.findUniqueOrThrow({ where: { id } });

  it('stores each observation, flips a check once per change, leaves paused and rootless checks alone, and a re-run flips nothing', async () => {
    const base = makeDir('cron-job-');
    const root = await newRoot(h.db, base, POLICY);
    const outside = path.join(base, 'outside');
    writeAt(path.join(outside, 'x.json'), 'OUTSIDE', ago(60_000));
    writeAt(path.join(root.path, 'reports/fresh.json'), '{}', ago(2 * H));
    writeAt(path.join(root.path, 'reports/stale.json'), '{}', ago(40 * H));
    writeAt(path.join(root.path, 'reports/future.json'), '{}', ago(-2 * H));
    writeAt(path.join(root.path, 'reports/nightly_1.json'), '{}', ago(50 * H));
    writeAt(path.join(root.path, 'reports/nightly_2.json'), '{}', ago(10 * H));
    fs.symlinkSync(path.join(outside, 'x.json'), path.join(root.path, 'reports/escape.json'));
    const fresh = await check('h-fresh', root.id, 'reports/fresh.json');
    const stale = await check('h-stale', root.id, 'reports/stale.json');
    const missing = await check('h-missing', root.id, 'reports/gone.json');
    const future = await check('h-future', root.id, 'reports/future.json');
    const glob = await check('h-glob', root.id, 'reports/nightly_*.json');
    const escape = await check('h-escape', root.id, 'reports/escape.json');
    const paused = await check('h-paused', root.id, 'reports/stale.json', { paused: true, state: 'paused' });
    const rootless = await check('h-runner', null, 'reports/stale.json', { source: 'runner-1' });

    const r1 = await observeHostFreshness(h.db, NOW);
    expect(r1.observed).toBe(6);
    expect(r1.problems.map((p) => p.checkId).sort()).toEqual([missing.id, escape.id].sort());
    const rows = Object.fromEntries(await Promise.all([fresh, stale, missing, future, glob, escape, paused, rootless].map(async (c) => [c.name, await get(c.id)] as const)));
    expect(rows['h-fresh']).toMatchObject({ freshness: 'fresh', state: 'up', artifactMtime: new Date(ago(2 * H)), observedAt: NOW });
    expect(rows['h-stale']).toMatchObject({ freshness: 'stale', state: 'down' });
    expect(rows['h-missing']).toMatchObject({ freshness: 'missing', state: 'down', artifactMtime: null });
    expect(rows['h-future']).toMatchObject({ freshness: 'future', state: 'down', artifactMtime: new Date(ago(-2 * H)) });
    expect(rows['h-glob']).toMatchObject({ freshness: 'fresh', state: 'up', artifactMtime: new Date(ago(10 * H)) });
    expect(rows['h-escape']).toMatchObject({ freshness: 'missing', state: 'down', artifactMtime: null });
    // The reason says why it reads as missing, not only that it does.
    expect(rows['h-escape']!.reason).toContain(r1.problems.find((p) => p.checkId === escape.id)!.problem);
    expect(rows['h-missing']!.reason).toMatch(/does not exist/);
    expect(rows['h-fresh']!.reason).toMatch(/^modified 2h ago \(max 36h\); observed [^(]*$/);
    expect(rows['h-paused']).toMatchObject({ observedAt: null, state: 'paused' });
    expect(rows['h-runner']).toMatchObject({ observedAt: null, state: 'new' });
    const flips1 = await h.db.cronFlip.count();

    // The same slot again (a retried slot, or a second instance): same facts, no new flip.
    const r2 = await observeHostFreshness(h.db, NOW);
    expect(r2.flipped).toBe(0);
    expect(await h.db.cronFlip.count()).toBe(flips1);

    // The stale artifact is rewritten: the next pass flips it up, once.
    const later = new Date(NOW.getTime() + 60_000);
    writeAt(path.join(root.path, 'reports/stale.json'), '{}', later.getTime() - 1000);
    const r3 = await observeHostFreshness(h.db, later);
    expect(r3.flipped).toBe(1);
    expect(await get(stale.id)).toMatchObject({ freshness: 'fresh', state: 'up' });
    const flips = await h.db.cronFlip.findMany({ where: { checkId: stale.id }, orderBy: { id: 'asc' } });
    expect(flips.map((f) => f.to)).toEqual(['down', 'up']);
  });

  it('the job is declared every minute and runs the pass', async () => {
    expect(cronFreshnessJob).toMatchObject({ name: 'cron-freshness', schedule: '* * * * *' });
    const base = makeDir('cron-job2-');
    const root = await newRoot(h.db, base, POLICY);
    writeAt(path.join(root.path, 'a.json'), '{}', Date.now() - 60_000);
    const c = await check('job-fresh', root.id, 'a.json', { createdAt: new Date(Date.now() - H) });
    const r = (await cronFreshnessJob.run({ db: h.db, now: new Date(), signal: new AbortController().signal, log: () => {} })) as { observed: number };
    expect(r.observed).toBeGreaterThanOrEqual(1);
    expect(await get(c.id)).toMatchObject({ freshness: 'fresh', state: 'up' });
  });
});
