/**
 * The bulk insert of plan entries (unnest arrays, batches of 5,000): every entry stored exactly
 * once, in order, with exact values, across batch boundaries; and a failure leaves no entry behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRetention, toScanEntries, type ScanEntry } from '@/lib/engine/retention';
import { insertPlanEntries } from '@/lib/services/retention/plan-entries';
import { createTestDb, type TestDb } from './helpers';
import { cleanupDirs, DAY, makeDir, newRoot } from './retention-helpers';

let h: TestDb;
let rootId: string;
beforeAll(async () => {
  h = await createTestDb();
  rootId = (await newRoot(h.db, makeDir(), { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }], sizeCapAction: 'warn' })).id;
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const NOW = Date.UTC(2026, 10, 1);

async function draft(id: string): Promise<void> {
  await h.db.retentionPlan.create({
    data: { id, rootId, status: 'draft', policyVersion: 1, source: 'manual', createdBy: 'test', createdAt: new Date(NOW), expiresAt: new Date(NOW + 3_600_000), totals: {}, warnings: [], scanErrors: [] },
  });
}

describe('insertPlanEntries', () => {
  it('stores 12,001 entries across three batches: actions then kept, seq 0..n-1, exact values', async () => {
    const rows: ScanEntry[] = [];
    for (let i = 0; i < 12_001; i++) rows.push({ path: `run-${i % 37}/app-${i}.${i % 3 === 0 ? 'txt' : 'log'}`, size: i, mtimeMs: NOW - (i % 20) * DAY - 0.4, type: 'file' });
    // Values a naive insert gets wrong: a size beyond 32 bits, quotes, a comma, braces, unicode.
    rows.push({ path: `odd/it's "quoted", {braced} é 日本 \u{1F600}.log`, size: 5 * 2 ** 40, mtimeMs: NOW - 30 * DAY, type: 'file' });
    const plan = planRetention({ root: '/x', entries: toScanEntries(rows), errors: [] }, { rules: [{ id: 'logs', match: '**/*.log', ttlMs: 7 * DAY }], protect: [], sizeCapAction: 'warn' }, NOW);
    await draft('p-many');
    const n = await h.db.$transaction((tx) => insertPlanEntries(tx, 'p-many', plan));
    expect(n).toBe(12_002);

    const stored = await h.db.planEntry.findMany({ where: { planId: 'p-many' }, orderBy: { seq: 'asc' } });
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 12_002 }, (_, i) => i));
    const expected = [
      ...plan.actions.map((a) => ({ kind: a.kind, path: a.path, size: BigInt(a.size), mtimeMs: BigInt(Math.round(a.mtimeMs)), ruleId: a.ruleId, reason: a.reason, bytesFreed: BigInt(a.bytesFreed), status: 'pending' })),
      ...plan.kept.map((k) => ({ kind: 'keep', path: k.path, size: BigInt(k.size), mtimeMs: BigInt(Math.round(k.mtimeMs)), ruleId: k.ruleId ?? k.reasonCode, reason: k.reason, bytesFreed: 0n, status: 'kept' })),
    ];
    expect(stored.map(({ kind, path, size, mtimeMs, ruleId, reason, bytesFreed, status }) => ({ kind, path, size, mtimeMs, ruleId, reason, bytesFreed, status }))).toEqual(expected);
    const odd = stored.find((e) => e.path.startsWith('odd/'));
    expect(odd).toMatchObject({ path: `odd/it's "quoted", {braced} é 日本 \u{1F600}.log`, size: 5n * 2n ** 40n, kind: 'delete', status: 'pending' });
    expect(plan.actionCount).toBeGreaterThan(5000); // the actions alone span a batch boundary
  });

  it('a failing batch rolls the whole preview back: no entry is left', async () => {
    const rows: ScanEntry[] = Array.from({ length: 6000 }, (_, i) => ({ path: `f-${i}.log`, size: 1, mtimeMs: NOW - 10 * DAY, type: 'file' as const }));
    const plan = planRetention({ root: '/x', entries: toScanEntries(rows), errors: [] }, { rules: [{ id: 'logs', match: '**/*.log', ttlMs: 7 * DAY }], protect: [], sizeCapAction: 'warn' }, NOW);
    await draft('p-fail');
    await expect(
      h.db.$transaction(async (tx) => {
        await insertPlanEntries(tx, 'p-fail', plan);
        await insertPlanEntries(tx, 'p-fail', plan); // the same seqs again: unique (planId, seq) violation
      }),
    ).rejects.toThrow();
    expect(await h.db.planEntry.count({ where: { planId: 'p-fail' } })).toBe(0);
  });
});
