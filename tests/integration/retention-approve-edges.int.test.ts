/**
 * The approval gate of a cleanup at its edges (lib/services/retention/plans.ts: approvePlan,
 * expirePlans, getPlan's lazy expiry): the exact expiry instant, which statuses expire, that only
 * the plan named is touched, a policy changed without the plan being invalidated, the
 * compare-and-set losing to a concurrent change, and the audit row an approval writes.
 */
import { describe, expect, it } from 'vitest';
import { approvePlan, expirePlans, getPlan, previewCleanup } from '@/lib/services/retention/plans';
import { DAY, expectServiceError, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };
const T0 = new Date('2026-03-01T12:00:00.000Z');
const TTL = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A root with two old logs (2 deletes, 300 bytes) and a draft plan made at T0 expiring at T0 + TTL. */
async function draft() {
  const root = await newRoot(h.db, h.base, POLICY);
  put(root.path, 'a.log', 100, 30 * DAY, T0.getTime());
  put(root.path, 'b.log', 200, 30 * DAY, T0.getTime());
  const plan = await previewCleanup(h.db, op, root.id, T0, { ttlMs: TTL });
  expect(plan).toMatchObject({ status: 'draft', expiresAt: at(TTL).toISOString() });
  return { root, plan };
}
const status = async (id: string) => (await h.db.retentionPlan.findUniqueOrThrow({ where: { id } })).status;

describe('approvePlan at the expiry instant', () => {
  it('1 ms before expiresAt a draft is approved (by the actor, at now); at expiresAt it has expired, and stays expired', async () => {
    const early = await draft();
    expect(await approvePlan(h.db, op, early.plan.id, at(TTL - 1))).toMatchObject({ status: 'approved', approvedBy: 'op@test', approvedAt: at(TTL - 1).toISOString() });
    const onTime = await draft();
    await expectServiceError(approvePlan(h.db, op, onTime.plan.id, at(TTL)), 'conflict', /^This plan has expired; preview the cleanup again\.$/);
    expect(await status(onTime.plan.id)).toBe('expired');
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: onTime.plan.id } })).approvedAt).toBeNull();
  });

  it('refusing one expired draft expires only that plan, not another draft past its expiry', async () => {
    const a = await draft();
    const b = await draft();
    await expectServiceError(approvePlan(h.db, op, a.plan.id, at(TTL + 5)), 'conflict', /expired/);
    expect([await status(a.plan.id), await status(b.plan.id)]).toEqual(['expired', 'draft']);
  });

  it('an approved plan past its expiry is not "expired" by a second approval: it is refused as approved (and expires lazily on read)', async () => {
    const { plan } = await draft();
    await approvePlan(h.db, op, plan.id, T0);
    await expectServiceError(approvePlan(h.db, op, plan.id, at(TTL + 1)), 'conflict', /^This plan is approved; only a draft plan can be approved\.$/);
    expect(await status(plan.id)).toBe('approved');
    expect((await getPlan(h.db, plan.id, at(TTL + 1))).status).toBe('expired');
  });

  it('an unknown plan is not_found naming the id', async () => {
    await expectServiceError(approvePlan(h.db, op, 'no-such-plan', T0), 'not_found', /^No plan with id no-such-plan$/);
  });
});

describe('approvePlan: the policy version and the compare-and-set', () => {
  it('a root whose policy version moved on (plan not invalidated) cannot be approved; nothing is audited', async () => {
    const { root, plan } = await draft();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { policyVersion: { increment: 1 } } });
    await expectServiceError(approvePlan(h.db, op, plan.id, T0), 'conflict', /^The root's policy changed after this plan was made; preview again\.$/);
    expect(await status(plan.id)).toBe('draft');
    expect(await h.db.auditEvent.count({ where: { action: 'retention.approve', targetId: plan.id } })).toBe(0);
  });

  it('a plan changed by another transaction between the read and the update is refused as changed; no audit row, status kept', async () => {
    const { plan } = await draft();
    let approval: Promise<unknown> | undefined;
    await h.db.$transaction(async (tx) => {
      // Hold the row (uncommitted change): approvePlan reads it as a draft, then its update waits on the lock.
      await tx.retentionPlan.update({ where: { id: plan.id }, data: { status: 'invalidated', error: 'concurrent' } });
      approval = approvePlan(h.db, op, plan.id, T0);
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
    expect(await status(plan.id)).toBe('invalidated');
    expect(await h.db.auditEvent.count({ where: { action: 'retention.approve', targetId: plan.id } })).toBe(0);
  });

  it('an approval writes one audit row: target, totals in the summary, draft → approved', async () => {
    const { root, plan } = await draft();
    await approvePlan(h.db, op, plan.id, T0);
    const rows = await h.db.auditEvent.findMany({ where: { action: 'retention.approve', targetId: plan.id } });
    expect(rows.map((r) => ({ actorLabel: r.actorLabel, targetType: r.targetType, summary: r.summary, before: r.before, after: r.after, outcome: r.outcome }))).toEqual([
      { actorLabel: 'op@test', targetType: 'retention-plan', summary: `Approved cleanup of "${root.name}": 2 deletes, 0 compressions, 300 bytes`, before: { status: 'draft' }, after: { status: 'approved' }, outcome: 'ok' },
    ]);
  });
});

describe('expirePlans and the lazy expiry of getPlan', () => {
  it('expirePlans takes drafts and approved plans whose expiresAt ≤ now, counts them, and leaves other statuses alone', async () => {
    const d = await draft();
    const a = await draft();
    await approvePlan(h.db, op, a.plan.id, T0);
    const others = await Promise.all(['running', 'done', 'invalidated', 'failed'].map(async (s) => {
      const p = await draft();
      await h.db.retentionPlan.update({ where: { id: p.plan.id }, data: { status: s } });
      return [p.plan.id, s] as const;
    }));
    // Every plan in this file expires at T0 + TTL: the draft and approved ones of other tests count too.
    const pending = await h.db.retentionPlan.count({ where: { status: { in: ['draft', 'approved'] } } });
    expect(await expirePlans(h.db, at(TTL - 1))).toBe(0);
    expect([await status(d.plan.id), await status(a.plan.id)]).toEqual(['draft', 'approved']);
    expect(await expirePlans(h.db, at(TTL))).toBe(pending);
    expect([await status(d.plan.id), await status(a.plan.id)]).toEqual(['expired', 'expired']);
    for (const [id, s] of others) expect(await status(id)).toBe(s);
    expect(await expirePlans(h.db, at(TTL))).toBe(0);
  });

  it('getPlan expires the plan it reads at expiresAt (draft or approved), not before, and no other plan', async () => {
    const d = await draft();
    const other = await draft();
    expect((await getPlan(h.db, d.plan.id, at(TTL - 1))).status).toBe('draft');
    expect((await getPlan(h.db, d.plan.id, at(TTL))).status).toBe('expired');
    expect(await status(other.plan.id)).toBe('draft');
    const a = await draft();
    await approvePlan(h.db, op, a.plan.id, T0);
    expect((await getPlan(h.db, a.plan.id, at(TTL))).status).toBe('expired');
    await expectServiceError(getPlan(h.db, 'no-such-plan', T0), 'not_found', /^No plan with id no-such-plan$/);
  });
});
