import { describe, expect, it } from 'vitest';
import { decideQuarantine, quarantineReason, type QuarantineState } from './decide';
import type { ResultRow } from './rows';
import { D, failed, flaky, H, NOW, policy, row } from './test-helpers';

const p = policy();
const active: QuarantineState = { status: 'active', since: null, pinned: null, manual: null };
const quarantined = (since: number, over: Partial<QuarantineState> = {}): QuarantineState => ({ status: 'quarantined', since, pinned: null, manual: null, ...over });
const decide = (rows: ResultRow[], now = NOW, state = active, pol = p) => decideQuarantine({ state, rows, now, policy: pol });

describe('decideQuarantine: auto-quarantine', () => {
  it('quarantines at 2 flakes in the window, naming them; 1 flake does nothing', () => {
    const a = flaky({ commit: 'abc1234ffff', variant: 'chromium', at: NOW - 2 * D });
    const b = flaky({ commit: 'def5678eeee', at: NOW - D });
    expect(decide([a])).toEqual({ action: 'none' });
    const d = decide([b, a]);
    expect(d).toEqual({
      action: 'quarantine',
      reason: '2 flakes in 7 days: commits abc1234 (chromium), def5678',
      flakes: [expect.objectContaining({ uploadId: a.uploadId }), expect.objectContaining({ uploadId: b.uploadId })],
    });
  });

  it('two flakes exactly 7 days apart: the older is out at the newer one; 7 days − 1 ms apart: both in', () => {
    expect(decide([flaky({ at: NOW - 7 * D }), flaky({ at: NOW })])).toEqual({ action: 'none' });
    expect(decide([flaky({ at: NOW - 7 * D + 1 }), flaky({ at: NOW })])).toMatchObject({ action: 'quarantine' });
    // The same pair seen from later: in until 1 ms before the older one turns 7 days old.
    const pair = [flaky({ at: NOW - 7 * D + H }), flaky({ at: NOW })];
    expect(decide(pair, NOW + H - 1)).toMatchObject({ action: 'quarantine' });
    expect(decide(pair, NOW + H)).toEqual({ action: 'none' });
  });

  it('ignores rows after now', () => {
    expect(decide([flaky({ at: NOW - H }), flaky({ at: NOW + 1 })])).toEqual({ action: 'none' });
    expect(decide([flaky({ at: NOW - H }), flaky({ at: NOW })])).toMatchObject({ action: 'quarantine' });
  });

  it('counts a re-run across two results as one flake, two variants of one commit as two', () => {
    const rerun = [failed({ commit: 'c1', at: NOW - 2 * H }), row({ commit: 'c1', at: NOW - H })];
    expect(decide(rerun)).toEqual({ action: 'none' });
    const twoVariants = [flaky({ commit: 'abc1234', variant: 'chromium' }), flaky({ commit: 'abc1234', variant: 'firefox' })];
    expect(decide(twoVariants)).toMatchObject({ action: 'quarantine', reason: '2 flakes in 7 days: commits abc1234 (chromium), abc1234 (firefox)' });
  });

  it('infra-upload flakes do not count', () => {
    expect(decide([flaky({ at: NOW - H }), flaky({ at: NOW, infra: true })])).toEqual({ action: 'none' });
  });

  it('never quarantines a pinned test', () => {
    expect(decide([flaky({ at: NOW - H }), flaky()], NOW, { ...active, pinned: 'never' })).toEqual({ action: 'none', held: 'pinned' });
  });

  it('never auto-quarantines a broken test, and does once it recovers', () => {
    const flakes = [flaky({ at: NOW - 5 * H }), flaky({ at: NOW - 4 * H })];
    const failing = [failed({ at: NOW - 3 * H }), failed({ at: NOW - 2 * H }), failed({ at: NOW - H })];
    expect(decide([...flakes, ...failing])).toEqual({ action: 'none', held: 'broken' });
    expect(decide([...flakes, ...failing.slice(1)])).toMatchObject({ action: 'quarantine' });
    expect(decide([...flakes, ...failing, row({ at: NOW })])).toMatchObject({ action: 'quarantine' });
  });

  it('does not count again flakes at or before the last unquarantine', () => {
    const rows = [flaky({ at: NOW - 3 * D }), flaky({ at: NOW - 2 * D }), flaky({ at: NOW - D })];
    expect(decide(rows, NOW, { ...active, since: NOW - 2 * D })).toEqual({ action: 'none' });
    expect(decide(rows, NOW, { ...active, since: NOW - 2 * D - 1 })).toMatchObject({ action: 'quarantine', flakes: [{}, {}] });
  });

  it('follows flakesToQuarantine and windowDays', () => {
    const rows = [flaky({ at: NOW - 10 * D })];
    expect(decide(rows, NOW, active, policy({ flakesToQuarantine: 1 }))).toEqual({ action: 'none' });
    expect(decide(rows, NOW, active, policy({ flakesToQuarantine: 1, windowDays: 11 }))).toMatchObject({
      action: 'quarantine',
      reason: expect.stringMatching(/^1 flake in 11 days: commit c\d{6}$/),
    });
  });
});

describe('decideQuarantine: leaving quarantine', () => {
  const since = NOW - 3 * D;
  const greens = (n: number) => Array.from({ length: n }, (_, i) => row({ at: since + (i + 1) * H }));

  it('9 greens since the quarantine start: nothing; 10: eligible, a person decides', () => {
    expect(decide(greens(9), NOW, quarantined(since))).toEqual({ action: 'none' });
    expect(decide(greens(10), NOW, quarantined(since))).toEqual({ action: 'eligible', streak: 10, reason: '10 consecutive green runs since quarantine: eligible to unquarantine' });
  });

  it('greens before the quarantine start do not count', () => {
    expect(decide([row({ at: since }), ...greens(9)], NOW, quarantined(since))).toEqual({ action: 'none' });
  });

  it('auto-unquarantines when the policy says so, but never a manual quarantine', () => {
    const auto = policy({ autoUnquarantine: true });
    expect(decide(greens(10), NOW, quarantined(since), auto)).toEqual({ action: 'unquarantine', cause: 'greens', reason: '10 consecutive green runs since quarantine (auto-unquarantine is on)' });
    expect(decide(greens(10), NOW, quarantined(since, { manual: { expiresAt: null } }), auto)).toMatchObject({ action: 'eligible', streak: 10 });
  });

  it('lifts a manual quarantine that expires exactly now, not 1 ms before expiry', () => {
    expect(decide([], NOW, quarantined(since, { manual: { expiresAt: NOW } }))).toEqual({ action: 'unquarantine', cause: 'expired', reason: 'manual quarantine expired at 2025-10-15T12:00:00.000Z' });
    expect(decide([], NOW, quarantined(since, { manual: { expiresAt: NOW + 1 } }))).toEqual({ action: 'none' });
    expect(decide([], NOW, quarantined(since, { manual: { expiresAt: null } }))).toEqual({ action: 'none' });
  });

  it('does not quarantine again while quarantined, nor lift a quarantine because of a pin', () => {
    expect(decide([flaky({ at: NOW - H }), flaky()], NOW, quarantined(since, { pinned: 'never' }))).toEqual({ action: 'none' });
  });
});

describe('quarantineReason', () => {
  it('names at most five flakes', () => {
    const flakes = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7'].map((c) => ({ commit: `${c}00000000`, variant: null }));
    expect(quarantineReason(flakes, 7)).toBe('7 flakes in 7 days: commits a100000, b200000, c300000, d400000, e500000 and 2 more');
    expect(quarantineReason([{ commit: null, variant: 'webkit' }], 1)).toBe('1 flake in 1 day: no commit (webkit)')
    expect(quarantineReason([{ commit: 'abc1234ff', variant: null }, { commit: null, variant: null }], 7)).toBe('2 flakes in 7 days: abc1234, no commit');
  });
});
