// Runner reports (POST /api/v1/rotation-runs): stored as runner reports only, bounded, dated sanely.
// Issue 8, item 3: an ingest token used to forge the server's own root figures.
import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { retentionMetrics } from '@/lib/services/retention/metrics';
import { previewCleanup } from '@/lib/services/retention/plans';
import { rotationHistory } from '@/lib/services/retention/history-queries';
import { getRootCard, thresholdViolations } from '@/lib/services/retention/queries';
import { ingestRotationReport, rotationReportSchema } from '@/lib/services/retention/reports';
import { DAY, expectServiceError, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const token: Actor = { type: 'token', id: 't1', label: 'token:ci', scopes: ['ingest'] };
const NOW = new Date();
const record = (over: Record<string, unknown> = {}) => ({
  timestamp: new Date(NOW.getTime() - 60_000).toISOString(),
  rotation: { deleted: 12, kept: 30 },
  compression: { compressed: 3, total_reduction_kb: 512.5 },
  disk_usage: { size_mb: 420.25, within_limit: true },
  steward: { bytes_freed: 9_000_000, failures: 1, skipped: 2, duration_ms: 1500 },
  ...over,
});
const disk = { root_bytes: 420.25 * 1024 * 1024, file_count: 42, fs_bytes: 1e11, fs_free: 4e10 };

/** The field issues zod reports for a body, as [field, message]. */
function issues(body: unknown): [string, string][] {
  const r = rotationReportSchema.safeParse(body);
  if (r.success) return [];
  return r.error.issues.map((i) => [i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.'), i.message]);
}

describe('ingestRotationReport', () => {
  it('stores a runner report as an unlinked cli run plus a disk sample, and audits it', async () => {
    const report = rotationReportSchema.parse({ host: 'ci-runner-7', path: '/srv/artifacts', record: record(), disk });
    const { id } = await ingestRotationReport(h.db, token, report, NOW);
    const run = await h.db.rotationRun.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({
      rootId: null, planId: null, host: 'ci-runner-7', rootPath: '/srv/artifacts', source: 'cli', dryRun: false,
      deleted: 12, kept: 30, compressed: 3, totalReductionKb: 512.5, sizeMb: 420.25, withinLimit: true,
      bytesFreed: 9_000_000n, failures: 1, skipped: 2, durationMs: 1500, executedBy: 'token:ci', approvedBy: null,
    });
    const samples = await h.db.diskUsageSample.findMany({ where: { host: 'ci-runner-7' } });
    expect(samples.map((s) => [s.rootId, s.rootPath, Number(s.rootBytes), s.fileCount])).toEqual([[null, '/srv/artifacts', disk.root_bytes, 42]]);
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { targetId: id } });
    expect(audit).toMatchObject({ action: 'retention.report', targetType: 'rotation-run', summary: 'ci-runner-7:/srv/artifacts reported a rotation: 12 deleted, 3 compressed, 420.3 MB' });
    expect((await rotationHistory(h.db, { pageSize: 20 })).runners!.rows.map((r) => r.id)).toContain(id);
  });

  it('cannot forge the figures of a registered root: "server" is refused and no report ever links to a root', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ match: '**', ttl: '7d' }], maxSize: '10MB' });
    put(root.path, 'a.log', 5000, 10 * DAY);
    await previewCleanup(h.db, op, root.id, NOW); // the server's own scan: 5000 bytes
    const forged = { path: root.path, record: record({ timestamp: '9999-12-31T23:59:59Z', disk_usage: { size_mb: 0, within_limit: true }, steward: { bytes_freed: 1e15, failures: 2e9 } }), disk: { root_bytes: 1, file_count: 1, fs_bytes: 1e12, fs_free: 1e12 } };
    expect(issues({ host: 'server', ...forged })).toContainEqual(['host', '"server" is reserved for this server\'s own scans; report with the runner\'s host name']);
    expect(issues({ host: 'SERVER', ...forged }).map((i) => i[0])).toContain('host');
    expect(new Set(issues({ host: 'ci', ...forged }).map((i) => i[0]))).toEqual(new Set(['record.steward.failures']));

    // A plausible report about the same path from a runner stays a runner report.
    const ok = await ingestRotationReport(h.db, token, rotationReportSchema.parse({ host: 'ci', path: root.path, record: record({ disk_usage: { size_mb: 1 / 1024 / 1024, within_limit: true } }), disk: { ...disk, root_bytes: 1 } }), NOW);
    expect((await h.db.rotationRun.findUniqueOrThrow({ where: { id: ok.id } })).rootId).toBeNull();
    const card = await getRootCard(h.db, root.id, NOW);
    expect(card!.sample!.rootBytes).toBe(5000);
    const metrics = await retentionMetrics(h.db);
    const name = root.name;
    expect(metrics).toContain(`steward_artifact_root_size_bytes{root="${name}"} 5000`);
    expect(metrics).toContain(`steward_rotation_failures_total{root="${name}"} 0`);
    expect(metrics).toContain(`steward_rotation_bytes_freed_total{root="${name}"} 0`);
    expect((await rotationHistory(h.db, { rootId: root.id, pageSize: 20 })).runs.total).toBe(0);
    expect((await thresholdViolations(h.db, NOW)).filter((v) => v.rootId === root.id)).toEqual([]);
  });

  it('the database itself refuses a runner row linked to a root (CHECK constraints)', async () => {
    const root = await newRoot(h.db, h.base, { rules: [{ match: '**', ttl: '7d' }] });
    const run = { id: 'forged', rootId: root.id, host: 'ci', rootPath: root.path, source: 'cli', timestamp: NOW, deleted: 0, kept: 0, compressed: 0, totalReductionKb: 0, sizeMb: 0, withinLimit: true, bytesFreed: 0n, durationMs: 0, executedBy: 'x' };
    await expect(h.db.rotationRun.create({ data: run })).rejects.toThrow(/rotation_runs_root_is_server/);
    await expect(h.db.diskUsageSample.create({ data: { rootId: root.id, host: 'ci', rootPath: root.path, at: NOW, rootBytes: 1n, fileCount: 1, fsBytes: 1n, fsFree: 1n } })).rejects.toThrow(/disk_usage_samples_root_is_server/);
  });

  it.each([
    ['9999-12-31T23:59:59Z', /"9999-12-31T23:59:59Z" is in the future \(more than 5 minutes after this server's clock/],
    [new Date(NOW.getTime() + 6 * 60_000).toISOString(), /is in the future/],
    ['1970-01-01T00:00:00Z', /"1970-01-01T00:00:00Z" is more than a year old/],
  ])('refuses the timestamp %s naming record.timestamp', async (timestamp, re) => {
    const err = await expectServiceError(ingestRotationReport(h.db, token, rotationReportSchema.parse({ host: 'ci', path: '/x', record: record({ timestamp }) }), NOW), 'invalid');
    expect(err.details).toHaveLength(1);
    expect(err.details![0]!.field).toBe('record.timestamp');
    expect(err.details![0]!.message).toMatch(re);
  });

  it('accepts a clock up to 5 minutes ahead', async () => {
    const timestamp = new Date(NOW.getTime() + 4 * 60_000).toISOString();
    await expect(ingestRotationReport(h.db, token, rotationReportSchema.parse({ host: 'ci', path: '/x', record: record({ timestamp }) }), NOW)).resolves.toMatchObject({ id: expect.any(String) });
  });

  it.each([
    ['a count above 1e9', { record: record({ rotation: { deleted: 2e9, kept: 1 } }) }, 'record.rotation.deleted', 'must be at most 1,000,000,000'],
    ['a fractional count', { record: record({ rotation: { deleted: 1.5, kept: 1 } }) }, 'record.rotation.deleted', 'must be a whole number'],
    ['negative bytes freed', { record: record({ steward: { bytes_freed: -1 } }) }, 'record.steward.bytes_freed', 'must be 0 or more'],
    ['bytes freed above 4 PiB', { record: record({ steward: { bytes_freed: 1e16 } }) }, 'record.steward.bytes_freed', 'must be at most 4,503,599,627,370,496 bytes (4 PiB)'],
    ['an infinite size (1e999 in JSON)', { record: record({ disk_usage: { size_mb: JSON.parse('1e999'), within_limit: true } }) }, 'record.disk_usage.size_mb', expect.any(String)],
    ['a duration above a week', { record: record({ steward: { duration_ms: 8 * DAY } }) }, 'record.steward.duration_ms', 'must be at most 604,800,000 (7 days)'],
    ['more free than the filesystem holds', { record: record(), disk: { ...disk, fs_free: 2e11 } }, 'disk.fs_free', 'must not exceed disk.fs_bytes (100,000,000,000)'],
    ['a size that disagrees with the disk sample', { record: record(), disk: { ...disk, root_bytes: 1 } }, 'record.disk_usage.size_mb', 'must match disk.root_bytes (0.00 MB)'],
    ['compression savings above the bytes freed', { record: record({ steward: { bytes_freed: 1000 } }) }, 'record.compression.total_reduction_kb', expect.stringMatching(/^must not exceed record.steward.bytes_freed \(1,000 bytes\)/)],
    ['a host with control characters', { host: 'ci\u001b[31m' }, 'host', 'must not contain control characters'],
    ['an empty path', { path: ' ' }, 'path', 'is required'],
  ])('refuses %s, naming the field', (_what, over, field, message) => {
    const got = issues({ host: 'ci', path: '/x', record: record(), ...over });
    expect(got).toContainEqual([field, message]);
  });
});
