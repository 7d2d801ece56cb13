/**
 * The Artifacts pages' figures and /metrics, from rows written here: headroom levels and their
 * streaks, a stored policy that no longer parses, and the Prometheus counters. Every test makes
 * its own root and reads back only that root's figures.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retentionMetrics } from '@/lib/services/retention/metrics';
import { previewCleanup } from '@/lib/services/retention/plans';
import { getRootCard, thresholdViolations } from '@/lib/services/retention/queries';
import { expectServiceError, newRoot, op, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const T = new Date('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const MB = 1024 * 1024;

async function sample(rootId: string, minutes: number, s: { rootBytes?: number; fsBytes: number; fsFree: number }) {
  await h.db.diskUsageSample.create({ data: { rootId, host: 'server', rootPath: '/x', at: at(minutes), rootBytes: BigInt(s.rootBytes ?? 0), fileCount: 1, fsBytes: BigInt(s.fsBytes), fsFree: BigInt(s.fsFree) } });
}
const violationsOf = async (rootId: string) => (await thresholdViolations(h.db, T)).filter((v) => v.rootId === rootId);

describe('filesystem headroom (warn 85 %, critical 95 %)', () => {
  it.each([
    [849, 'ok', null],
    [850, 'warn', 'warn'],
    [949, 'warn', 'warn'],
    [950, 'critical', 'critical'],
  ] as const)('%d of 1000 bytes used: card level %s, violation %s', async (used, level, violation) => {
    const root = await newRoot(h.db, h.base, { rules: [] });
    await sample(root.id, 0, { fsBytes: 1000, fsFree: 1000 - used });
    const card = await getRootCard(h.db, root.id, T);
    expect(card!.headroom).toEqual({ usedPct: expect.closeTo(used / 10, 9), level });
    const v = (await violationsOf(root.id)).filter((x) => x.kind === 'headroom');
    expect(v.map((x) => x.level)).toEqual(violation ? [violation] : []);
    if (violation) expect(v[0]!.what).toBe(`filesystem ${(used / 10).toFixed(1)} % used (warn 85 %, critical 95 %)`);
  });

  it('a filesystem of size 0 (unknown) has no headroom figure and no violation', async () => {
    const root = await newRoot(h.db, h.base, { rules: [] });
    await sample(root.id, 0, { fsBytes: 0, fsFree: 0 });
    expect((await getRootCard(h.db, root.id, T))!.headroom).toBeNull();
    expect(await violationsOf(root.id)).toEqual([]);
  });

  it('"since" is the oldest sample of the unbroken run of newest samples over the threshold', async () => {
    const root = await newRoot(h.db, h.base, { rules: [] });
    await sample(root.id, -40, { fsBytes: 100, fsFree: 10 }); // 90 %: over, but before a break
    await sample(root.id, -30, { fsBytes: 100, fsFree: 50 }); // 50 %: the break
    await sample(root.id, -20, { fsBytes: 100, fsFree: 14 }); // 86 %
    await sample(root.id, -10, { fsBytes: 100, fsFree: 4 }); // 96 %
    const [v] = (await violationsOf(root.id)).filter((x) => x.kind === 'headroom');
    expect(v).toMatchObject({ level: 'critical', since: at(-20).toISOString() });
  });

  it('over the cap: a critical violation since the first sample of the streak; at the cap is within it', async () => {
    const root = await newRoot(h.db, h.base, { rules: [], maxSize: '1MB' });
    await sample(root.id, -20, { rootBytes: MB, fsBytes: 100, fsFree: 90 });
    expect((await violationsOf(root.id)).filter((x) => x.kind === 'over-cap')).toEqual([]);
    await sample(root.id, -10, { rootBytes: MB + 1, fsBytes: 100, fsFree: 90 });
    expect((await violationsOf(root.id)).filter((x) => x.kind === 'over-cap')).toEqual([
      { key: `cap-${root.id}`, kind: 'over-cap', level: 'critical', rootId: root.id, subject: root.name, what: 'over its cap: 1 MB of 1 MB', since: at(-10).toISOString() },
    ]);
    expect((await getRootCard(h.db, root.id, T))!.state).toBe('over-cap');
  });
});

describe('a stored policy that no longer parses', () => {
  async function corruptRoot() {
    const root = await newRoot(h.db, h.base, { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }], maxSize: '1MB' });
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { policy: { rules: [{ id: 'logs', match: '**/*.log', ttl: '7x' }], maxSize: '1MB' } } });
    return root;
  }

  it('preview refuses it as invalid, naming the root and the field; nothing is stored', async () => {
    const root = await corruptRoot();
    await expectServiceError(previewCleanup(h.db, op, root.id, T), 'invalid', new RegExp(`^The stored policy of root "${root.name}" is invalid: rules\\[0\\]\\.ttl: `));
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(0);
  });

  it('the root card shows the problem and no cap; /metrics and violations skip the cap instead of failing', async () => {
    const root = await corruptRoot();
    await sample(root.id, 0, { rootBytes: 5 * MB, fsBytes: 100, fsFree: 90 });
    const card = await getRootCard(h.db, root.id, T);
    expect(card!.policyError).toMatch(/^rules\[0\]\.ttl: /);
    expect([card!.capBytes, card!.state]).toEqual([null, 'ok']);
    expect((await violationsOf(root.id)).map((v) => v.kind)).toEqual([]);
    const metrics = await retentionMetrics(h.db);
    expect(metrics).toContain(`steward_artifact_root_size_bytes{root="${root.name}"} ${5 * MB}\n`);
    expect(metrics).not.toContain(`steward_artifact_root_cap_bytes{root="${root.name}"}`);
  });
});

describe('retentionMetrics', () => {
  async function run(rootId: string, ts: Date, r: { failures: number; bytesFreed: number; dryRun?: boolean }) {
    await h.db.rotationRun.create({
      data: { id: crypto.randomUUID(), rootId, host: 'server', rootPath: '/x', source: 'server', dryRun: r.dryRun ?? false, timestamp: ts, deleted: 1, kept: 1, compressed: 0, totalReductionKb: 0, sizeMb: 1, withinLimit: true, bytesFreed: BigInt(r.bytesFreed), failures: r.failures, durationMs: 5, executedBy: 'op@test' },
    });
  }

  it('per root: latest sample, cap, last run time, failures (runs + failed schedules) and bytes freed, dry runs excluded', async () => {
    const root = await newRoot(h.db, h.base, { rules: [], maxSize: '2MB' });
    await sample(root.id, -10, { rootBytes: 100, fsBytes: 1000, fsFree: 900 });
    await sample(root.id, -5, { rootBytes: 200, fsBytes: 2000, fsFree: 1500 });
    await run(root.id, at(-30), { failures: 2, bytesFreed: 1000 });
    await run(root.id, at(-20), { failures: 1, bytesFreed: 500 });
    await run(root.id, at(-1), { failures: 7, bytesFreed: 99_999, dryRun: true }); // a dry run frees nothing
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { scheduledFailures: 4 } });
    const text = await retentionMetrics(h.db);
    const mine = text.split('\n').filter((l) => l.includes(`{root="${root.name}"}`));
    expect(mine).toEqual([
      `steward_artifact_root_size_bytes{root="${root.name}"} 200`,
      `steward_artifact_root_files{root="${root.name}"} 1`,
      `steward_artifact_root_cap_bytes{root="${root.name}"} ${2 * MB}`,
      `steward_artifact_fs_free_bytes{root="${root.name}"} 1500`,
      `steward_artifact_fs_size_bytes{root="${root.name}"} 2000`,
      `steward_rotation_last_run_timestamp_seconds{root="${root.name}"} ${Math.floor(at(-20).getTime() / 1000)}`,
      `steward_rotation_failures_total{root="${root.name}"} 7`,
      `steward_rotation_bytes_freed_total{root="${root.name}"} 1500`,
    ]);
    for (const name of ['steward_artifact_root_size_bytes', 'steward_rotation_failures_total']) expect(text).toContain(`# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n`);
  });

  it('a root with no sample, no cap and no run reports only its zero counters', async () => {
    const root = await newRoot(h.db, h.base, { rules: [] });
    const mine = (await retentionMetrics(h.db)).split('\n').filter((l) => l.includes(`{root="${root.name}"}`));
    expect(mine).toEqual([`steward_rotation_failures_total{root="${root.name}"} 0`, `steward_rotation_bytes_freed_total{root="${root.name}"} 0`]);
  });
});
