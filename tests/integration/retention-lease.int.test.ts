// The execution lease of a root (lib/services/retention/execute.ts), at its edges: a lease is
// stale only when its heartbeat is strictly older than staleAfterMs; a fresh lease held by a
// process that is not running here (no flock) is refused without touching it; a finished or
// failed run releases only its own lease. Written to kill mutants that the crash tests left alive.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { pinnedOps } from '@/lib/services/retention/fs/pinned';
import { PinnedRoot } from '@/lib/services/retention/fs/pinned-root';
import { approvedPlan, DAY, expectServiceError, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const POLICY = { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] };

async function setup() {
  const root = await newRoot(h.db, h.base, POLICY);
  put(root.path, 'logs/a.log', 10, 10 * DAY);
  put(root.path, 'logs/b.log', 20, 10 * DAY);
  const plan = await approvedPlan(h.db, root.id);
  return { root, plan };
}

const leaseOf = (rootId: string) => h.db.artifactRoot.findUniqueOrThrow({ where: { id: rootId }, select: { executingPlanId: true, executionToken: true, executionHeartbeat: true } });

describe('execution lease', () => {
  it('a lease whose heartbeat is exactly staleAfterMs old is still held: refused, named, untouched', async () => {
    const { root, plan } = await setup();
    const t = new Date(Date.now() + 0);
    const beat = new Date(t.getTime() - 10_000);
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'other-plan', executionToken: 'other-token', executionHeartbeat: beat } });
    const e = await expectServiceError(executePlan(h.db, op, plan.id, { clock: () => t, staleAfterMs: 10_000, minQuietMs: 0 }), 'conflict');
    expect(e.message).toBe(`Another cleanup of "${root.name}" is running (plan other-plan, last heartbeat ${beat.toISOString()}). One execution per root at a time.`);
    expect(await leaseOf(root.id)).toEqual({ executingPlanId: 'other-plan', executionToken: 'other-token', executionHeartbeat: beat });
    expect(fs.existsSync(path.join(root.path, 'logs/a.log'))).toBe(true);
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('approved');
  });

  it('1 ms older it is stale: taken over (no process holds the root), the plan runs, and the lease is released', async () => {
    const { root, plan } = await setup();
    const t = new Date();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'other-plan', executionToken: 'other-token', executionHeartbeat: new Date(t.getTime() - 10_001) } });
    const r = await executePlan(h.db, op, plan.id, { clock: () => t, staleAfterMs: 10_000, minQuietMs: 0 });
    expect(r).toMatchObject({ status: 'done', deleted: 2 });
    expect(await leaseOf(root.id)).toEqual({ executingPlanId: null, executionToken: null, executionHeartbeat: null });
  });

  it('a lease without a heartbeat is free to take', async () => {
    const { root, plan } = await setup();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'other-plan', executionToken: 'other-token', executionHeartbeat: null } });
    expect(await executePlan(h.db, op, plan.id, { minQuietMs: 0 })).toMatchObject({ status: 'done', deleted: 2 });
  });

  it('the default staleAfterMs is two minutes', async () => {
    const { root, plan } = await setup();
    const t = new Date();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'other-plan', executionToken: 'other-token', executionHeartbeat: new Date(t.getTime() - 2 * 60_000) } });
    await expectServiceError(executePlan(h.db, op, plan.id, { clock: () => t, minQuietMs: 0 }), 'conflict', /is running \(plan other-plan/);
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executionHeartbeat: new Date(t.getTime() - 2 * 60_000 - 1) } });
    expect(await executePlan(h.db, op, plan.id, { clock: () => t, minQuietMs: 0 })).toMatchObject({ status: 'done' });
  });

  it('while it runs, the lease is this run\'s, its heartbeat moving with the clock', async () => {
    const { root, plan } = await setup();
    let ms = Date.now() - 60_000;
    let last = new Date(ms);
    const clock = () => (last = new Date((ms += 1000)));
    const seen: { beat: Date | null; clock: Date; token: string | null; plan: string | null }[] = [];
    await executePlan(h.db, op, plan.id, {
      clock,
      batchSize: 1,
      minQuietMs: 0,
      afterBatch: async () => {
        const l = await leaseOf(root.id);
        seen.push({ beat: l.executionHeartbeat, clock: last, token: l.executionToken, plan: l.executingPlanId });
      },
    });
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.beat).toEqual(s.clock);
      expect(s.plan).toBe(plan.id);
      expect(s.token).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(seen[1]!.beat!.getTime()).toBeGreaterThan(seen[0]!.beat!.getTime());
  });

  it('a stale lease whose holder still holds the root\'s lock is put back exactly, on that root only', async () => {
    const { root, plan } = await setup();
    const other = await setup();
    const beat = new Date(Date.now() - 60 * 60_000);
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'holder-plan', executionToken: 'holder-token', executionHeartbeat: beat } });
    const holder = PinnedRoot.open(root.path, { ops: pinnedOps() });
    try {
      holder.lock();
      const e = await expectServiceError(executePlan(h.db, op, plan.id, { staleAfterMs: 10, minQuietMs: 0 }), 'conflict');
      expect(e.message).toMatch(new RegExp(`^Cannot execute the cleanup of "${root.name}": plan holder-plan is still running, last heartbeat ${beat.toISOString()}: `));
    } finally {
      holder.close();
    }
    expect(await leaseOf(root.id)).toEqual({ executingPlanId: 'holder-plan', executionToken: 'holder-token', executionHeartbeat: beat });
    expect(await leaseOf(other.root.id)).toEqual({ executingPlanId: null, executionToken: null, executionHeartbeat: null });
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('approved');
    expect(fs.existsSync(path.join(root.path, 'logs/a.log'))).toBe(true);
  });

  it('a batch that runs longer than the heartbeat interval heartbeats between entries and journals what it did', async () => {
    const { root, plan } = await setup();
    let ms = Date.now() - 10 * 60_000;
    const clock = () => new Date((ms += 20_000)); // every reading is 20 s later than the last
    const r = await executePlan(h.db, op, plan.id, { clock, batchSize: 10, minQuietMs: 0 });
    expect(r).toMatchObject({ status: 'done', deleted: 2 });
    const entries = await h.db.planEntry.findMany({ where: { planId: plan.id, kind: 'delete' }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.status)).toEqual(['done', 'done']);
    expect(await leaseOf(root.id)).toEqual({ executingPlanId: null, executionToken: null, executionHeartbeat: null });
  });
});
