// Read queries of the Artifacts pages: entries in natural order across pages, the kept-files
// reason filter, rotation history pages with totals, and planned vs actual figures of a plan.
import { describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { listEntriesPage, NATURAL_KEY_FALLBACK_SQL, naturalKey, parseEntryQuery, planReasonGroups } from '@/lib/services/retention/entries-query';
import { latestPlans, rotationHistory, runForPlan } from '@/lib/services/retention/history-queries';
import { previewCleanup } from '@/lib/services/retention/plans';
import { approvedPlan, DAY, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const collator = new Intl.Collator('en', { numeric: true });

describe('plan entries', () => {
  it('are in natural path order across pages (ITER_SUMMARY_2 before ITER_SUMMARY_10), like Intl.Collator numeric', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'iter', match: '**/ITER_SUMMARY_*.json', ttl: '7d' }, { id: 'rest', match: '**', ttl: '30d' }] });
    const names: string[] = [];
    for (let i = 1; i <= 25; i++) names.push(`latest/ITER_SUMMARY_${i}.json`);
    names.push('latest/iter_summary_3b.json', 'Latest/ITER_SUMMARY_7.json', 'run2/a.log', 'run10/a.log', 'run02/b.log');
    for (const n of names) put(root.path, n, 10, 10 * DAY);
    const plan = await previewCleanup(h.db, op, root.id, new Date());
    const kept = await listEntriesPage(h.db, plan.id, parseEntryQuery(new URLSearchParams({ kind: 'keep' })));
    const deletes: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const r = await listEntriesPage(h.db, plan.id, parseEntryQuery(new URLSearchParams({ kind: 'delete', page: String(page), pageSize: '10' })));
      expect(r.total).toBe(26);
      deletes.push(...r.rows.map((x) => x.path));
    }
    expect(deletes.filter((p) => p.startsWith('latest/')).slice(0, 12)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => `latest/ITER_SUMMARY_${i}.json`));
    expect(deletes).toEqual(names.filter((n) => /ITER_SUMMARY_\d+\.json$/i.test(n)).sort(collator.compare));
    expect(kept.rows.map((x) => x.path)).toEqual(['latest/iter_summary_3b.json', 'run2/a.log', 'run02/b.log', 'run10/a.log']);
    expect(kept.rows.map((x) => x.path)).toEqual(names.filter((n) => !/ITER_SUMMARY_\d+\.json$/i.test(n)).sort(collator.compare));

    // Entries stored with their key (as plan-entries.ts inserts them) come back in the same order.
    const stored = await h.db.planEntry.findMany({ where: { planId: plan.id }, select: { id: true, path: true } });
    for (const e of stored) await h.db.planEntry.update({ where: { id: e.id }, data: { sortKey: naturalKey(e.path) } });
    const again = await listEntriesPage(h.db, plan.id, parseEntryQuery(new URLSearchParams({ kind: 'delete', pageSize: '500' })));
    expect(again.rows.map((x) => x.path)).toEqual(deletes);
  });

  it('computes the same sort key in SQL and TypeScript', async () => {
    const samples = ['a2', 'a10', 'a007', 'x0', 'v1.2.10-rc3', '12345678901234567890123', '0000000000000000000000042', 'nodigits', '9/99/999'];
    const rows = await h.db.$queryRawUnsafe<{ path: string; k: string }[]>(`SELECT "path", ${NATURAL_KEY_FALLBACK_SQL} AS "k" FROM unnest($1::text[]) AS x("path")`, samples);
    expect(rows.map((r) => r.k)).toEqual(samples.map(naturalKey));
    expect(naturalKey('ITER_SUMMARY_2.json') < naturalKey('ITER_SUMMARY_10.json')).toBe(true);
  });

  it('filters kept files by reason (and rule), and searches paths literally', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }, { id: 'rest', match: '**', ttl: '30d' }], protect: [{ match: 'pinned/**', reason: 'kept for the audit' }] });
    put(root.path, 'pinned/a.log', 10, 40 * DAY);
    put(root.path, 'logs/new_1.log', 10, DAY);
    put(root.path, 'logs/new%.log', 10, DAY);
    put(root.path, 'notes.txt', 10, DAY);
    const plan = await previewCleanup(h.db, op, root.id, new Date());
    const kept = (await planReasonGroups(h.db, plan.id)).filter((g) => g.kind === 'keep');
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const g of kept) {
      const r = await listEntriesPage(h.db, plan.id, parseEntryQuery(new URLSearchParams({ kind: 'keep', reason: g.reason, ruleId: g.ruleId })));
      expect(r.total).toBe(g.count);
      expect(r.rows.every((x) => x.reason.split(' (')[0] === g.reason && x.ruleId === g.ruleId)).toBe(true);
    }
    const pct = await listEntriesPage(h.db, plan.id, parseEntryQuery(new URLSearchParams({ kind: 'keep', q: '%' })));
    expect(pct.rows.map((x) => x.path)).toEqual(['logs/new%.log']);
    expect(() => parseEntryQuery(new URLSearchParams({ page: '0' }))).toThrow(/page/);
  });
});

describe('history and plans: planned next to actual', () => {
  it('pages the history with a total, and pairs an executed plan with its run', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }, { id: 'snap', match: 'snap/**', compressAfter: '1d' }] });
    put(root.path, 'a.log', 1000, 10 * DAY);
    put(root.path, 'snap/s.json', 'x'.repeat(20_000), 3 * DAY);
    const plan = await approvedPlan(h.db, root.id);
    const result = await executePlan(h.db, op, plan.id);
    const run = await runForPlan(h.db, plan.id);
    expect(run).toMatchObject({ deleted: 1, compressed: 1, bytesFreed: result.bytesFreed, sizeAfterBytes: result.sizeAfterBytes, planned: { filesToDelete: 1, filesToCompress: 1, bytesFreed: plan.totals.bytesFreed, bytesAfter: plan.totals.bytesAfter } });
    // The compression estimate and the actual saving differ; both are shown, never mixed up.
    expect(run!.planned!.bytesFreed).toBe(plan.totals.bytesFreed);
    const [listed] = await latestPlans(h.db, root.id, 10);
    expect(listed).toMatchObject({ id: plan.id, status: 'done', planned: { bytesFreed: plan.totals.bytesFreed }, actual: { runId: run!.id, bytesFreed: result.bytesFreed, sizeAfterBytes: result.sizeAfterBytes } });

    for (let i = 0; i < 3; i++) await previewCleanup(h.db, op, root.id, new Date());
    const open = await latestPlans(h.db, root.id, 10);
    expect(open.filter((p) => p.actual === null).map((p) => p.status)).toEqual(['draft', 'draft', 'draft']);

    const runsOnly = await rotationHistory(h.db, { rootId: root.id, pageSize: 1 });
    expect(runsOnly).toMatchObject({ runs: { total: 1, page: 1, pageSize: 1 }, runners: null });
    const far = await rotationHistory(h.db, { rootId: root.id, pageSize: 1, page: 99 });
    expect(far.runs.page).toBe(1); // clamped to the last page
    expect(far.runs.rows).toHaveLength(1);
  });
});
