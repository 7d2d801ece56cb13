import { describe, expect, it } from 'vitest';
import { isArchive, planRetention } from './plan';
import { ScanEntriesBuilder, TYPE_FILE } from './scan-entries';
import { D, file, H, NOW, planData, policy, scanOf, shuffled } from './test-helpers';
import type { Plan } from './types';

/** path → "delete:<reasonCode>" / "compress:<reasonCode>" / "keep:<reasonCode>". */
function outcome(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of plan.actions) out[a.path] = `${a.kind}:${a.reasonCode}`;
  for (const k of plan.kept) out[k.path] = `keep:${k.reasonCode}`;
  return out;
}

function checkInvariants(plan: Plan): void {
  const t = plan.totals;
  expect(t.filesScanned).toBe(plan.actions.length + plan.kept.length);
  expect(t.bytesFreed).toBe(plan.actions.reduce((s, a) => s + a.bytesFreed, 0));
  expect(t.bytesAfter).toBe(t.bytesBefore - t.bytesFreed);
  expect(t.filesToDelete + t.filesToCompress).toBe(plan.actions.length);
  expect(new Set([...plan.actions, ...plan.kept].map((x) => x.path)).size).toBe(t.filesScanned);
}

describe('TTL', () => {
  const p = policy({ rules: [{ match: '**', ttl: '7d' }] });

  it('keeps a file exactly TTL old and deletes one 1 ms older', () => {
    const plan = planRetention(scanOf([file('a.json', 7 * D), file('b.json', 7 * D + 1)]), p, NOW);
    expect(outcome(plan)).toEqual({ 'a.json': 'keep:within-ttl', 'b.json': 'delete:older-than-ttl' });
    expect(plan.actions[0]).toMatchObject({ ruleId: 'rule-1', reason: 'older than TTL 7d (age 7d)', bytesFreed: 100 });
    expect(plan.kept[0]?.reason).toBe('within TTL 7d');
    checkInvariants(plan);
  });

  it('shows the age in the reason', () => {
    const plan = planRetention(scanOf([file('old.log', 8 * D + 2 * H + 123)]), p, NOW);
    expect(plan.actions[0]?.reason).toBe('older than TTL 7d (age 8d 2h)');
  });

  it('keeps files dated in the future and warns', () => {
    const plan = planRetention(scanOf([file('f.json', -3 * H)]), p, NOW);
    expect(outcome(plan)).toEqual({ 'f.json': 'keep:within-ttl' });
    expect(plan.warnings.join()).toMatch(/1 file\(s\) have a modification time after now/);
  });
});

describe('keep-latest', () => {
  const p = policy({ rules: [{ match: '**/ITER_SUMMARY_*.json', keepLatest: 3 }] });
  const entries = [1, 2, 3, 4].map((i) => file(`latest/ITER_SUMMARY_${i}.json`, (10 - i) * H));

  it('keeps the N-th newest and deletes the N+1-th', () => {
    const plan = planRetention(scanOf(entries), p, NOW);
    expect(outcome(plan)).toMatchObject({
      'latest/ITER_SUMMARY_4.json': 'keep:among-latest',
      'latest/ITER_SUMMARY_2.json': 'keep:among-latest',
      'latest/ITER_SUMMARY_1.json': 'delete:beyond-keep-latest',
    });
    expect(plan.actions[0]?.reason).toBe('beyond keep-latest 3 (rank 4)');
    expect(plan.kept.find((k) => k.path === 'latest/ITER_SUMMARY_2.json')?.reason).toBe('among latest 3 (rank 3)');
    checkInvariants(plan);
  });

  it('applies TTL and keep-latest as independent filters when a rule has both (rotate_artifacts)', () => {
    const withTtl = policy({ rules: [{ match: '**', keepLatest: 2, ttl: '1d' }] });
    const plan = planRetention(scanOf([file('a', 5 * D), file('b', 6 * D), file('c', 7 * D), file('fresh', H)]), withTtl, NOW);
    // "a" is among the newest 2 but older than the TTL: deleted by the TTL.
    expect(outcome(plan)).toEqual({ fresh: 'keep:among-latest', a: 'delete:older-than-ttl', b: 'delete:beyond-keep-latest', c: 'delete:beyond-keep-latest' });
  });

  it('keeps the newest N at any age when the rule has no TTL', () => {
    const plan = planRetention(scanOf([file('a', 500 * D), file('b', 600 * D), file('c', 700 * D)]), policy({ rules: [{ match: '**', keepLatest: 2 }] }), NOW);
    expect(outcome(plan)).toEqual({ a: 'keep:among-latest', b: 'keep:among-latest', c: 'delete:beyond-keep-latest' });
  });

  it('breaks mtime ties by path, whatever the input order', () => {
    const tie = [file('b.json', H), file('a.json', H), file('c.json', H)];
    const one = policy({ rules: [{ match: '**', keepLatest: 1 }] });
    for (const order of [tie, tie.slice().reverse(), shuffled(tie, 7)]) {
      expect(outcome(planRetention(scanOf(order), one, NOW))).toEqual({ 'a.json': 'keep:among-latest', 'b.json': 'delete:beyond-keep-latest', 'c.json': 'delete:beyond-keep-latest' });
    }
  });

  it('keepLatest 0 deletes every matched file', () => {
    const plan = planRetention(scanOf(entries), policy({ rules: [{ match: '**', keepLatest: 0 }] }), NOW);
    expect(plan.totals.filesToDelete).toBe(4);
  });
});

describe('compress-after', () => {
  const p = policy({ rules: [{ match: 'snapshots/**', compressAfter: '7d', ttl: '30d' }] });

  it('compresses strictly after compressAfter, skips archives, and deletes after the TTL', () => {
    const plan = planRetention(
      scanOf([
        file('snapshots/at.json', 7 * D, 1000),
        file('snapshots/old.json', 7 * D + 1, 1000),
        file('snapshots/old.tar.gz', 8 * D, 1000),
        file('snapshots/OLD.TGZ', 8 * D, 1000),
        file('snapshots/ancient.json', 31 * D, 1000),
      ]),
      p,
      NOW,
    );
    expect(outcome(plan)).toEqual({
      'snapshots/at.json': 'keep:within-ttl',
      'snapshots/old.json': 'compress:compress-after',
      'snapshots/old.tar.gz': 'keep:compressed-already',
      'snapshots/OLD.TGZ': 'keep:compressed-already',
      'snapshots/ancient.json': 'delete:older-than-ttl',
    });
    const c = plan.actions.find((a) => a.kind === 'compress');
    expect(c).toMatchObject({ bytesFreed: 700, reason: 'older than compress-after 7d (age 7d)' });
    expect(plan.totals).toMatchObject({ filesToCompress: 1, filesToDelete: 1, bytesFreed: 1700 });
    checkInvariants(plan);
  });

  it('a compress-only rule keeps young files as not-due', () => {
    const plan = planRetention(scanOf([file('x.json', D)]), policy({ rules: [{ match: '**', compressAfter: '2d' }] }), NOW);
    expect(outcome(plan)).toEqual({ 'x.json': 'keep:not-due' });
  });

  it('uses the compressionSaving option as the estimate', () => {
    const plan = planRetention(scanOf([file('snapshots/a.json', 8 * D, 1000)]), p, NOW, { compressionSaving: 0.6 });
    expect(plan.actions[0]?.bytesFreed).toBe(600);
  });
});

describe('rule precedence and matching', () => {
  it('the first matching rule governs a file', () => {
    const entries = [file('logs/app.log', 2 * D)];
    const logsFirst = policy({ rules: [{ match: 'logs/**', ttl: '1d' }, { match: '**', ttl: '30d' }] });
    const catchAllFirst = policy({ rules: [{ match: '**', ttl: '30d' }, { match: 'logs/**', ttl: '1d' }] });
    expect(planRetention(scanOf(entries), logsFirst, NOW).actions[0]?.ruleId).toBe('rule-1');
    expect(planRetention(scanOf(entries), catchAllFirst, NOW).kept[0]).toMatchObject({ reasonCode: 'within-ttl', ruleId: 'rule-1' });
  });

  it('a bare directory name means everything under it; dotfiles match', () => {
    const p = policy({ rules: [{ match: 'logs', ttl: '1d' }, { match: '**/*.log', ttl: '1d' }] });
    const plan = planRetention(scanOf([file('logs/a/b/c.txt', 2 * D), file('logs', 2 * D), file('logsx/a.txt', 2 * D), file('x/.hidden.log', 2 * D)]), p, NOW);
    expect(outcome(plan)).toEqual({
      'logs/a/b/c.txt': 'delete:older-than-ttl',
      logs: 'delete:older-than-ttl',
      'logsx/a.txt': 'keep:no-rule',
      'x/.hidden.log': 'delete:older-than-ttl',
    });
    expect(plan.actions.find((a) => a.path === 'x/.hidden.log')?.ruleId).toBe('rule-2');
  });

  it('files matched by no rule are kept', () => {
    const plan = planRetention(scanOf([file('other.bin', 100 * D)]), policy({ rules: [{ match: '*.log', ttl: '1d' }] }), NOW);
    expect(plan.kept[0]).toMatchObject({ reasonCode: 'no-rule', reason: 'no rule matches' });
    expect(plan.kept[0]?.ruleId).toBeUndefined();
  });

  it('protect beats TTL and keep-latest deletion', () => {
    const p = policy({ rules: [{ match: '**', ttl: '1d', keepLatest: 1 }], protect: [{ match: 'rotation/ROTATION_LOG.jsonl', reason: 'rotation log' }] });
    const plan = planRetention(scanOf([file('rotation/ROTATION_LOG.jsonl', 400 * D), file('a', H), file('b', 3 * D)]), p, NOW);
    expect(outcome(plan)).toEqual({ 'rotation/ROTATION_LOG.jsonl': 'keep:protected', a: 'keep:among-latest', b: 'delete:beyond-keep-latest' });
    expect(plan.kept.find((k) => k.reasonCode === 'protected')).toMatchObject({ ruleId: 'protect-1', reason: 'protected by protect-1: rotation log' });
  });

  it('never acts on symlinks or other non-regular entries; ignores directories', () => {
    const p = policy({ rules: [{ match: '**', ttl: '1d' }], maxSize: 1, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('link', 100 * D, 50, 'symlink'), file('fifo', 100 * D, 0, 'other'), file('dir', 100 * D, 4096, 'dir')]), p, NOW);
    expect(plan.actions).toEqual([]);
    expect(outcome(plan)).toEqual({ link: 'keep:not-a-regular-file', fifo: 'keep:not-a-regular-file' });
    expect(plan.totals).toMatchObject({ filesScanned: 2, bytesBefore: 0, withinLimit: true });
  });
});

describe('size cap', () => {
  const entries = [file('a', 3 * H, 400), file('b', 2 * H, 300), file('c', 1 * H, 300)];

  it('reaching the cap exactly is within the limit', () => {
    for (const action of ['warn', 'evict-oldest']) {
      const plan = planRetention(scanOf(entries), policy({ rules: [], maxSize: 1000, sizeCapAction: action }), NOW);
      expect(plan.totals).toMatchObject({ bytesAfter: 1000, maxSizeBytes: 1000, withinLimit: true });
      expect(plan.actions).toEqual([]);
      expect(plan.warnings).toEqual([]);
    }
  });

  it('one byte over evicts the oldest file with evict-oldest', () => {
    const plan = planRetention(scanOf(entries), policy({ rules: [], maxSize: 999, sizeCapAction: 'evict-oldest' }), NOW);
    expect(plan.actions).toEqual([expect.objectContaining({ path: 'a', kind: 'delete', ruleId: 'size-cap', reason: 'evicted to meet cap 999 B', bytesFreed: 400 })]);
    expect(plan.totals).toMatchObject({ bytesAfter: 600, withinLimit: true });
    checkInvariants(plan);
  });

  it('one byte over only warns with warn', () => {
    const plan = planRetention(scanOf(entries), policy({ rules: [], maxSize: 999 }), NOW);
    expect(plan.actions).toEqual([]);
    expect(plan.totals.withinLimit).toBe(false);
    expect(plan.warnings[0]).toMatch(/exceeds the cap 999 B by 1 B/);
  });

  it('evicts oldest first, ties by path, until within the cap; skips protected, takes keep-latest', () => {
    const p = policy({ rules: [{ match: '**', keepLatest: 10 }], protect: [{ match: 'keep/**' }], maxSize: 500, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf(shuffled([file('keep/oldest', 9 * D, 300), file('y', 5 * D, 100), file('x', 5 * D, 100), file('z', 4 * D, 100), file('new', H, 100)])), p, NOW);
    expect(plan.actions.map((a) => a.path)).toEqual(['x', 'y']);
    expect(outcome(plan)).toMatchObject({ 'keep/oldest': 'keep:protected', z: 'keep:among-latest', new: 'keep:among-latest' });
    expect(plan.totals).toMatchObject({ bytesAfter: 500, withinLimit: true });
  });

  it('breaks eviction ties on mtime by path and never evicts empty files', () => {
    const p = policy({ rules: [], maxSize: 250, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf(shuffled([file('empty', 9 * D, 0), file('b', 5 * D, 100), file('a', 5 * D, 100), file('c', D, 100)], 3)), p, NOW);
    expect(plan.actions.map((a) => a.path)).toEqual(['a']);
    expect(outcome(plan)).toMatchObject({ empty: 'keep:no-rule', b: 'keep:no-rule' });
  });

  it('applies after rule actions and turns an evicted compression into a delete', () => {
    const p = policy({ rules: [{ match: 'old/**', ttl: '1d' }, { match: 'snap/**', compressAfter: '1d' }], maxSize: 350, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('old/a', 9 * D, 500), file('snap/s', 8 * D, 1000), file('new', H, 300)]), p, NOW);
    // 1800 - 500 (ttl) - 700 (compress estimate) = 600 > 350: evict snap/s (oldest remaining) → 300.
    expect(outcome(plan)).toEqual({ 'old/a': 'delete:older-than-ttl', 'snap/s': 'delete:evicted-for-cap', new: 'keep:no-rule' });
    expect(plan.actions.find((a) => a.path === 'snap/s')).toMatchObject({ kind: 'delete', bytesFreed: 1000 });
    expect(plan.totals).toMatchObject({ bytesFreed: 1500, bytesAfter: 300, filesToCompress: 0, filesToDelete: 2 });
    checkInvariants(plan);
  });

  it('warns when protected files alone exceed the cap', () => {
    const p = policy({ rules: [], protect: [{ match: 'big' }], maxSize: 100, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('big', D, 1000), file('small', 2 * D, 10)]), p, NOW);
    expect(outcome(plan)).toEqual({ big: 'keep:protected', small: 'delete:evicted-for-cap' });
    expect(plan.totals.withinLimit).toBe(false);
    expect(plan.warnings[0]).toMatch(/protected files alone/);
  });

  it('has no limit without a cap', () => {
    const plan = planRetention(scanOf(entries), policy({ rules: [] }), NOW);
    expect(plan.totals).toMatchObject({ maxSizeBytes: null, withinLimit: true });
  });
});

describe('determinism and ordering', () => {
  const p = policy({
    rules: [{ match: '**/ITER_SUMMARY_*.json', keepLatest: 5 }, { match: 'snapshots/**', compressAfter: '2d', ttl: '10d' }, { match: '**', ttl: '3d' }],
    protect: [{ match: 'rotation/ROTATION_LOG.jsonl' }],
    maxSize: 3000,
    sizeCapAction: 'evict-oldest',
  });
  const entries = Array.from({ length: 60 }, (_, i) => {
    const dir = ['latest', 'snapshots', 'logs'][i % 3];
    const name = dir === 'latest' ? `ITER_SUMMARY_${i}.json` : `f${i}.json`;
    return file(`${dir}/${name}`, (i % 7) * D + (i % 2) * H, 50 + i);
  }).concat([file('rotation/ROTATION_LOG.jsonl', 50 * D, 10), file('l', D, 1, 'symlink')]);

  it('gives the identical plan for shuffled input', () => {
    const base = planRetention(scanOf(entries), p, NOW);
    for (const seed of [1, 2, 3]) expect(planData(planRetention(scanOf(shuffled(entries, seed)), p, NOW))).toEqual(planData(base));
    checkInvariants(base);
  });

  it('orders actions by kind, rule order, then path; kept by path', () => {
    const plan = planRetention(scanOf(entries), p, NOW);
    const kinds = plan.actions.map((a) => a.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => (a === b ? 0 : a === 'delete' ? -1 : 1)));
    const ruleOrder = ['rule-1', 'rule-2', 'rule-3', 'size-cap'];
    const deletes = plan.actions.filter((a) => a.kind === 'delete');
    const keyOf = (a: (typeof deletes)[number]) => ruleOrder.indexOf(a.ruleId);
    for (let i = 1; i < deletes.length; i++) {
      const [prev, cur] = [deletes[i - 1], deletes[i]];
      if (!prev || !cur) continue;
      expect(keyOf(prev) < keyOf(cur) || (keyOf(prev) === keyOf(cur) && prev.path < cur.path)).toBe(true);
    }
    const keptPaths = plan.kept.map((k) => k.path);
    expect(keptPaths).toEqual([...keptPaths].sort());
  });

  it('sorts sorted, nearly sorted and shuffled scans (with duplicates) to the same plan', () => {
    const p2 = policy({ rules: [{ match: '**', keepLatest: 40, ttl: '2d' }], maxSize: 5000, sizeCapAction: 'evict-oldest' });
    const sorted = Array.from({ length: 100 }, (_, i) => file(`d${String(i).padStart(3, '0')}/f.json`, (i % 9) * 7 * H, 60 + i));
    const dup = file('d050/f.json', 0, 1);
    const withDup = [...sorted.slice(0, 51), dup, ...sorted.slice(51)];
    const nearly = withDup.slice();
    [nearly[10], nearly[11]] = [nearly[11] as (typeof nearly)[number], nearly[10] as (typeof nearly)[number]];
    const base = planRetention(scanOf(withDup), p2, NOW);
    expect(base.kept.find((k) => k.path === 'd050/f.json')?.size ?? base.actions.find((a) => a.path === 'd050/f.json')?.size).toBe(1);
    expect(base.warnings[0]).toMatch(/^1 duplicate path/);
    const mixed = [...withDup.slice(52).reverse(), ...withDup.slice(0, 52)]; // original before its duplicate
    for (const order of [nearly, shuffled(withDup, 9), withDup.slice().reverse(), mixed]) expect(planData(planRetention(scanOf(order), p2, NOW))).toEqual(planData(base));
    checkInvariants(base);
  });

  it('uses the newest entry of a duplicated path and warns', () => {
    const plan = planRetention(scanOf([file('a', 5 * D), file('a', H)]), policy({ rules: [{ match: '**', ttl: '1d' }] }), NOW);
    expect(outcome(plan)).toEqual({ a: 'keep:within-ttl' });
    expect(plan.warnings[0]).toMatch(/duplicate/);
  });

  it('reports unreadable entries as a warning', () => {
    const plan = planRetention(scanOf([], [{ path: 'x', message: 'EACCES' }]), policy({ rules: [] }), NOW);
    expect(plan.warnings).toEqual(['1 entry could not be read and was left alone']);
  });
});

describe('plan access', () => {
  it('eachAction and eachKept yield, one object at a time, exactly what actions and kept hold', () => {
    const p = policy({ rules: [{ match: 'logs', ttl: '1d', compressAfter: '1h' }, { match: '**', keepLatest: 1 }], maxSize: 250, sizeCapAction: 'evict-oldest' });
    const scan = scanOf(shuffled([file('logs/a.log', 2 * D), file('logs/b.log', 2 * H), file('logs/c.log', 10), file('x', 3 * H), file('y', 2 * H), file('z', H)]));
    const lazy = planRetention(scan, p, NOW);
    const actions = [...lazy.eachAction()];
    const kept = [...lazy.eachKept()];
    expect(actions.map((a) => `${a.kind}:${a.path}`)).toEqual(['delete:logs/a.log', 'delete:x', 'delete:y', 'compress:logs/b.log']);
    expect(kept.map((k) => k.path)).toEqual(['logs/c.log', 'z']);
    expect([lazy.actionCount, lazy.keptCount]).toEqual([4, 2]);
    expect(lazy.totals).toMatchObject({ filesToDelete: 3, filesToCompress: 1, filesScanned: 6 });
    // The arrays, built on first read, equal what the iterators gave, and are cached.
    expect(lazy.actions).toEqual(actions);
    expect(lazy.kept).toEqual(kept);
    expect(lazy.actions).toBe(lazy.actions);
    expect(planData(planRetention(scan, p, NOW))).toEqual(planData(lazy));
  });
});

describe('mutation-testing kills (deletion safety)', () => {
  it('evict-oldest without a maxSize evicts nothing', () => {
    const p = policy({ rules: [{ match: 'old/**', ttl: '30d' }], sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('old/a', 3 * D, 500), file('b', 9 * D, 500)]), p, NOW);
    expect(plan.actions).toEqual([]);
    expect(plan.totals).toMatchObject({ maxSizeBytes: null, withinLimit: true, bytesAfter: 1000 });
    expect(plan.warnings).toEqual([]);
  });

  it('eviction never takes a symlink or other non-file, even when the cap cannot be met', () => {
    const p = policy({ rules: [], maxSize: 1, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('link', 9 * D, 50, 'symlink'), file('fifo', 8 * D, 0, 'other'), file('a', D, 100)]), p, NOW);
    expect(outcome(plan)).toEqual({ link: 'keep:not-a-regular-file', fifo: 'keep:not-a-regular-file', a: 'delete:evicted-for-cap' });
    expect(plan.totals).toMatchObject({ bytesBefore: 100, bytesFreed: 100, bytesAfter: 0, withinLimit: true });
    checkInvariants(plan);
  });

  it('a file already deleted beyond keep-latest is not evicted again (nor counted twice)', () => {
    const p = policy({ rules: [{ match: 'r/**', keepLatest: 1 }], maxSize: 150, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('r/old', 9 * D, 100), file('r/new', D, 100), file('x', 2 * D, 100)]), p, NOW);
    // 300 - 100 (rank) = 200 > 150: evict x (the oldest candidate; r/old is already deleted).
    expect(outcome(plan)).toEqual({ 'r/old': 'delete:beyond-keep-latest', 'r/new': 'keep:among-latest', x: 'delete:evicted-for-cap' });
    expect(plan.totals).toMatchObject({ bytesFreed: 200, bytesAfter: 100, withinLimit: true });
    checkInvariants(plan);
  });

  it('evicting every candidate and still over the cap reports the real bytes after (not NaN)', () => {
    const p = policy({ rules: [], protect: [{ match: 'big' }], maxSize: 100, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('big', D, 1000), file('s1', 2 * D, 10), file('s2', 3 * D, 10)]), p, NOW);
    expect(plan.totals).toMatchObject({ bytesFreed: 20, bytesAfter: 1000, withinLimit: false });
    expect(plan.warnings).toEqual(['1000 B after evicting every unprotected file still exceeds the cap 100 B: protected files alone are over it']);
  });

  it('a file dated exactly now is not "in the future"; a clean scan has no warnings', () => {
    const p = policy({ rules: [{ match: '**', ttl: '7d' }] });
    const plan = planRetention(scanOf([file('now.json', 0), file('old.json', D)]), p, NOW);
    expect(plan.warnings).toEqual([]);
  });

  it('says how many entries could not be read (one or several)', () => {
    const p = policy({ rules: [] });
    const one = planRetention(scanOf([file('a', D)], [{ path: 'x', message: 'EACCES' }]), p, NOW);
    expect(one.warnings).toEqual(['1 entry could not be read and was left alone']);
    const two = planRetention(scanOf([file('a', D)], [{ path: 'x', message: 'EACCES' }, { path: 'y', message: 'EIO' }]), p, NOW);
    expect(two.warnings).toEqual(['2 entries could not be read and were left alone']);
  });

  it('a rule with no ttl, compressAfter or keepLatest keeps its files as "no-action"', () => {
    const p = policy({ rules: [{ match: 'a/**', ttl: '1d' }] });
    const q = { ...p, rules: [{ ...p.rules[0]!, ttlMs: undefined }] };
    const plan = planRetention(scanOf([file('a/x', 9 * D)]), q, NOW);
    expect(outcome(plan)).toEqual({ 'a/x': 'keep:no-action' });
  });
});

describe('isArchive', () => {
  it('recognises short archive names too (the check looks at the last 8 characters)', () => {
    expect(isArchive('a.gz')).toBe(true);
    expect(isArchive('x.Tgz')).toBe(true);
    expect(isArchive('logs/run-1.TAR.GZ')).toBe(true);
    expect(isArchive('a.gzip')).toBe(false);
    expect(isArchive('gz')).toBe(false);
  });
});

describe('plan output (mutation-testing kills)', () => {
  it('gives every kept file its exact reason and rule', () => {
    const p = policy({
      rules: [
        { id: 'ttl', match: 't/**', ttl: '7d' },
        { id: 'ca', match: 'c/**', compressAfter: '2d' },
        { id: 'top', match: 'l/**', keepLatest: 2 },
      ],
      protect: [{ id: 'keep', match: 'k/**', reason: 'audit' }, { id: 'bare', match: 'b/**' }],
    });
    const q = { ...p, rules: [...p.rules, { id: 'none', match: 'n/**' }] };
    const plan = planRetention(scanOf([file('k/a', D), file('b/a', D), file('s', D, 1, 'symlink'), file('o', D, 1, 'other'), file('x', D), file('t/a', D), file('c/new', D), file('c/old.gz', 3 * D), file('l/a', D), file('n/a', D)]), q, NOW);
    expect(Object.fromEntries(plan.kept.map((k) => [k.path, [k.reasonCode, k.reason, k.ruleId ?? null]]))).toStrictEqual({
      'k/a': ['protected', 'protected by keep: audit', 'keep'],
      'b/a': ['protected', 'protected by bare: b/**', 'bare'],
      s: ['not-a-regular-file', 'symlink, never acted on', null],
      o: ['not-a-regular-file', 'not a regular file, never acted on', null],
      x: ['no-rule', 'no rule matches', null],
      't/a': ['within-ttl', 'within TTL 7d', 'ttl'],
      'c/new': ['not-due', 'not older than compress-after 2d', 'ca'],
      'c/old.gz': ['compressed-already', 'already compressed', 'ca'],
      'l/a': ['among-latest', 'among latest 2 (rank 1)', 'top'],
      'n/a': ['no-action', 'rule has no ttl, keepLatest or compressAfter', 'none'],
    });
  });

  it('an evicted file governed by a rule is a size-cap delete, ordered after the rules\' deletes, carrying the planned identity', () => {
    const p = policy({ rules: [{ id: 'r', match: '**', keepLatest: 1 }], maxSize: 150, sizeCapAction: 'evict-oldest' });
    const b = new ScanEntriesBuilder();
    b.push('a', 100, NOW - 3 * D, TYPE_FILE, 11, 1.5);
    b.push('b', 100, NOW - 2 * D, TYPE_FILE, 12, 2.5);
    b.push('c', 100, NOW - D, TYPE_FILE, 13, 3.5);
    const plan = planRetention({ root: '/r', entries: b.finish(true), errors: [] }, p, NOW);
    // keep-latest 1 deletes a and b (rule r); 100 bytes left ≤ 150, so nothing is evicted…
    expect(plan.actions.map((a) => [a.path, a.ruleId, a.reasonCode, a.ino, a.ctimeMs])).toEqual([
      ['a', 'r', 'beyond-keep-latest', 11, 1.5],
      ['b', 'r', 'beyond-keep-latest', 12, 2.5],
    ]);
    // …with a cap of 50 the kept newest one is evicted too, last, as "size-cap".
    const tight = planRetention({ root: '/r', entries: b.finish(true), errors: [] }, { ...p, maxSizeBytes: 50 }, NOW);
    expect(tight.actions.map((a) => [a.path, a.ruleId, a.reasonCode, a.reason, a.ino])).toEqual([
      ['a', 'r', 'beyond-keep-latest', 'beyond keep-latest 1 (rank 3)', 11],
      ['b', 'r', 'beyond-keep-latest', 'beyond keep-latest 1 (rank 2)', 12],
      ['c', 'size-cap', 'evicted-for-cap', 'evicted to meet cap 50 B', 13],
    ]);
  });

  it('orders deletes by rule (size-cap last), then compressions by rule, path order inside each', () => {
    const p = policy({ rules: [{ id: 'one', match: 'one/**', ttl: '1d', compressAfter: '1h' }, { id: 'two', match: 'two/**', ttl: '1d', compressAfter: '1h' }], maxSize: 1, sizeCapAction: 'evict-oldest' });
    const plan = planRetention(scanOf([file('two/z', 2 * D), file('two/a', 2 * D), file('one/z', 2 * D), file('one/c', 2 * H), file('two/c', 2 * H), file('free', 9 * D, 50), file('free2', 8 * D, 50)]), p, NOW);
    expect(plan.actions.map((a) => `${a.kind}:${a.ruleId}:${a.path}`)).toEqual([
      'delete:one:one/z',
      'delete:two:two/a',
      'delete:two:two/z',
      'delete:size-cap:free',
      'delete:size-cap:free2',
      'delete:size-cap:one/c',
      'delete:size-cap:two/c',
    ]);
    const loose = planRetention(scanOf([file('two/c', 2 * H), file('one/c', 2 * H), file('two/b', 2 * H)]), { ...p, maxSizeBytes: undefined }, NOW);
    expect(loose.actions.map((a) => `${a.kind}:${a.ruleId}:${a.path}:${a.reason}`)).toEqual([
      'compress:one:one/c:older than compress-after 1h (age 2h)',
      'compress:two:two/b:older than compress-after 1h (age 2h)',
      'compress:two:two/c:older than compress-after 1h (age 2h)',
    ]);
  });
});
