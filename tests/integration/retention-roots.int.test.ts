import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRotationReport, rotationReportSchema } from '@/lib/services/retention/reports';
import { deleteRoot, registerRoot } from '@/lib/services/retention/roots';
import { createTestDb, type TestDb } from './helpers';
import { cleanupDirs, expectServiceError, makeDir, op } from './retention-helpers';

let h: TestDb;
let base: string;
let outside: string;
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
  outside = makeDir('ret-outside-');
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const register = (p: string, name = `root-${path.basename(p)}`) => registerRoot(h.db, op, { name, path: p, presetId: 'ci-main' }, { allowedBases: [base] });

describe('registerRoot', () => {
  it.each([
    ['the filesystem root', () => '/', /"\/" is the filesystem root/],
    ['/etc', () => '/etc', /is a system directory \(\/etc\)/],
    ['a path outside the allowed bases', () => outside, /is not inside an allowed base/],
    ['a path that does not exist', () => path.join(base, 'missing'), /does not exist/],
    ['a file', () => (fs.writeFileSync(path.join(base, 'plain-file'), 'x'), path.join(base, 'plain-file')), /is not a directory/],
    ['a symlink inside the base pointing outside it', () => (fs.symlinkSync(outside, path.join(base, 'escape')), path.join(base, 'escape')), /\(real path ".*"\) is not inside an allowed base/],
  ])('refuses %s as invalid on field "path"', async (_what, make, re) => {
    const err = await expectServiceError(register(make()), 'invalid');
    expect(err.details).toHaveLength(1);
    expect(err.details![0]!.field).toBe('path');
    expect(err.details![0]!.message).toMatch(re);
  });

  it('refuses relative paths and a bad schedule as invalid fields; nothing is stored for refused roots', async () => {
    const rel = await expectServiceError(register('relative/dir'), 'invalid');
    expect(rel.details).toEqual([{ field: 'path', message: 'must be an absolute path' }]);
    fs.mkdirSync(path.join(base, 'sched'));
    const sched = await expectServiceError(
      registerRoot(h.db, op, { name: 'sched', path: path.join(base, 'sched'), schedule: 'every tuesday' }, { allowedBases: [base] }),
      'invalid',
    );
    expect(sched.details![0]!.field).toBe('schedule');
    const tz = await expectServiceError(
      registerRoot(h.db, op, { name: 'tz', path: path.join(base, 'sched'), schedule: '0 3 * * *', timezone: 'Mars/Olympus_Mons' }, { allowedBases: [base] }),
      'invalid',
    );
    expect(tz.details).toEqual([{ field: 'timezone', message: 'is not an IANA time zone (e.g. UTC, Europe/Berlin)' }]);
    const pol = await expectServiceError(
      registerRoot(h.db, op, { name: 'pol', path: path.join(base, 'sched'), policy: { rules: [{ match: '**', ttl: 0 }] } }, { allowedBases: [base] }),
      'invalid',
    );
    expect(pol.details![0]!.field).toBe('policy.rules[0].ttl');
    expect(await h.db.artifactRoot.count({ where: { OR: [{ name: { in: ['sched', 'tz', 'pol'] } }, { path: { startsWith: path.join(base, 'sched') } }] } })).toBe(0);
  });

  it('stores the real path of a symlink that stays inside the base, refuses duplicates, and deletes without touching files', async () => {
    const real = path.join(base, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'a.log'), 'a');
    fs.symlinkSync(real, path.join(base, 'alias'));
    const root = await register(path.join(base, 'alias'), 'aliased');
    expect(root).toMatchObject({ path: real, presetId: 'ci-main', policyVersion: 1, scheduleMode: 'approve', writeRotationLog: true });
    expect((root.policy as { rules: { id: string }[] }).rules.map((r) => r.id)).toEqual(['iter-summary', 'snapshots', 'logs', 'catch-all']);

    await expectServiceError(register(real, 'aliased'), 'conflict', /A root named "aliased" already exists/);
    await expectServiceError(register(real, 'other'), 'conflict', /is already registered as "aliased"/);

    await deleteRoot(h.db, op, root.id);
    expect(fs.readFileSync(path.join(real, 'a.log'), 'utf8')).toBe('a');
    const audit = await h.db.auditEvent.findMany({ where: { targetId: root.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['retention.root.create', 'retention.root.delete']);
    await expectServiceError(deleteRoot(h.db, op, root.id), 'not_found');
  });

  it('refuses to delete a root while a cleanup holds its lease', async () => {
    fs.mkdirSync(path.join(base, 'busy'));
    const root = await register(path.join(base, 'busy'));
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: 'p', executionHeartbeat: new Date() } });
    await expectServiceError(deleteRoot(h.db, op, root.id), 'conflict', /is being cleaned up right now/);
  });
});

describe('ingestRotationReport', () => {
  const record = {
    timestamp: '2026-03-01T12:34:56Z',
    rotation: { deleted: 12, kept: 30 },
    compression: { compressed: 3, total_reduction_kb: 512.5 },
    disk_usage: { size_mb: 420.25, within_limit: true },
    steward: { bytes_freed: 9_000_000, failures: 1, skipped: 2, duration_ms: 1500 },
  };

  it('stores a runner report as an unlinked cli run plus a disk sample, and audits it', async () => {
    const report = rotationReportSchema.parse({ host: 'ci-runner-7', path: '/srv/artifacts', record, disk: { root_bytes: 440_664_064, file_count: 42, fs_bytes: 1e11, fs_free: 4e10 } });
    const { id } = await ingestRotationReport(h.db, op, report);
    const run = await h.db.rotationRun.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({
      rootId: null, planId: null, host: 'ci-runner-7', rootPath: '/srv/artifacts', source: 'cli', dryRun: false,
      deleted: 12, kept: 30, compressed: 3, totalReductionKb: 512.5, sizeMb: 420.25, withinLimit: true,
      bytesFreed: 9_000_000n, failures: 1, skipped: 2, durationMs: 1500, executedBy: 'op@test', approvedBy: null,
    });
    expect(run.timestamp.toISOString()).toBe('2026-03-01T12:34:56.000Z');
    const samples = await h.db.diskUsageSample.findMany({ where: { host: 'ci-runner-7' } });
    expect(samples.map((s) => [s.rootId, s.rootPath, s.at.toISOString(), Number(s.rootBytes), s.fileCount, Number(s.fsBytes), Number(s.fsFree)])).toEqual([
      [null, '/srv/artifacts', '2026-03-01T12:34:56.000Z', 440_664_064, 42, 1e11, 4e10],
    ]);
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { targetId: id } });
    expect(audit).toMatchObject({ action: 'retention.report', targetType: 'rotation-run', summary: 'ci-runner-7:/srv/artifacts reported a rotation: 12 deleted, 3 compressed, 420.3 MB' });
  });

  it('links a "server" report to the registered root at that path; no disk block means no sample', async () => {
    fs.mkdirSync(path.join(base, 'srv'));
    const root = await register(path.join(base, 'srv'));
    const { id } = await ingestRotationReport(h.db, op, rotationReportSchema.parse({ host: 'server', path: root.path, dry_run: true, record: { ...record, steward: undefined } }));
    expect(await h.db.rotationRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ rootId: root.id, dryRun: true, bytesFreed: 0n, failures: 0, skipped: 0, durationMs: 0 });
    expect(await h.db.diskUsageSample.count({ where: { rootPath: root.path } })).toBe(0);
    const other = await ingestRotationReport(h.db, op, rotationReportSchema.parse({ host: 'elsewhere', path: root.path, record }));
    expect((await h.db.rotationRun.findUniqueOrThrow({ where: { id: other.id } })).rootId).toBeNull();
  });
});
