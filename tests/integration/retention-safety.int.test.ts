import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { approvePlan, previewCleanup } from '@/lib/services/retention/plans';
import { giveToNobody, runUnprivileged, unprivilegedSkipReason } from '@/tests/support/unprivileged';
import { createTestDb, NEEDS_POSTGRES, usingPostgres, type TestDb } from './helpers';
import { approvedPlan, cleanupDirs, DAY, entriesByPath, exists, listTree, makeDir, newRoot, op, put as putAt } from './retention-helpers';

let h: TestDb;
let base: string;
let outside: string;
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
  outside = makeDir('ret-outside-');
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

// A pinned clock: every mtime is relative to T, plans are made at T and executed at T + 1 s.
const T = new Date('2026-03-02T10:00:00.000Z');
const clock = () => new Date(T.getTime() + 1000);
const put = (root: string, rel: string, content: string | number, ageMs: number) => putAt(root, rel, content, ageMs, T.getTime());
const CATCH_ALL = { rules: [{ id: 'all', match: '**', ttl: '1d' }] };
const old = (abs: string, ageMs = 30 * DAY) => {
  const t = (T.getTime() - ageMs) / 1000;
  fs.lutimesSync(abs, t, t);
};

describe('symlinks in the tree', () => {
  it('a catch-all TTL neither follows nor deletes symlinks to a file or a directory outside the root', async () => {
    const out = path.join(outside, 'sym');
    put(out, 'secret.txt', 'outside file', 30 * DAY);
    put(out, 'dir/inner.log', 'outside dir file', 30 * DAY);
    const root = await newRoot(h.db, base, CATCH_ALL);
    put(root.path, 'old.bin', 10, 30 * DAY);
    fs.symlinkSync(path.join(out, 'secret.txt'), path.join(root.path, 'file-link'));
    fs.symlinkSync(path.join(out, 'dir'), path.join(root.path, 'dir-link'));
    old(path.join(root.path, 'file-link'));
    old(path.join(root.path, 'dir-link'));

    const plan = await approvedPlan(h.db, root.id, T);
    const entries = await entriesByPath(h.db, plan.id);
    expect(Object.keys(entries).sort()).toEqual(['dir-link', 'file-link', 'old.bin']); // dir-link/inner.log is not listed
    expect(entries['file-link']).toMatchObject({ kind: 'keep', status: 'kept' });
    expect(entries['dir-link']).toMatchObject({ kind: 'keep', status: 'kept' });
    expect(plan.totals).toMatchObject({ filesScanned: 3, filesToDelete: 1, bytesBefore: 10 });

    const r = await executePlan(h.db, op, plan.id, { clock });
    expect([r.deleted, r.skipped, r.failed]).toEqual([1, 0, 0]);
    expect(listTree(root.path)).toEqual([`dir-link -> ${out}/dir`, `file-link -> ${out}/secret.txt`, 'rotation/ROTATION_LOG.jsonl']);
    expect(fs.readFileSync(path.join(out, 'secret.txt'), 'utf8')).toBe('outside file');
    expect(fs.readFileSync(path.join(out, 'dir/inner.log'), 'utf8')).toBe('outside dir file');
  });
});

describe('the tree changes between plan and execution', () => {
  it('skips changed, re-linked, re-parented and vanished files with a reason; fails a blocked compression cleanly', async () => {
    const out = path.join(outside, 'swap');
    fs.mkdirSync(out);
    put(out, 'target.log', 'outside target', 30 * DAY);
    const root = await newRoot(h.db, base, {
      rules: [{ id: 'snap', match: 'snap/**', compressAfter: '1d' }, { id: 'logs', match: '**/*.log', ttl: '7d' }],
    });
    const R = root.path;
    for (const f of ['ok.log', 'grow.log', 'touched.log', 'to-link.log', 'gone.log', 'runs/r1/x.log', 'runs/r1/y.log']) put(R, f, 10, 30 * DAY);
    put(R, 'snap/big.json', 'payload '.repeat(500), 30 * DAY);
    put(R, 'snap/ok.json', 'payload '.repeat(100), 30 * DAY);
    const plan = await approvedPlan(h.db, root.id, T);
    expect(plan.totals).toMatchObject({ filesToDelete: 7, filesToCompress: 2 });

    fs.appendFileSync(path.join(R, 'grow.log'), '!'); // size (and mtime) change
    old(path.join(R, 'touched.log'), 20 * DAY); // same size, other mtime
    fs.rmSync(path.join(R, 'to-link.log'));
    fs.symlinkSync(path.join(out, 'target.log'), path.join(R, 'to-link.log'));
    fs.rmSync(path.join(R, 'gone.log'));
    // The parent directory moves outside the root and is replaced by a symlink to it: the files
    // keep their planned size and mtime, so only the parent check stands between them and unlink.
    fs.renameSync(path.join(R, 'runs/r1'), path.join(out, 'r1'));
    fs.symlinkSync(path.join(out, 'r1'), path.join(R, 'runs/r1'));
    // A directory squatting the archive temp name (".<name>.steward-tmp").
    const squat = path.join(R, 'snap/.big.json.steward-tmp');
    fs.mkdirSync(squat);

    const r = await executePlan(h.db, op, plan.id, { clock });
    expect(r).toMatchObject({ deleted: 1, compressed: 1, skipped: 6, failed: 1 });
    const e = await entriesByPath(h.db, plan.id);
    expect(e['ok.log']).toMatchObject({ status: 'done', outcome: null });
    expect(e['grow.log']).toMatchObject({ status: 'skipped', outcome: 'changed since the plan (size 10 → 11 bytes)' });
    expect(e['touched.log']).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/^changed since the plan \(modified \d{4}-/) });
    expect(e['to-link.log']).toMatchObject({ status: 'skipped', outcome: 'is now a symlink' });
    expect(e['gone.log']).toMatchObject({ status: 'skipped', outcome: 'vanished' });
    expect(e['runs/r1/x.log']).toMatchObject({ status: 'skipped', outcome: 'parent directory "runs/r1" is now a symlink or not a directory' });
    expect(e['runs/r1/y.log']).toMatchObject({ status: 'skipped', outcome: 'parent directory "runs/r1" is now a symlink or not a directory' });
    expect(e['snap/big.json']).toMatchObject({ status: 'failed', outcome: '.big.json.steward-tmp exists and is not a file; left alone' });
    expect(e['snap/ok.json']).toMatchObject({ status: 'done' });

    expect(exists(R, 'ok.log')).toBe(false);
    expect(fs.readFileSync(path.join(R, 'grow.log'), 'utf8')).toBe('x'.repeat(10) + '!');
    expect(exists(R, 'touched.log')).toBe(true);
    expect(fs.readFileSync(path.join(out, 'target.log'), 'utf8')).toBe('outside target');
    expect(fs.readdirSync(path.join(out, 'r1')).sort()).toEqual(['x.log', 'y.log']);
    // The failed compression left the original as it was and no archive, partial or complete.
    expect(fs.readFileSync(path.join(R, 'snap/big.json'), 'utf8')).toBe('payload '.repeat(500));
    expect(fs.readdirSync(path.join(R, 'snap')).sort()).toEqual([path.basename(squat), 'big.json', 'ok.json.tar.gz']);
    expect(fs.readdirSync(squat)).toEqual([]);

    const run = await h.db.rotationRun.findFirstOrThrow({ where: { planId: plan.id } });
    expect(run).toMatchObject({ deleted: 1, compressed: 1, skipped: 6, failures: 1, kept: 7 });
    expect((run.details as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(
      ['gone.log', 'grow.log', 'runs/r1/x.log', 'runs/r1/y.log', 'to-link.log', 'touched.log', 'snap/big.json'],
    );
  });

  it('a file planned as old but written seconds before the run is skipped as busy', async () => {
    const root = await newRoot(h.db, base, CATCH_ALL);
    put(root.path, 'fresh.bin', 10, 5_000); // written at T - 5 s
    const planNow = new Date(T.getTime() + 3 * DAY); // plan "in the future": the file looks 3 days old
    const plan = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, planNow)).id, planNow);
    expect(plan.totals.filesToDelete).toBe(1);
    const r = await executePlan(h.db, op, plan.id, { clock: () => T });
    expect([r.deleted, r.skipped]).toEqual([0, 1]);
    expect((await entriesByPath(h.db, plan.id))['fresh.bin']!.outcome).toBe('modified 5 s ago (less than 60 s): may still be written');
    expect(exists(root.path, 'fresh.bin')).toBe(true);
  });

  // Root ignores file modes, so the plan is executed by a child process as nobody (when this runs
  // as root) on a tree owned by nobody; the child shares the database, so this needs PostgreSQL.
  it('a file in a directory the server may not write is failed with "permission denied" and kept', async ({ skip }) => {
    if (!usingPostgres) skip(`${NEEDS_POSTGRES}; the unprivileged child process shares the database`);
    if (unprivilegedSkipReason) skip(unprivilegedSkipReason);
    const root = await newRoot(h.db, base, CATCH_ALL);
    put(root.path, 'ro/a.bin', 10, 30 * DAY);
    put(root.path, 'ok.bin', 10, 30 * DAY);
    giveToNobody(root.path); // before the plan: a chown changes the files' ctime, which execution checks
    const plan = await approvedPlan(h.db, root.id, T);
    fs.chmodSync(base, 0o711); // mkdtemp made it 0700: let nobody reach the root
    fs.chmodSync(path.join(root.path, 'ro'), 0o555);
    try {
      const child = runUnprivileged('tests/integration/fixtures/execute-plan.ts', [], { ...process.env, RET_DB_URL: h.url!, RET_PLAN_ID: plan.id, RET_CLOCK: clock().toISOString() });
      expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(child.stdout)).toMatchObject({ status: 'done', deleted: 1, failed: 1, skipped: 0 });
      const e = await entriesByPath(h.db, plan.id);
      expect([e['ro/a.bin'], e['ok.bin']]).toEqual([
        { kind: 'delete', status: 'failed', outcome: 'permission denied' },
        { kind: 'delete', status: 'done', outcome: null },
      ]);
      expect(exists(root.path, 'ro/a.bin')).toBe(true);
      expect(exists(root.path, 'ok.bin')).toBe(false);
    } finally {
      fs.chmodSync(path.join(root.path, 'ro'), 0o755);
    }
  });
});
