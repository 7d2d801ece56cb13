import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRoot } from '@/lib/services/retention/remove-root';
import { registerRoot, updateRoot } from '@/lib/services/retention/roots';
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
    expect(sched.details).toEqual([{ field: 'schedule', message: '"every tuesday" has 2 fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"' }]);
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

  it('stores the real path of a symlink that stays inside the base, refuses duplicates, and removes without touching files', async () => {
    const real = path.join(base, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'a.log'), 'a');
    fs.symlinkSync(real, path.join(base, 'alias'));
    const root = await register(path.join(base, 'alias'), 'aliased');
    expect(root).toMatchObject({ path: real, presetId: 'ci-main', policyVersion: 1, scheduleMode: 'approve', writeRotationLog: true });
    expect((root.policy as { rules: { id: string }[] }).rules.map((r) => r.id)).toEqual(['iter-summary', 'snapshots', 'logs', 'catch-all']);

    await expectServiceError(register(real, 'aliased'), 'conflict', /A root named "aliased" already exists/);
    await expectServiceError(register(real, 'other'), 'conflict', /is already registered as "aliased"/);

    await removeRoot(h.db, op, root.id);
    expect(fs.readFileSync(path.join(real, 'a.log'), 'utf8')).toBe('a');
    const audit = await h.db.auditEvent.findMany({ where: { targetId: root.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['retention.root.create', 'retention.root.delete']);
    await expectServiceError(removeRoot(h.db, op, root.id), 'not_found');
  });

});

describe('overlapping roots', () => {
  it('refuses a root inside or around a registered one, naming it; siblings that share a prefix are fine', async () => {
    const outer = path.join(base, 'ov', 'a');
    fs.mkdirSync(path.join(outer, 'b', 'c'), { recursive: true });
    fs.mkdirSync(path.join(base, 'ov', 'ab'));
    fs.mkdirSync(path.join(base, 'ov', 'a-b'));
    await register(path.join(outer, 'b'), 'middle');
    const inside = await expectServiceError(register(path.join(outer, 'b', 'c'), 'inner'), 'conflict');
    expect(inside.message).toBe(`${path.join(outer, 'b', 'c')} is inside root "middle" (${path.join(outer, 'b')}); two roots may not cover the same files`);
    expect(inside.details).toEqual([{ field: 'path', message: inside.message }]);
    await expectServiceError(register(outer, 'outer'), 'conflict', new RegExp(`^${outer.replace(/[/.]/g, '\\$&')} contains root "middle"`));
    // Path-segment aware: /ov/ab and /ov/a-b are neither inside /ov/a nor around it.
    await register(path.join(base, 'ov', 'ab'), 'ab');
    await register(path.join(base, 'ov', 'a-b'), 'a-b');
    // Real paths are compared: a symlink that leads inside a root is refused too.
    fs.symlinkSync(path.join(outer, 'b', 'c'), path.join(base, 'ov', 'alias-c'));
    await expectServiceError(register(path.join(base, 'ov', 'alias-c'), 'alias'), 'conflict', /is inside root "middle"/);
    expect((await h.db.artifactRoot.findMany({ where: { path: { startsWith: path.join(base, 'ov') } } })).map((r) => r.name).sort()).toEqual(['a-b', 'ab', 'middle']);
  });

  it('two overlapping registrations at the same time: exactly one passes', async () => {
    // Without the transaction lock both read "no overlap" and both insert (different paths, so no
    // unique constraint catches it). Several pairs make the race near-certain without the lock.
    for (let i = 0; i < 6; i++) {
      const outer = path.join(base, 'race', `p${i}`);
      fs.mkdirSync(path.join(outer, 'inner'), { recursive: true });
      const results = await Promise.allSettled([register(outer, `race-outer-${i}`), register(path.join(outer, 'inner'), `race-inner-${i}`)]);
      expect(results.filter((r) => r.status === 'fulfilled'), 'one registration of the pair').toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason.message).toMatch(/(is inside|contains) root "race-(outer|inner)-\d"/);
    }
  });
});

describe('schedules', () => {
  it.each([
    ['61 * * * *', '"61 * * * *": minute must be 0–59'],
    ['0 0 30 2 *', '"0 0 30 2 *" never fires: no date matches it (e.g. 30 February)'],
  ])('refuses %s with Steward\'s message naming the field, on register and on update', async (schedule, message) => {
    const dir = path.join(base, `sched-${Buffer.from(schedule).toString('hex')}`);
    fs.mkdirSync(dir);
    const reg = await expectServiceError(registerRoot(h.db, op, { name: `s-${Buffer.from(schedule).toString('hex')}`, path: dir, schedule }, { allowedBases: [base] }), 'invalid');
    expect(reg.details).toEqual([{ field: 'schedule', message }]);
    expect(reg.message).toBe(`schedule: ${message}`);
    expect(reg.message).not.toMatch(/CronPattern/);
    const root = await registerRoot(h.db, op, { name: `ok-${Buffer.from(schedule).toString('hex')}`, path: dir }, { allowedBases: [base] });
    const upd = await expectServiceError(updateRoot(h.db, op, { rootId: root.id, schedule }), 'invalid');
    expect(upd.details).toEqual([{ field: 'schedule', message }]);
  });
});
