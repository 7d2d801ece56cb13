import { describe, expect, it } from 'vitest';
import { UnitParseError } from '../units';
import { planRetention } from './plan';
import { parsePolicy, serializePolicy } from './policy';
import { importDonnaRetention, policyFromFlags, presetPolicy, PRESETS } from './presets';
import { D, file, H, MiB, NOW, scanOf } from './test-helpers';

describe('presets', () => {
  it('has the four environments of the mm-bot guide', () => {
    expect(PRESETS.map((p) => [p.id, p.name, p.keepLatest, p.ttlDays, p.maxSizeMb])).toEqual([
      ['local-dev', 'Local Dev', 50, 3, 500],
      ['ci-pr', 'CI PR', 20, 1, 200],
      ['ci-main', 'CI Main', 100, 7, 900],
      ['production', 'Production', 200, 30, 2000],
    ]);
  });

  it('builds the artifact-manager policy', () => {
    expect(presetPolicy('ci-main')).toEqual({
      rules: [
        { id: 'iter-summary', match: '**/ITER_SUMMARY_*.json', keepLatest: 100 },
        { id: 'snapshots', match: 'snapshots/**', compressAfterMs: 7 * D, ttlMs: 14 * D },
        { id: 'logs', match: '**/*.log', ttlMs: 7 * D },
        { id: 'catch-all', match: '**', ttlMs: 7 * D },
      ],
      protect: [{ id: 'rotation-log', match: 'rotation/ROTATION_LOG.jsonl', reason: 'rotation log' }],
      maxSizeBytes: 900 * MiB,
      sizeCapAction: 'warn',
    });
    expect(presetPolicy('production').maxSizeBytes).toBe(2000 * MiB);
    expect(presetPolicy('ci-pr').rules[3]?.ttlMs).toBe(D);
    expect(presetPolicy('local-dev').rules[0]?.keepLatest).toBe(50);
  });

  it('every preset is a valid policy that survives the editor round trip', () => {
    for (const p of PRESETS) {
      const policy = presetPolicy(p.id);
      expect(parsePolicy(serializePolicy(policy))).toEqual({ ok: true, policy });
    }
  });

  it('rejects an unknown preset listing the known ones', () => {
    expect(() => presetPolicy('staging')).toThrow('unknown retention preset "staging" (known: local-dev, ci-pr, ci-main, production)');
  });

  it('plans like the artifact manager on a soak directory', () => {
    const iters = Array.from({ length: 105 }, (_, i) => file(`latest/ITER_SUMMARY_${String(i).padStart(3, '0')}.json`, (200 - i) * H, 1000));
    const scan = scanOf([
      ...iters,
      file('snapshots/freeze_a.json', 8 * D, 10_000),
      file('snapshots/freeze_b.json.tar.gz', 15 * D, 3000),
      file('snapshots/freeze_c.json', D, 10_000),
      file('reports/EDGE_REPORT.log', 8 * D),
      file('reports/TUNING_REPORT.md', 7 * D + 1),
      file('reports/new.md', H),
      file('rotation/ROTATION_LOG.jsonl', 90 * D),
    ]);
    const plan = planRetention(scan, presetPolicy('ci-main'), NOW);
    const rank = plan.actions.filter((a) => a.reasonCode === 'beyond-keep-latest');
    expect(rank.map((a) => a.path)).toEqual(iters.slice(0, 5).map((e) => e.path));
    expect(plan.actions.filter((a) => a.kind === 'compress').map((a) => a.path)).toEqual(['snapshots/freeze_a.json']);
    expect(plan.actions.filter((a) => a.reasonCode === 'older-than-ttl').map((a) => `${a.ruleId}:${a.path}`)).toEqual([
      'snapshots:snapshots/freeze_b.json.tar.gz',
      'logs:reports/EDGE_REPORT.log',
      'catch-all:reports/TUNING_REPORT.md',
    ]);
    expect(plan.kept.find((k) => k.path === 'rotation/ROTATION_LOG.jsonl')?.reasonCode).toBe('protected');
    expect(plan.totals).toMatchObject({ filesToDelete: 8, filesToCompress: 1, maxSizeBytes: 900 * MiB, withinLimit: true });
  });
});

describe('policyFromFlags', () => {
  it('mm-bot flags: artifact-manager rules, cap warns, defaults 7 d / 900 MB / 100', () => {
    expect(policyFromFlags({ ttlDays: 14, maxSizeMb: '1500', keepLatest: '200' })).toEqual({
      ...presetPolicy('ci-main'),
      rules: [
        { id: 'iter-summary', match: '**/ITER_SUMMARY_*.json', keepLatest: 200 },
        { id: 'snapshots', match: 'snapshots/**', compressAfterMs: 14 * D, ttlMs: 28 * D },
        { id: 'logs', match: '**/*.log', ttlMs: 14 * D },
        { id: 'catch-all', match: '**', ttlMs: 14 * D },
      ],
      maxSizeBytes: 1500 * MiB,
    });
    expect(policyFromFlags({})).toEqual(presetPolicy('ci-main'));
    expect(policyFromFlags({ ttlDays: 3 }).maxSizeBytes).toBe(900 * MiB);
  });

  it('rotate_artifacts flags: one catch-all rule, cap evicts oldest', () => {
    expect(policyFromFlags({ days: 7, maxSize: '2G', keep: 100 })).toEqual({
      rules: [{ id: 'catch-all', match: '**', ttlMs: 7 * D, keepLatest: 100 }],
      protect: [{ id: 'rotation-log', match: 'rotation/ROTATION_LOG.jsonl', reason: 'rotation log' }],
      maxSizeBytes: 2 * 1024 ** 3,
      sizeCapAction: 'evict-oldest',
    });
    expect(policyFromFlags({ maxSize: '2G' }).rules).toEqual([]);
    expect(policyFromFlags({ days: '0.5' }).rules[0]?.ttlMs).toBe(12 * H);
  });

  it('rejects mixed families and bad values naming the flag', () => {
    expect(() => policyFromFlags({ ttlDays: 7, days: 7 })).toThrow(/use one family/);
    expect(() => policyFromFlags({ ttlDays: 'x' })).toThrow('--ttl-days: "x" must be a number greater than 0');
    expect(() => policyFromFlags({ keepLatest: -1 })).toThrow(/^--keep-latest: /);
    expect(() => policyFromFlags({ keep: '1.5' })).toThrow(/^--keep: /);
    expect(() => policyFromFlags({ maxSize: '2X' })).toThrow(UnitParseError);
    expect(() => policyFromFlags({ maxSize: 0 })).toThrow(/^--max-size: /);
  });
});

describe('importDonnaRetention', () => {
  const seed = {
    temp_audio: 1800,
    chat_sessions: 1209600,
    user_memory: 5184000,
    logs: 432000,
    cache: 43200,
    temp_files: 900,
    conversations: 1209600,
    generated_pages: 432000,
    api_logs: 432000,
    error_logs: 864000,
  };

  it('makes one rule per data type directory, sorted by name', () => {
    const r = importDonnaRetention(seed);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.policy.rules).toHaveLength(10);
    expect(r.policy.rules[0]).toEqual({ id: 'api_logs', match: 'api_logs/**', ttlMs: 432000 * 1000 });
    expect(r.policy.rules.find((x) => x.id === 'temp_audio')).toEqual({ id: 'temp_audio', match: 'temp_audio/**', ttlMs: 30 * 60 * 1000 });
    expect(r.policy).toMatchObject({ protect: [], sizeCapAction: 'warn' });
    const plan = planRetention(scanOf([file('temp_audio/a.wav', 31 * 60 * 1000), file('logs/x.log', D), file('other/y', 99 * D)]), r.policy, NOW);
    expect(plan.actions.map((a) => `${a.ruleId}:${a.path}`)).toEqual(['temp_audio:temp_audio/a.wav']);
  });

  it('rejects bad shapes, values and names, naming the key', () => {
    for (const bad of [null, [], 'x', 5]) expect(importDonnaRetention(bad)).toMatchObject({ ok: false, errors: [{ path: 'retention.json' }] });
    expect(importDonnaRetention({})).toMatchObject({ ok: false, errors: [{ message: 'has no data types' }] });
    const r = importDonnaRetention({ 'a/b': 1, '..': 1, 'x..y': 1, neg: -5, frac: 1.5, str: '60', zero: 0, 'glob*': 1, ok: 60 });
    if (r.ok) throw new Error('expected errors');
    expect(r.errors.map((e) => e.path).sort()).toEqual(['..', 'a/b', 'frac', 'glob*', 'neg', 'str', 'x..y', 'zero']);
    expect(r.errors.find((e) => e.path === 'neg')?.message).toBe('retention must be a whole number of seconds > 0, got -5');
    expect(r.errors.find((e) => e.path === 'a/b')?.message).toMatch(/not a plain directory name/);
  });
});
