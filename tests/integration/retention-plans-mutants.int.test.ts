/**
 * The parts of lib/services/retention/plans.ts that StrykerJS found untested (issue #12): the
 * root identity a preview checks and pins, the stored preview (source, audit row, disk sample,
 * the rotation log's protect reason), getPlan's lazy expiry and progress counts of one plan only,
 * and the filters, order and paging of listPlanEntries and planGroups. Pinned clock throughout.
 */
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type * as ScanModule from '@/lib/services/retention/fs/scan';
import { approvePlan, getPlan, listPlanEntries, planGroups, previewCleanup, rootIdentity } from '@/lib/services/retention/plans';
import { NEEDS_POSTGRES, usingPostgres } from './helpers';
import { DAY, expectServiceError, HOUR, newRoot, op, put, useRetentionFixture } from './retention-helpers';

// scanRoot passes through, except when a test sets `scanFault.error` (an I/O failure that is not
// about the root itself).
const scanFault = vi.hoisted(() => ({ error: null as Error | null }));
vi.mock('@/lib/services/retention/fs/scan', async (importOriginal) => {
  const mod = await importOriginal<typeof ScanModule>();
  return { ...mod, scanRoot: (...args: Parameters<typeof mod.scanRoot>) => (scanFault.error ? Promise.reject(scanFault.error) : mod.scanRoot(...args)) };
});

const h = useRetentionFixture();

const T = new Date('2026-04-01T08:00:00.000Z');
const POLICY = {
  rules: [
    { id: 'snap', match: 'snapshots/**', compressAfter: '1d', ttl: '30d' },
    { id: 'logs', match: '**/*.log', ttl: '7d' },
  ],
  protect: [{ id: 'keep', match: '**/KEEP*', reason: 'pinned' }],
};

/** 7 files: deletes snapshots/s0.json (50), logs/a.log (100), logs/b.log (200); compresses snapshots/s1.json (5000); keeps 3. */
function tree(root: string): void {
  put(root, 'logs/a.log', 100, 10 * DAY, T.getTime());
  put(root, 'logs/b.log', 200, 8 * DAY, T.getTime());
  put(root, 'logs/c.log', 300, DAY, T.getTime());
  put(root, 'snapshots/s1.json', 5000, 3 * DAY, T.getTime());
  put(root, 'snapshots/s0.json', 50, 40 * DAY, T.getTime());
  put(root, 'KEEP.log', 10, 100 * DAY, T.getTime());
  put(root, 'notes.txt', 20, 100 * DAY, T.getTime());
}

async function treeRoot() {
  const root = await newRoot(h.db, h.base, POLICY);
  tree(root.path);
  return root;
}

const storedIdentity = async (rootId: string) => {
  const r = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: rootId } });
  return { dev: r.dev, ino: r.ino };
};

describe('rootIdentity', () => {
  it('is the stored (dev, ino) only when both are there', () => {
    expect(rootIdentity({ dev: 7, ino: 9 })).toEqual({ dev: 7, ino: 9 });
    expect(rootIdentity({ dev: 0, ino: 0 })).toEqual({ dev: 0, ino: 0 });
    expect(rootIdentity({ dev: null, ino: null })).toBeNull();
    expect(rootIdentity({ dev: 7, ino: null })).toBeNull();
    expect(rootIdentity({ dev: null, ino: 9 })).toBeNull();
  });
});

describe('previewCleanup and the registered identity of the root', () => {
  it('a root whose path now leads to another directory (stored inode differs) is refused; nothing is stored', async () => {
    const root = await treeRoot();
    const st = fs.statSync(root.path);
    expect(await storedIdentity(root.id)).toEqual({ dev: st.dev, ino: st.ino });
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { ino: st.ino + 1 } });
    await expectServiceError(
      previewCleanup(h.db, op, root.id, T),
      'conflict',
      new RegExp(`^cannot scan root "${root.path}": is no longer the directory that was registered \\(device ${st.dev}, inode ${st.ino + 1}; the path now leads to device ${st.dev}, inode ${st.ino}\\)`),
    );
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(0);
    expect(await h.db.diskUsageSample.count({ where: { rootId: root.id } })).toBe(0);
    expect(await storedIdentity(root.id)).toEqual({ dev: st.dev, ino: st.ino + 1 });
  });

  it('a root registered before identities were kept is scanned and pinned at its first preview; no other root is touched', async () => {
    const other = await treeRoot();
    const otherIdentity = await storedIdentity(other.id);
    const legacy = await treeRoot();
    await h.db.artifactRoot.update({ where: { id: legacy.id }, data: { dev: null, ino: null } });
    const plan = await previewCleanup(h.db, op, legacy.id, T);
    expect(plan.status).toBe('draft');
    const st = fs.statSync(legacy.path);
    expect(await storedIdentity(legacy.id)).toEqual({ dev: st.dev, ino: st.ino });
    expect(await storedIdentity(other.id)).toEqual(otherIdentity);
    // The pinned identity is checked from now on.
    await h.db.artifactRoot.update({ where: { id: legacy.id }, data: { ino: st.ino + 1 } });
    await expectServiceError(previewCleanup(h.db, op, legacy.id, T), 'conflict', /is no longer the directory that was registered/);
  });

  it('a half-stored identity (dev or ino missing) is no identity: the preview runs and the row is left as it is', async () => {
    const st = (p: string) => fs.statSync(p);
    const noIno = await treeRoot();
    await h.db.artifactRoot.update({ where: { id: noIno.id }, data: { ino: null } });
    expect((await previewCleanup(h.db, op, noIno.id, T)).status).toBe('draft');
    expect(await storedIdentity(noIno.id)).toEqual({ dev: st(noIno.path).dev, ino: null });

    const noDev = await treeRoot();
    await h.db.artifactRoot.update({ where: { id: noDev.id }, data: { dev: null } });
    expect((await previewCleanup(h.db, op, noDev.id, T)).status).toBe('draft');
    // dev was null: the first-use pinning fills both.
    expect(await storedIdentity(noDev.id)).toEqual({ dev: st(noDev.path).dev, ino: st(noDev.path).ino });
  });

  it('an unknown root is not_found naming the id', async () => {
    await expectServiceError(previewCleanup(h.db, op, 'no-such-root', T), 'not_found', /^No artifact root with id no-such-root$/);
  });

  it('an I/O failure of the scan that is not about the root is passed on as it is, not turned into a conflict', async () => {
    const root = await treeRoot();
    const eio = Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' });
    scanFault.error = eio;
    try {
      const err = await previewCleanup(h.db, op, root.id, T).then(() => null, (e: unknown) => e);
      expect(err).toBe(eio);
    } finally {
      scanFault.error = null;
    }
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(0);
  });
});

describe('what a preview stores', () => {
  it('source "schedule" is kept; the audit row, disk sample and rotation-log protect reason are exact', async () => {
    const root = await treeRoot();
    put(root.path, 'rotation/ROTATION_LOG.jsonl', '{}\n', 100 * DAY, T.getTime());
    const plan = await previewCleanup(h.db, op, root.id, T, { source: 'schedule' });
    expect(plan.source).toBe('schedule');
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).source).toBe('schedule');

    const audit = await h.db.auditEvent.findMany({ where: { targetId: plan.id } });
    expect(audit.map((a) => ({ action: a.action, targetType: a.targetType, summary: a.summary, after: a.after }))).toEqual([
      {
        action: 'retention.preview',
        targetType: 'retention-plan',
        summary: `Previewed cleanup of "${root.name}": 3 to delete, 1 to compress, 3850 bytes to free`,
        after: plan.totals,
      },
    ]);
    expect(plan.totals).toMatchObject({ filesToDelete: 3, filesToCompress: 1, filesKept: 4 });

    const samples = await h.db.diskUsageSample.findMany({ where: { rootId: root.id } });
    const sfs = fs.statfsSync(root.path);
    expect(samples.map((s) => ({ host: s.host, rootPath: s.rootPath, at: s.at.toISOString(), rootBytes: Number(s.rootBytes), fileCount: s.fileCount, fsBytes: Number(s.fsBytes) }))).toEqual([
      { host: 'server', rootPath: root.path, at: T.toISOString(), rootBytes: 5683, fileCount: 8, fsBytes: sfs.bsize * sfs.blocks },
    ]);

    const log = await h.db.planEntry.findFirstOrThrow({ where: { planId: plan.id, path: 'rotation/ROTATION_LOG.jsonl' } });
    expect([log.kind, log.ruleId, log.reason]).toEqual(['keep', 'rotation-log', 'protected by rotation-log: rotation log written by Steward']);
  });
});

describe('approvePlan: the compare-and-set checks the expiry too', () => {
  it('a draft whose expiry moves to the past between the read and the update is refused as changed, not approved', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const root = await treeRoot();
    const plan = await previewCleanup(h.db, op, root.id, T);
    const now = new Date(T.getTime() + 1000);
    let approval: Promise<unknown> | undefined;
    await h.db.$transaction(async (tx) => {
      // Uncommitted: still a draft, but expired at T. approvePlan's first step and its read see
      // the committed row (unexpired); its compare-and-set waits on this lock, then re-checks.
      await tx.retentionPlan.update({ where: { id: plan.id }, data: { expiresAt: T } });
      approval = approvePlan(h.db, op, plan.id, now);
      approval.catch(() => undefined);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const rows = await h.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`;
        if (rows[0]!.n > 0n) break;
        if (Date.now() > deadline) throw new Error('approvePlan never waited on the row lock');
        await new Promise((r) => setTimeout(r, 20));
      }
    }, { timeout: 60_000 });
    await expectServiceError(approval!, 'conflict', /^This plan changed while it was being approved; reload it\.$/);
    const stored = await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect([stored.status, stored.approvedBy, stored.approvedAt]).toEqual(['draft', null, null]);
    expect(await h.db.auditEvent.count({ where: { action: 'retention.approve', targetId: plan.id } })).toBe(0);
  });
});

describe('getPlan', () => {
  it('the lazy expiry on read takes only a draft or approved plan: a finished plan past expiresAt keeps its status', async () => {
    const root = await treeRoot();
    const expiry = T.getTime() + HOUR;
    for (const s of ['done', 'failed', 'invalidated', 'executing']) {
      const plan = await previewCleanup(h.db, op, root.id, T);
      await h.db.retentionPlan.update({ where: { id: plan.id }, data: { status: s } });
      expect((await getPlan(h.db, plan.id, new Date(expiry + 1))).status, s).toBe(s);
      expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe(s);
    }
  });

  it('returns the root name and path, start/finish times and error, and progress counts of this plan\'s actions only', async () => {
    const root = await treeRoot();
    const plan = await previewCleanup(h.db, op, root.id, T);
    // Another plan of the same root, with entries in other states, must not count.
    const other = await previewCleanup(h.db, op, root.id, T);
    await h.db.planEntry.updateMany({ where: { planId: other.id, kind: { not: 'keep' } }, data: { status: 'failed' } });

    expect(plan).toMatchObject({ rootName: root.name, rootPath: root.path, startedAt: null, finishedAt: null, error: null, approvedBy: null, approvedAt: null });
    expect(plan.progress).toEqual({ pending: 4 });

    const entries = await h.db.planEntry.findMany({ where: { planId: plan.id }, orderBy: { seq: 'asc' } });
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e.id]));
    // A delete and a compress both "done" add up (the counts are grouped by kind and status).
    await h.db.planEntry.update({ where: { id: byPath['logs/a.log']! }, data: { status: 'done' } });
    await h.db.planEntry.update({ where: { id: byPath['snapshots/s1.json']! }, data: { status: 'done' } });
    await h.db.planEntry.update({ where: { id: byPath['logs/b.log']! }, data: { status: 'skipped' } });
    const started = new Date(T.getTime() + 1000);
    const finished = new Date(T.getTime() + 2000);
    await h.db.retentionPlan.update({ where: { id: plan.id }, data: { status: 'failed', startedAt: started, finishedAt: finished, error: 'disk on fire' } });

    const read = await getPlan(h.db, plan.id, T);
    expect(read).toMatchObject({ status: 'failed', rootName: root.name, startedAt: started.toISOString(), finishedAt: finished.toISOString(), error: 'disk on fire' });
    expect(read.progress).toEqual({ done: 2, skipped: 1, pending: 1 });
  });
});

describe('listPlanEntries', () => {
  async function plan() {
    const root = await treeRoot();
    // A second plan of the same root: its rows must never show.
    await previewCleanup(h.db, op, root.id, T);
    return previewCleanup(h.db, op, root.id, T);
  }
  const paths = (r: { rows: { path: string }[]; total: number }) => ({ paths: r.rows.map((x) => x.path), total: r.total });

  it('maps every field of a row', async () => {
    const p = await plan();
    const { rows, total } = await listPlanEntries(h.db, p.id, { kind: 'compress', page: 1, pageSize: 50 });
    expect(total).toBe(1);
    expect(rows).toEqual([
      {
        seq: 3, kind: 'compress', path: 'snapshots/s1.json', size: 5000, mtime: new Date(T.getTime() - 3 * DAY).toISOString(),
        ruleId: 'snap', reason: 'older than compress-after 1d (age 3d)', bytesFreed: 3500, status: 'pending', outcome: null,
      },
    ]);
  });

  it('filters by kind, "actions", rule, status and path substring, within the plan', async () => {
    const p = await plan();
    expect(paths(await listPlanEntries(h.db, p.id, { page: 1, pageSize: 50 })).total).toBe(7);
    expect(paths(await listPlanEntries(h.db, p.id, { kind: 'actions', page: 1, pageSize: 50 }))).toEqual({ paths: ['snapshots/s0.json', 'logs/a.log', 'logs/b.log', 'snapshots/s1.json'], total: 4 });
    expect(paths(await listPlanEntries(h.db, p.id, { kind: 'delete', page: 1, pageSize: 50 }))).toEqual({ paths: ['snapshots/s0.json', 'logs/a.log', 'logs/b.log'], total: 3 });
    const kept = await listPlanEntries(h.db, p.id, { kind: 'keep', page: 1, pageSize: 50 });
    expect(kept.total).toBe(3);
    expect(kept.rows.map((r) => r.path).sort()).toEqual(['KEEP.log', 'logs/c.log', 'notes.txt']);
    expect(paths(await listPlanEntries(h.db, p.id, { kind: 'keep', q: 'log', page: 1, pageSize: 50 })).paths.sort()).toEqual(['KEEP.log', 'logs/c.log']);
    expect(paths(await listPlanEntries(h.db, p.id, { ruleId: 'snap', page: 1, pageSize: 50 }))).toEqual({ paths: ['snapshots/s0.json', 'snapshots/s1.json'], total: 2 });
    expect(paths(await listPlanEntries(h.db, p.id, { q: 'logs/', page: 1, pageSize: 50 })).total).toBe(3);

    await h.db.planEntry.updateMany({ where: { planId: p.id, path: 'logs/b.log' }, data: { status: 'done' } });
    expect(paths(await listPlanEntries(h.db, p.id, { status: 'done', page: 1, pageSize: 50 }))).toEqual({ paths: ['logs/b.log'], total: 1 });
    expect(paths(await listPlanEntries(h.db, p.id, { kind: 'actions', status: 'pending', page: 1, pageSize: 50 }))).toEqual({ paths: ['snapshots/s0.json', 'logs/a.log', 'snapshots/s1.json'], total: 3 });
  });

  it('pages in seq order: page n of size k starts at seq (n - 1) * k', async () => {
    const p = await plan();
    const page = async (n: number, k: number) => (await listPlanEntries(h.db, p.id, { page: n, pageSize: k })).rows.map((r) => r.seq);
    expect([await page(1, 3), await page(2, 3), await page(3, 3), await page(4, 3)]).toEqual([[0, 1, 2], [3, 4, 5], [6], []]);
    expect(await page(3, 2)).toEqual([4, 5]);
    expect((await listPlanEntries(h.db, p.id, { page: 2, pageSize: 3 })).total).toBe(7);
  });
});

describe('planGroups', () => {
  it('totals per (kind, rule) of this plan only, ordered by kind then rule', async () => {
    const root = await treeRoot();
    await previewCleanup(h.db, op, root.id, T);
    const p = await previewCleanup(h.db, op, root.id, T);
    expect(await planGroups(h.db, p.id)).toEqual([
      { kind: 'compress', ruleId: 'snap', count: 1, bytes: 5000, bytesFreed: 3500 },
      { kind: 'delete', ruleId: 'logs', count: 2, bytes: 300, bytesFreed: 300 },
      { kind: 'delete', ruleId: 'snap', count: 1, bytes: 50, bytesFreed: 50 },
      { kind: 'keep', ruleId: 'keep', count: 1, bytes: 10, bytesFreed: 0 },
      { kind: 'keep', ruleId: 'logs', count: 1, bytes: 300, bytesFreed: 0 },
      { kind: 'keep', ruleId: 'no-rule', count: 1, bytes: 20, bytesFreed: 0 },
    ]);
  });
});
