import { describe, expect, it } from 'vitest';
import { UnitParseError } from '../units';
import { planRetention } from './plan';
import { parsePolicy, serializePolicy } from './policy';
import { importDonnaRetention, policyFromFlags, presetPolicy, PRESETS, protectRotationLog, ROTATION_LOG_PATH, ROTATION_LOG_PREVIOUS_PATH } from './presets';
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

describe('protectRotationLog', () => {
  const base = parsePolicy({ rules: [{ match: '**', ttl: '1d' }] });
  if (!base.ok) throw new Error('bad base policy');

  it('adds the rotation log and its previous generation as protect rules', () => {
    expect(protectRotationLog(base.policy, 'kept by Steward').protect).toStrictEqual([
      { id: 'rotation-log', match: ROTATION_LOG_PATH, reason: 'kept by Steward' },
      { id: 'rotation-log-previous', match: ROTATION_LOG_PREVIOUS_PATH, reason: 'kept by Steward (previous generation)' },
    ]);
    expect(protectRotationLog(base.policy).protect.map((p) => p.reason)).toEqual(['rotation log', 'rotation log (previous generation)']);
    const plan = planRetention(scanOf([file(ROTATION_LOG_PATH, 9 * D), file(ROTATION_LOG_PREVIOUS_PATH, 9 * D), file('x', 9 * D)]), protectRotationLog(base.policy), NOW);
    expect(plan.actions.map((a) => a.path)).toEqual(['x']);
  });

  it('adds only what no protect rule names already, and returns the same policy when nothing is missing', () => {
    const one = { ...base.policy, protect: [{ id: 'mine', match: ROTATION_LOG_PATH }] };
    expect(protectRotationLog(one).protect.map((p) => p.id)).toEqual(['mine', 'rotation-log-previous']);
    const both = protectRotationLog(base.policy);
    expect(protectRotationLog(both)).toBe(both);
    expect(base.policy.protect).toEqual([]); // not mutated
  });
});

describe('policyFromFlags and importDonnaRetention: exact refusals', () => {
  it('refuses blank, zero and negative numbers as strings, naming the flag', () => {
    expect(() => policyFromFlags({ ttlDays: ' ' })).toThrow('--ttl-days: " " must be a number greater than 0');
    expect(() => policyFromFlags({ ttlDays: 0 })).toThrow('--ttl-days: 0 must be a number greater than 0');
    expect(() => policyFromFlags({ maxSizeMb: '0' })).toThrow('--max-size-mb: "0" must be a number greater than 0');
    expect(() => policyFromFlags({ days: ' 2 ' }).rules[0]?.ttlMs).not.toThrow();
    expect(() => policyFromFlags({ days: '' })).toThrow('--days: "" must be a number greater than 0');
    expect(() => policyFromFlags({ keepLatest: ' ' })).toThrow('--keep-latest: " " must be a whole number >= 0');
    expect(() => policyFromFlags({ keep: -1 })).toThrow('--keep: -1 must be a whole number >= 0');
    expect(policyFromFlags({ keep: 0 }).rules[0]?.keepLatest).toBe(0);
    expect(policyFromFlags({ keepLatest: '0' }).rules.length).toBeGreaterThan(0);
    expect(() => policyFromFlags({ maxSize: '0' })).toThrow('--max-size: "0" must be larger than 0');
  });

  it('any one mm-bot flag with any one rotate_artifacts flag is a mix', () => {
    for (const mm of [{ ttlDays: 1 }, { maxSizeMb: 1 }, { keepLatest: 1 }]) for (const rot of [{ days: 1 }, { maxSize: 1 }, { keep: 1 }]) expect(() => policyFromFlags({ ...mm, ...rot })).toThrow('flags: mixes mm-bot flags (--ttl-days, --max-size-mb, --keep-latest) with rotate_artifacts flags (--days, --max-size, --keep); use one family');
  });

  it('a rotate_artifacts rule with only --keep or only --days is kept; only --max-size gives no rule', () => {
    expect(policyFromFlags({ keep: 3 }).rules).toStrictEqual([{ id: 'catch-all', match: '**', keepLatest: 3 }]);
    expect(policyFromFlags({ days: 1 }).rules).toStrictEqual([{ id: 'catch-all', match: '**', ttlMs: D }]);
  });

  it('donna: names with "\\\\" or "size-cap", non-numbers and non-objects are refused with exact messages', () => {
    const r = importDonnaRetention({ 'a\\b': 1, 'size-cap': 60, u: undefined, big: 2 ** 60 });
    if (r.ok) throw new Error('expected errors');
    expect(r.errors).toEqual([
      { path: 'a\\b', message: '"a\\\\b" is not a plain directory name (letters, digits, ".", "_", "-"; no "/" or "..")' },
      { path: 'big', message: `retention must be a whole number of seconds > 0, got ${2 ** 60}` },
      { path: 'size-cap', message: '"size-cap" is reserved; rename the data type' },
      { path: 'u', message: 'retention must be a whole number of seconds > 0, got undefined' },
    ]);
    expect(importDonnaRetention([])).toEqual({ ok: false, errors: [{ path: 'retention.json', message: 'must be an object of "<data_type>": <seconds>, got an array' }] });
    expect(importDonnaRetention('x')).toEqual({ ok: false, errors: [{ path: 'retention.json', message: 'must be an object of "<data_type>": <seconds>, got "x"' }] });
    expect(importDonnaRetention(undefined)).toEqual({ ok: false, errors: [{ path: 'retention.json', message: 'must be an object of "<data_type>": <seconds>, got undefined' }] });
    expect(importDonnaRetention({})).toEqual({ ok: false, errors: [{ path: 'retention.json', message: 'has no data types' }] });
  });
});
