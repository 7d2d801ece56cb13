import { describe, expect, it } from 'vitest';
import { planRetention } from './plan';
import { summarizePlanByRule } from './summary';
import { D, file, H, NOW, policy, scanOf } from './test-helpers';

describe('summarizePlanByRule', () => {
  it('groups actions by kind, rule and reason, then kept files by reason', () => {
    const p = policy({
      rules: [{ id: 'iter', match: 'iter/**', keepLatest: 1 }, { id: 'snap', match: 'snap/**', compressAfter: '1d' }, { id: 'all', match: '**', ttl: '2d' }],
      protect: [{ id: 'log', match: 'rotation.jsonl' }],
      maxSize: 1200,
      sizeCapAction: 'evict-oldest',
    });
    const plan = planRetention(
      scanOf([
        file('iter/1', 3 * H, 100),
        file('iter/2', 2 * H, 100),
        file('iter/3', 1 * H, 100),
        file('snap/a', 2 * D, 1000),
        file('old1', 3 * D, 10),
        file('old2', 4 * D, 20),
        file('new', H, 300),
        file('rotation.jsonl', 30 * D, 50),
        file('link', 9 * D, 5, 'symlink'),
      ]),
      p,
      NOW,
    );
    const groups = summarizePlanByRule(plan);
    expect(groups.map((g) => [g.kind, g.ruleId, g.reasonCode, g.reasonPrefix, g.count, g.bytes, g.bytesFreed])).toEqual([
      ['delete', 'iter', 'beyond-keep-latest', 'beyond keep-latest 1', 2, 200, 200],
      ['delete', 'all', 'older-than-ttl', 'older than TTL 2d', 2, 30, 30],
      ['compress', 'snap', 'compress-after', 'older than compress-after 1d', 1, 1000, 700],
      ['keep', 'iter', 'among-latest', 'among latest 1', 1, 100, 0],
      ['keep', null, 'not-a-regular-file', 'symlink, never acted on', 1, 5, 0],
      ['keep', 'log', 'protected', 'protected by log: rotation.jsonl', 1, 50, 0],
      ['keep', 'all', 'within-ttl', 'within TTL 2d', 1, 300, 0],
    ]);
    const freed = groups.reduce((s, g) => s + g.bytesFreed, 0);
    expect(freed).toBe(plan.totals.bytesFreed);
    expect(groups.filter((g) => g.kind !== 'keep').reduce((s, g) => s + g.count, 0)).toBe(plan.actions.length);
  });
});

describe('summarizePlanByRule: kept groups (mutation-testing kills)', () => {
  it('keeps one group per (reason, rule), counting every file', () => {
    const p = policy({ rules: [{ id: 'a', match: 'a/**', ttl: '7d' }, { id: 'b', match: 'b/**', ttl: '7d' }] });
    const plan = planRetention(scanOf([file('a/1', D, 10), file('a/2', D, 20), file('b/1', D, 5), file('x', D, 1), file('y', D, 2)]), p, NOW);
    expect(summarizePlanByRule(plan).map((g) => [g.kind, g.ruleId, g.reasonCode, g.reasonPrefix, g.count, g.bytes])).toEqual([
      ['keep', null, 'no-rule', 'no rule matches', 2, 3],
      ['keep', 'a', 'within-ttl', 'within TTL 7d', 2, 30],
      ['keep', 'b', 'within-ttl', 'within TTL 7d', 1, 5],
    ]);
  });
});
