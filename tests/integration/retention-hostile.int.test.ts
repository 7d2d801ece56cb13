/**
 * Preview → approve → execute through the services against roots that were tampered with after
 * registration or approval (issue 7): an ancestor of the root swapped for a symlink, a filesystem
 * mounted over a directory, and rotation logs that are hard links, FIFOs or symlinks to secrets.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { previewCleanup } from '@/lib/services/retention/plans';
import { registerRoot } from '@/lib/services/retention/roots';
import { createTestDb, type TestDb } from './helpers';
import { manifest, writeAt } from './race-helpers';
import { approvedPlan, cleanupDirs, DAY, expectServiceError, makeDir, newRoot, op } from './retention-helpers';

const OLD = Date.now() - 30 * DAY;
const CATCH_ALL = { rules: [{ id: 'all', match: '**', ttl: '7d' }] };
let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

describe('a root whose path leads elsewhere after registration', () => {
  it('an ancestor swapped for a symlink (base/teamA → teamB-area): preview and execute refuse, teamB is untouched', async () => {
    const base = makeDir('anc-');
    const ci = path.join(base, 'teamA', 'ci');
    writeAt(path.join(ci, 'old.log'), 'team A data', OLD);
    writeAt(path.join(base, 'teamB-area', 'ci', 'old.log'), 'team B data', OLD);
    const root = await registerRoot(h.db, op, { name: 'teamA-ci', path: ci, policy: CATCH_ALL }, { allowedBases: [path.join(base, 'teamA')] });
    const plan = await approvedPlan(h.db, root.id);
    expect(plan.totals.filesToDelete).toBe(1);

    fs.renameSync(path.join(base, 'teamA'), path.join(base, 'teamA.moved'));
    fs.symlinkSync(path.join(base, 'teamB-area'), path.join(base, 'teamA'));
    const before = manifest(path.join(base, 'teamB-area'));

    await expectServiceError(executePlan(h.db, op, plan.id), 'conflict', /is no longer the directory that was registered/);
    await expectServiceError(previewCleanup(h.db, op, root.id, new Date()), 'conflict', /is no longer the directory that was registered/);
    expect(manifest(path.join(base, 'teamB-area'))).toEqual(before);
    expect(fs.existsSync(path.join(base, 'teamB-area', 'ci', 'rotation'))).toBe(false);
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('approved');
  });
});

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const d = fs.mkdtempSync('/tmp/steward-mnt-probe-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', d]).status === 0;
  if (ok) spawnSync('umount', [d]);
  fs.rmdirSync(d);
  return ok;
})();

describe.skipIf(!canMount)(`a filesystem mounted over a directory after approval${canMount ? '' : ' (skipped: needs root and mount permission)'}`, () => {
  it('files on the other filesystem are not deleted', async () => {
    const base = makeDir('mnt-');
    const dir = path.join(base, 'root');
    for (let i = 0; i < 5; i++) writeAt(path.join(dir, 'd', `f${i}.log`), `inside ${i}`, OLD);
    const root = await newRoot(h.db, base, CATCH_ALL, {}, dir);
    const plan = await approvedPlan(h.db, root.id);
    expect(plan.totals.filesToDelete).toBe(5);
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', path.join(dir, 'd')]);
    try {
      for (let i = 0; i < 5; i++) writeAt(path.join(dir, 'd', `f${i}.log`), `inside ${i}`, OLD);
      const r = await executePlan(h.db, op, plan.id);
      expect(r).toMatchObject({ deleted: 0, skipped: 5 });
      for (let i = 0; i < 5; i++) expect(fs.readFileSync(path.join(dir, 'd', `f${i}.log`), 'utf8')).toBe(`inside ${i}`);
    } finally {
      execFileSync('umount', [path.join(dir, 'd')]);
    }
    expect(fs.readdirSync(path.join(dir, 'd'))).toHaveLength(5); // the originals, under the mount, untouched too
  });
});

describe('a hostile rotation log', () => {
  async function runWithLog(prepare: (logFile: string, outside: string) => void) {
    const base = makeDir('log-');
    const dir = path.join(base, 'root');
    const outside = makeDir('log-out-');
    writeAt(path.join(dir, 'old.log'), 'x', OLD);
    fs.writeFileSync(path.join(outside, 'secret'), 'SECRET CONTENT', { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'rotation'));
    const root = await newRoot(h.db, base, CATCH_ALL, {}, dir);
    prepare(path.join(dir, 'rotation', 'ROTATION_LOG.jsonl'), outside);
    const plan = await approvedPlan(h.db, root.id);
    const before = manifest(outside);
    const t0 = Date.now();
    const r = await executePlan(h.db, op, plan.id);
    const stored = await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(manifest(outside)).toEqual(before);
    expect(stored.error ?? '').not.toMatch(/SECRET/);
    return { r, error: stored.error ?? '', ms: Date.now() - t0 };
  }

  it('a hard link to an outside file is refused; the outside file gains no line', async () => {
    const { r, error } = await runWithLog((log, outside) => fs.linkSync(path.join(outside, 'secret'), log));
    expect(r).toMatchObject({ status: 'done', deleted: 1 });
    expect(error).toMatch(/has 2 hard links/);
  });

  it('a FIFO does not freeze the server: the run ends promptly with a warning', async () => {
    const { r, error, ms } = await runWithLog((log) => execFileSync('mkfifo', [log]));
    expect(r).toMatchObject({ status: 'done', deleted: 1 });
    expect(error).toMatch(/not a regular file/);
    expect(ms).toBeLessThan(15_000);
  });

  it('a symlink to a secret is neither followed nor echoed', async () => {
    const { r, error } = await runWithLog((log, outside) => fs.symlinkSync(path.join(outside, 'secret'), log));
    expect(r).toMatchObject({ status: 'done', deleted: 1 });
    expect(error).toMatch(/is a symlink; Steward never follows it/);
  });
});
