import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planRetention } from '@/lib/engine/retention';
import { executePlan } from '@/lib/services/retention/execute';
import { scanRoot } from '@/lib/services/retention/fs/scan';
import { approvePlan, expirePlans, getPlan, listPlanEntries, planGroups, previewCleanup } from '@/lib/services/retention/plans';
import { rootPolicy, updateRoot } from '@/lib/services/retention/roots';
import { DAY, expectServiceError, HOUR, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const POLICY = {
  rules: [
    { id: 'snap', match: 'snapshots/**', compressAfter: '1d', ttl: '30d' },
    { id: 'logs', match: '**/*.log', ttl: '7d' },
  ],
  protect: [{ id: 'keep', match: '**/KEEP*', reason: 'pinned' }],
  maxSize: '1MB',
  sizeCapAction: 'warn',
};

/** 8 files: 3 deletes (350 bytes), 1 compression (5000 bytes), 4 kept. */
function tree(root: string): void {
  put(root, 'logs/a.log', 100, 10 * DAY);
  put(root, 'logs/b.log', 200, 8 * DAY);
  put(root, 'logs/c.log', 300, 1 * DAY);
  put(root, 'snapshots/s1.json', 5000, 3 * DAY);
  put(root, 'snapshots/s0.json', 50, 40 * DAY);
  put(root, 'snapshots/fresh.json', 70, HOUR);
  put(root, 'KEEP.log', 10, 100 * DAY);
  put(root, 'notes.txt', 20, 100 * DAY);
}

async function freshRoot() {
  const root = await newRoot(h.db, h.base, POLICY);
  tree(root.path);
  return root;
}

describe('previewCleanup', () => {
  it('stores the engine plan: totals, one entry per action and kept file, a disk sample and an audit row', async () => {
    const root = await freshRoot();
    const now = new Date();
    const plan = await previewCleanup(h.db, op, root.id, now);
    const engine = planRetention((await scanRoot(root.path)).scan, rootPolicy(root), now.getTime());

    expect(plan.totals).toEqual({ ...engine.totals, filesKept: engine.kept.length });
    expect(plan.totals).toEqual({
      filesScanned: 8, filesToDelete: 3, filesToCompress: 1, filesKept: 4,
      bytesBefore: 5750, bytesFreed: 350 + 3500, bytesAfter: 5750 - 3850, maxSizeBytes: 1024 * 1024, withinLimit: true,
    });
    expect(plan).toMatchObject({ status: 'draft', source: 'manual', createdBy: 'op@test', rootPath: root.path, warnings: [], scanErrors: [], progress: { pending: 4 } });
    expect(new Date(plan.expiresAt).getTime() - now.getTime()).toBe(HOUR);

    const rows = await h.db.planEntry.findMany({ where: { planId: plan.id }, orderBy: { seq: 'asc' } });
    expect(rows).toHaveLength(engine.actions.length + engine.kept.length);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    const actions = rows.filter((r) => r.kind !== 'keep');
    expect(actions.map((r) => [r.kind, r.path, r.ruleId, Number(r.size), Number(r.bytesFreed), r.status])).toEqual(
      engine.actions.map((a) => [a.kind, a.path, a.ruleId, a.size, a.bytesFreed, 'pending']),
    );
    expect(actions.map((r) => [r.kind, r.path])).toEqual([
      ['delete', 'snapshots/s0.json'], ['delete', 'logs/a.log'], ['delete', 'logs/b.log'], ['compress', 'snapshots/s1.json'],
    ]);
    const kept = rows.filter((r) => r.kind === 'keep');
    expect(kept.map((r) => [r.path, r.ruleId, r.status])).toEqual(engine.kept.map((k) => [k.path, k.ruleId ?? k.reasonCode, 'kept']));
    expect(kept.map((r) => r.path).sort()).toEqual(['KEEP.log', 'logs/c.log', 'notes.txt', 'snapshots/fresh.json']);
    expect(kept.find((r) => r.path === 'KEEP.log')!.ruleId).toBe('keep');

    expect(await listPlanEntries(h.db, plan.id, { kind: 'actions', page: 1, pageSize: 2 })).toMatchObject({ total: 4, rows: [{ seq: 0 }, { seq: 1 }] });
    expect((await listPlanEntries(h.db, plan.id, { kind: 'keep', q: 'log', page: 1, pageSize: 50 })).total).toBe(2);
    expect(await planGroups(h.db, plan.id)).toEqual(expect.arrayContaining([
      { kind: 'delete', ruleId: 'logs', count: 2, bytes: 300, bytesFreed: 300 },
      { kind: 'delete', ruleId: 'snap', count: 1, bytes: 50, bytesFreed: 50 },
      { kind: 'compress', ruleId: 'snap', count: 1, bytes: 5000, bytesFreed: 3500 },
    ]));

    const samples = await h.db.diskUsageSample.findMany({ where: { rootId: root.id } });
    expect(samples.map((s) => [Number(s.rootBytes), s.fileCount, s.host])).toEqual([[5750, 8, 'server']]);
    const audit = await h.db.auditEvent.findMany({ where: { targetId: plan.id } });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([['retention.preview', 'op@test']]);
  });
});

describe('approvePlan refusals (service level, whatever the caller role)', () => {
  it('approves a draft once; refuses a non-draft, an expired and an invalidated plan; touches no file', async () => {
    const root = await freshRoot();
    const before = listTree(root.path);
    const now = new Date();

    const p1 = await previewCleanup(h.db, op, root.id, now);
    const ok = await approvePlan(h.db, op, p1.id, now);
    expect(ok).toMatchObject({ status: 'approved', approvedBy: 'op@test', approvedAt: now.toISOString() });
    await expectServiceError(approvePlan(h.db, op, p1.id, now), 'conflict', /This plan is approved; only a draft plan can be approved/);

    const p2 = await previewCleanup(h.db, op, root.id, now);
    const late = new Date(new Date(p2.expiresAt).getTime() + 1);
    await expectServiceError(approvePlan(h.db, op, p2.id, late), 'conflict', /This plan has expired; preview the cleanup again/);
    await expectServiceError(approvePlan(h.db, op, p2.id, late), 'conflict', /expired/);

    const p3 = await previewCleanup(h.db, op, root.id, now);
    const updated = await updateRoot(h.db, op, { rootId: root.id, policy: { rules: [{ match: '**/*.log', ttl: '9d' }] } });
    expect(updated.policyVersion).toBe(2);
    const [s1, s3] = await Promise.all([getPlan(h.db, p1.id, now), getPlan(h.db, p3.id, now)]);
    expect([s1.status, s3.status]).toEqual(['invalidated', 'invalidated']);
    expect(s3.error).toBe('policy changed after this plan was made');
    await expectServiceError(approvePlan(h.db, op, p3.id, now), 'conflict', /This plan is invalidated/);
    await expectServiceError(approvePlan(h.db, op, 'nope', now), 'not_found');

    expect((await h.db.auditEvent.findMany({ where: { action: 'retention.approve', targetId: { in: [p1.id, p2.id, p3.id] } } })).length).toBe(1);
    expect(listTree(root.path)).toEqual(before);
  });

  // approvePlan writes status 'expired' and then throws inside the same $transaction, so the
  // write is rolled back: the plan stays 'draft' until something else expires it lazily.
  it('refusing an expired draft persists its status as expired', async () => {
    const root = await freshRoot();
    const now = new Date();
    const p = await previewCleanup(h.db, op, root.id, now);
    const late = new Date(new Date(p.expiresAt).getTime() + 1);
    await expectServiceError(approvePlan(h.db, op, p.id, late), 'conflict', /expired/);
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('expired');
  });

  it('a root whose directory is gone is a conflict naming the path; nothing is stored', async () => {
    const root = await freshRoot();
    fs.rmSync(root.path, { recursive: true });
    await expectServiceError(previewCleanup(h.db, op, root.id, new Date()), 'conflict', new RegExp(`^cannot scan root "${root.path}": does not exist$`));
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(0);
    expect(await h.db.diskUsageSample.count({ where: { rootId: root.id } })).toBe(0);
  });

  it('expirePlans marks only draft/approved plans past expiry', async () => {
    const root = await freshRoot();
    const now = new Date();
    const a = await previewCleanup(h.db, op, root.id, now, { ttlMs: 1000 });
    const b = await previewCleanup(h.db, op, root.id, now, { ttlMs: 10 * HOUR });
    expect(await expirePlans(h.db, new Date(now.getTime() + 2000))).toBe(1);
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('expired');
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('draft');
  });
});

describe('executePlan refusals', () => {
  it('refuses a draft, an invalidated and an expired plan; no file is deleted, no run recorded, no lease left', async () => {
    const root = await freshRoot();
    const before = listTree(root.path);
    const now = new Date();

    const draft = await previewCleanup(h.db, op, root.id, now);
    await expectServiceError(executePlan(h.db, op, draft.id, { minQuietMs: 0 }), 'conflict', /This plan is draft; only an approved plan can be executed/);

    const expiring = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, now)).id, now);
    const later = new Date(new Date(expiring.expiresAt).getTime() + 1);
    await expectServiceError(executePlan(h.db, op, expiring.id, { minQuietMs: 0, clock: () => later }), 'conflict', /expired before it was executed/);
    expect((await getPlan(h.db, expiring.id, now)).status).toBe('expired');
    await expectServiceError(executePlan(h.db, op, expiring.id, { minQuietMs: 0 }), 'conflict', /This plan is expired/);

    const approved = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, now)).id, now);
    await updateRoot(h.db, op, { rootId: root.id, presetId: 'ci-pr' });
    expect((await getPlan(h.db, draft.id, now)).status).toBe('invalidated');
    await expectServiceError(executePlan(h.db, op, approved.id, { minQuietMs: 0 }), 'conflict', /This plan is invalidated/);

    expect(listTree(root.path)).toEqual(before);
    for (const id of [draft.id, expiring.id, approved.id]) {
      const counts = await h.db.planEntry.groupBy({ by: ['status'], where: { planId: id }, _count: { _all: true } });
      expect(Object.fromEntries(counts.map((c) => [c.status, c._count._all]))).toEqual({ pending: 4, kept: 4 });
    }
    expect(await h.db.rotationRun.count({ where: { rootId: root.id } })).toBe(0);
    expect(await h.db.auditEvent.count({ where: { action: { startsWith: 'retention.execute' }, targetId: { in: [draft.id, expiring.id, approved.id] } } })).toBe(0);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionHeartbeat: null, policyVersion: 2 });
  });
});
