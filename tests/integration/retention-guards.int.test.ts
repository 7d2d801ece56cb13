/**
 * The guards between a plan and a deletion, each at its exact boundary: expiry (approve, execute,
 * expirePlans), the policy version (approve, execute) and the rotation log that no policy may
 * delete. Every test uses its own root and a pinned clock.
 *
 * The policy version is bumped directly in the database: updateRoot also invalidates open plans,
 * so going through it would stop at the status check and never reach the version guard.
 */
import { describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { approvePlan, expirePlans, getPlan, previewCleanup } from '@/lib/services/retention/plans';
import { DAY, entriesByPath, expectServiceError, HOUR, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const T = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(T.getTime() + ms);
const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };

/** A root with one expired log (to delete) and one fresh log (kept); mtimes relative to T. */
async function rootWithOldLog(policy: unknown = POLICY) {
  const root = await newRoot(h.db, h.base, policy);
  put(root.path, 'old.log', 10, 10 * DAY, T.getTime());
  put(root.path, 'new.log', 10, DAY, T.getTime());
  return root;
}

const bumpPolicyVersion = (rootId: string) => h.db.artifactRoot.update({ where: { id: rootId }, data: { policyVersion: { increment: 1 } } });
const statusOf = async (planId: string) => (await h.db.retentionPlan.findUniqueOrThrow({ where: { id: planId } })).status;
const auditActions = async (planId: string) => (await h.db.auditEvent.findMany({ where: { targetId: planId }, orderBy: { id: 'asc' } })).map((a) => a.action);

describe('expiry boundaries (a plan expires AT expiresAt)', () => {
  it('approvePlan at exactly expiresAt refuses and stores "expired"; 1 ms before, it approves', async () => {
    const root = await rootWithOldLog();
    const late = await previewCleanup(h.db, op, root.id, T);
    expect(late.expiresAt).toBe(at(HOUR).toISOString());
    await expectServiceError(approvePlan(h.db, op, late.id, at(HOUR)), 'conflict', /This plan has expired/);
    expect(await statusOf(late.id)).toBe('expired');

    const inTime = await previewCleanup(h.db, op, root.id, T);
    expect((await approvePlan(h.db, op, inTime.id, at(HOUR - 1))).status).toBe('approved');
  });

  it('executePlan at exactly expiresAt refuses, marks the plan expired and touches nothing', async () => {
    const root = await rootWithOldLog();
    const plan = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, T)).id, T);
    const before = listTree(root.path);
    await expectServiceError(executePlan(h.db, op, plan.id, { clock: () => at(HOUR) }), 'conflict', /^This plan expired before it was executed/);
    expect(await statusOf(plan.id)).toBe('expired');
    expect(listTree(root.path)).toEqual(before);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionToken: null });
    expect(await auditActions(plan.id)).toEqual(['retention.preview', 'retention.approve']);
  });

  it('executePlan 1 ms before expiresAt runs', async () => {
    const root = await rootWithOldLog();
    const plan = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, T)).id, T);
    const r = await executePlan(h.db, op, plan.id, { clock: () => at(HOUR - 1) });
    expect([r.status, r.deleted]).toEqual(['done', 1]);
    expect(listTree(root.path)).toEqual(['new.log', 'rotation/ROTATION_LOG.jsonl']);
  });

  it('expirePlans at exactly expiresAt expires draft and approved plans; 1 ms before, none', async () => {
    const root = await rootWithOldLog();
    const draft = await previewCleanup(h.db, op, root.id, T);
    const approved = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, T)).id, T);
    const ids = [draft.id, approved.id];
    const statuses = async () => Object.fromEntries((await h.db.retentionPlan.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, p.status]));
    // expirePlans is global: other tests' plans (made at T too) may expire with ours, so the
    // counts are checked against the plans open at T + 1 h, and the statuses of our own two.
    const open = () => h.db.retentionPlan.count({ where: { status: { in: ['draft', 'approved'] }, expiresAt: { lte: at(HOUR) } } });
    expect(await expirePlans(h.db, at(HOUR - 1))).toBe(0);
    expect(await statuses()).toEqual({ [draft.id]: 'draft', [approved.id]: 'approved' });
    const due = await open();
    expect(due).toBeGreaterThanOrEqual(2);
    expect(await expirePlans(h.db, at(HOUR))).toBe(due);
    expect(await statuses()).toEqual({ [draft.id]: 'expired', [approved.id]: 'expired' });
  });
});

describe('policy version guards', () => {
  it('approvePlan refuses a draft whose root policy version moved on; the plan stays draft, nothing is audited', async () => {
    const root = await rootWithOldLog();
    const plan = await previewCleanup(h.db, op, root.id, T);
    await bumpPolicyVersion(root.id);
    await expectServiceError(approvePlan(h.db, op, plan.id, T), 'conflict', /^The root's policy changed after this plan was made; preview again\.$/);
    expect(await statusOf(plan.id)).toBe('draft');
    expect(await auditActions(plan.id)).toEqual(['retention.preview']);
  });

  it('executePlan refuses an approved plan whose root policy version moved on: invalidated, no file touched, no lease left', async () => {
    const root = await rootWithOldLog();
    const plan = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, T)).id, T);
    await bumpPolicyVersion(root.id);
    const before = listTree(root.path);
    await expectServiceError(executePlan(h.db, op, plan.id, { clock: () => at(1000) }), 'conflict', /^The root's policy changed after this plan was approved; preview again\.$/);
    const stored = await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect([stored.status, stored.error]).toEqual(['invalidated', 'policy changed after approval']);
    expect(listTree(root.path)).toEqual(before);
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(0);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionToken: null });
    expect(await auditActions(plan.id)).toEqual(['retention.preview', 'retention.approve']);
  });
});

describe('the approve race', () => {
  it('five concurrent approvals of one draft: exactly one succeeds and one approve row is written', async () => {
    const root = await rootWithOldLog();
    const plan = await previewCleanup(h.db, op, root.id, T);
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => approvePlan(h.db, { ...op, label: `op${i}@test` }, plan.id, T)));
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof approvePlan>>> => r.status === 'fulfilled');
    const ko = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(ko).toHaveLength(4);
    for (const k of ko) expect(k.reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^(This plan is approved; only a draft plan can be approved\.|This plan changed while it was being approved; reload it\.)$/) });
    const rows = await h.db.auditEvent.findMany({ where: { targetId: plan.id, action: 'retention.approve' } });
    expect(rows.map((r) => r.actorLabel)).toEqual([ok[0]!.value.approvedBy]);
    expect((await getPlan(h.db, plan.id, T)).status).toBe('approved');
  });
});

describe('the server always protects the rotation log it writes', () => {
  const CATCH_ALL = { rules: [{ id: 'all', match: '**', ttl: '1d' }] };

  it('an existing, old ROTATION_LOG.jsonl under a catch-all TTL is kept by the "rotation-log" protect rule, and survives execution', async () => {
    const root = await newRoot(h.db, h.base, CATCH_ALL);
    put(root.path, 'rotation/ROTATION_LOG.jsonl', '{"timestamp":"2025-01-01T00:00:00Z"}\n', 30 * DAY, T.getTime());
    put(root.path, 'rotation/other.jsonl', 10, 30 * DAY, T.getTime());
    const plan = await approvePlan(h.db, op, (await previewCleanup(h.db, op, root.id, T)).id, T);
    const e = await entriesByPath(h.db, plan.id);
    expect(e['rotation/ROTATION_LOG.jsonl']).toEqual({ kind: 'keep', status: 'kept', outcome: null });
    expect(e['rotation/other.jsonl']).toMatchObject({ kind: 'delete' });
    const row = await h.db.planEntry.findFirstOrThrow({ where: { planId: plan.id, path: 'rotation/ROTATION_LOG.jsonl' } });
    expect(row.ruleId).toBe('rotation-log');
    await executePlan(h.db, op, plan.id, { clock: () => at(1000) });
    expect(listTree(root.path)).toEqual(['rotation/ROTATION_LOG.jsonl']);
  });

  it('with writeRotationLog off the server does not claim the file: the catch-all rule governs it', async () => {
    const root = await newRoot(h.db, h.base, CATCH_ALL, { writeRotationLog: false });
    put(root.path, 'rotation/ROTATION_LOG.jsonl', '{}\n', 30 * DAY, T.getTime());
    const plan = await previewCleanup(h.db, op, root.id, T);
    expect((await entriesByPath(h.db, plan.id))['rotation/ROTATION_LOG.jsonl']).toMatchObject({ kind: 'delete' });
  });
});
