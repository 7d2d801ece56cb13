/**
 * The lease code of lib/services/retention/execute.ts that StrykerJS found unexercised (issue #12):
 * the keep-alive heartbeat of a long compression (setInterval faked alone, so the database calls
 * stay real), a root that is no longer the registered directory, a lease that cannot be read or
 * written (a database error is passed on, not reported as "another cleanup is running"), and a
 * refusal whose holder has gone by the time it is named.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/lib/db/client';
import { executePlan } from '@/lib/services/retention/execute';
import { approvedPlan, DAY, expectServiceError, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const leaseOf = (rootId: string) => h.db.artifactRoot.findUniqueOrThrow({ where: { id: rootId }, select: { executingPlanId: true, executionToken: true, executionHeartbeat: true } });
const statusOf = async (planId: string) => (await h.db.retentionPlan.findUniqueOrThrow({ where: { id: planId } })).status;
const FREE = { executingPlanId: null, executionToken: null, executionHeartbeat: null };

/** h.db, except for the methods given. */
function dbWith(overrides: Partial<Record<'$queryRawUnsafe', unknown>>): Db {
  return new Proxy(h.db, {
    get(t, p, r) {
      if (p in overrides) return overrides[p as keyof typeof overrides];
      const v = Reflect.get(t, p, r) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the keep-alive of a long compression', () => {
  it('a heartbeat during a compression that finds the lease taken stops the run before the next file', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'big', match: 'big/**', compressAfter: '1d' }] });
    // Incompressible, so that gzipping it takes a while (the heartbeat below is one UPDATE).
    put(root.path, 'big/1.bin', crypto.randomBytes(16 * 1024 * 1024).toString('base64'), 10 * DAY);
    put(root.path, 'big/2.bin', 'small but old\n'.repeat(100), 10 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    const entries = await h.db.planEntry.findMany({ where: { planId: plan.id, kind: 'compress' }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.path)).toEqual(['big/1.bin', 'big/2.bin']);

    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const now = new Date();
    let reads = 0;
    let stolen: Promise<void> | undefined;
    // Readings: the start, the batch's fence, then one per entry. Right after the reading for
    // big/1.bin the keep-alive is set and the compression starts; once it has yielded, another
    // process takes the lease and the keep-alive's 15 s interval comes due.
    const clock = () => {
      if (++reads === 3) {
        stolen = new Promise((resolve, reject) => {
          setTimeout(() => {
            h.db.artifactRoot
              .update({ where: { id: root.id }, data: { executionToken: 'thief-token', executingPlanId: 'thief-plan' } })
              .then(() => {
                vi.advanceTimersByTime(15_000);
                resolve();
              }, reject);
          }, 0);
        });
      }
      return now;
    };
    await expectServiceError(executePlan(h.db, op, plan.id, { clock, minQuietMs: 0 }), 'conflict', /lost its lease/);
    await stolen;
    // big/2.bin was never touched: no archive, the original in place; the keep-alive is gone.
    expect(listTree(root.path).filter((p) => p.startsWith('big/2.bin'))).toEqual(['big/2.bin']);
    expect(vi.getTimerCount()).toBe(0);
    // The thief's lease is left alone.
    expect(await leaseOf(root.id)).toMatchObject({ executionToken: 'thief-token', executingPlanId: 'thief-plan' });
  });

  it('a compression that ends normally clears its keep-alive interval', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'big', match: 'big/**', compressAfter: '1d' }] });
    put(root.path, 'big/1.bin', 'old\n'.repeat(1000), 10 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    expect(await executePlan(h.db, op, plan.id, { minQuietMs: 0 })).toMatchObject({ status: 'done', compressed: 1 });
    expect(vi.getTimerCount()).toBe(0);
    expect(await leaseOf(root.id)).toEqual(FREE);
  });
});

describe('refusals before the lease is held', () => {
  it('a root that is no longer the registered directory is a conflict naming it; the lease and the plan are untouched', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] });
    put(root.path, 'logs/a.log', 10, 10 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    const st = fs.statSync(root.path);
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { ino: st.ino + 1 } });
    await expectServiceError(
      executePlan(h.db, op, plan.id, { minQuietMs: 0 }),
      'conflict',
      new RegExp(`^Cannot execute the cleanup of "${root.name}": root "${root.path}": is no longer the directory that was registered \\(device ${st.dev}, inode ${st.ino + 1};`),
    );
    expect(await leaseOf(root.id)).toEqual(FREE);
    expect(await statusOf(plan.id)).toBe('approved');
    expect(fs.existsSync(path.join(root.path, 'logs/a.log'))).toBe(true);
  });

  it('a database error while taking the lease is passed on as it is; nothing is touched', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] });
    put(root.path, 'logs/a.log', 10, 10 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    const lost = new Error('Connection terminated unexpectedly');
    const err = await executePlan(dbWith({ $queryRawUnsafe: () => Promise.reject(lost) }), op, plan.id, { minQuietMs: 0 }).then(() => null, (e: unknown) => e);
    expect(err).toBe(lost);
    expect(await leaseOf(root.id)).toEqual(FREE);
    expect(await statusOf(plan.id)).toBe('approved');
    expect(fs.existsSync(path.join(root.path, 'logs/a.log'))).toBe(true);
  });

  it('a refusal whose holder has finished by the time it is named says "?" for its plan and heartbeat', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] });
    put(root.path, 'logs/a.log', 10, 10 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    // The compare-and-set refuses (as if a live holder had the lease), and the holder is gone
    // when the refusal reads the root again: the row has no lease.
    const refused = dbWith({ $queryRawUnsafe: () => Promise.resolve([]) });
    await expectServiceError(
      executePlan(refused, op, plan.id, { minQuietMs: 0 }),
      'conflict',
      new RegExp(`^Another cleanup of "${root.name}" is running \\(plan \\?, last heartbeat \\?\\)\\. One execution per root at a time\\.$`),
    );
    expect(await leaseOf(root.id)).toEqual(FREE);
    expect(await statusOf(plan.id)).toBe('approved');
  });
});
