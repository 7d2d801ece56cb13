// The execution lease of a root (lib/services/retention/execute.ts), at its edges: a lease is
// stale only when its heartbeat is strictly older than staleAfterMs; a fresh lease held by a
// process that is not running here (no flock) is refused without touching it; a finished or
// failed run releases only its own lease. Written to kill mutants that the crash tests left alive.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { createTestDb, type TestDb } from './helpers';
import { approvedPlan, cleanupDirs, DAY, expectServiceError, makeDir, newRoot, op, put } from './retention-helpers';

let h: TestDb;
let base: string;
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const POLICY = { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] };

async function setup() {
  const root = await newRoot(h.db, base, POLICY);
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

  it('while it runs, the lease is this run\'s, heartbeating at the pinned clock', async () => {
    const { root, plan } = await setup();
    const t = new Date(Date.now() - 1000);
    let seen: Awaited<ReturnType<typeof leaseOf>> | null = null;
    await executePlan(h.db, op, plan.id, { clock: () => t, batchSize: 1, minQuietMs: 0, afterBatch: async () => void (seen ??= await leaseOf(root.id)) });
    expect(seen).toMatchObject({ executingPlanId: plan.id, executionHeartbeat: t });
    expect(seen!.executionToken).toMatch(/^[0-9a-f-]{36}$/);
  });
});
