import { describe, expect, it } from 'vitest';
import { brokenState, greenStreak } from './streaks';
import type { ResultRow } from './rows';
import { failed, flaky, H, NOW, policy, row } from './test-helpers';

const p = policy();

/** Rows one hour apart, oldest first, ending at NOW. */
function series(...rows: ResultRow[]): ResultRow[] {
  return rows.map((r, i) => ({ ...r, at: NOW - (rows.length - 1 - i) * H }));
}
const greens = (n: number, over: Partial<ResultRow> = {}) => Array.from({ length: n }, () => row(over));

describe('brokenState', () => {
  it('is broken after exactly N failing runs, not after N − 1', () => {
    expect(brokenState(series(row(), failed(), failed()), p)).toMatchObject({ broken: false, since: null });
    const rows = series(row(), failed(), failed({ outcome: 'error' }), failed());
    expect(brokenState(rows, p)).toEqual({
      broken: true,
      since: NOW - 2 * H,
      branches: [{ branch: 'main', broken: true, since: NOW - 2 * H, failing: 3 }],
    });
  });

  it('a flaky result among the last N means not broken', () => {
    expect(brokenState(series(failed(), flaky(), failed(), failed()), p).broken).toBe(false);
  });

  it('recovers when a later result passes', () => {
    const s = brokenState(series(failed(), failed(), failed(), row()), p);
    expect(s).toMatchObject({ broken: false, since: null, branches: [{ branch: 'main', broken: false, failing: 0, since: null }] });
    expect(brokenState(series(failed(), failed(), failed(), flaky()), p).broken).toBe(false);
  });

  it('skipped, infra and synthetic rows neither count nor recover', () => {
    const s = brokenState(series(failed(), row({ outcome: 'skipped' }), failed(), row({ infra: true }), row({ synthetic: true }), failed()), p);
    expect(s).toMatchObject({ broken: true, since: NOW - 5 * H });
    expect(brokenState(series(failed({ infra: true }), failed({ infra: true }), failed({ infra: true })), p).broken).toBe(false);
  });

  it('is per branch, in any input order; the test is broken if any branch is', () => {
    const rows = series(failed({ branch: 'feat' }), row({ branch: 'main' }), failed({ branch: 'feat' }), failed({ branch: 'feat' }), failed({ branch: 'main' }));
    const s = brokenState([...rows].reverse(), p);
    expect(s.broken).toBe(true);
    expect(s.since).toBe(NOW - 4 * H);
    expect(s.branches).toEqual([
      { branch: 'feat', broken: true, since: NOW - 4 * H, failing: 3 },
      { branch: 'main', broken: false, since: null, failing: 1 },
    ]);
  });

  it('follows brokenAfterRuns', () => {
    expect(brokenState(series(failed()), policy({ brokenAfterRuns: 1 })).broken).toBe(true);
    expect(brokenState([], p)).toEqual({ broken: false, since: null, branches: [] });
  });
});

describe('greenStreak', () => {
  it('9 greens are not eligible, 10 are', () => {
    expect(greenStreak(series(...greens(9)), null, p)).toEqual({ streak: 9, needed: 10, eligible: false });
    expect(greenStreak(series(...greens(10)), null, p)).toEqual({ streak: 10, needed: 10, eligible: true });
  });

  it('a retry-pass (flaky) in the middle of the streak resets it', () => {
    expect(greenStreak(series(...greens(6), flaky(), ...greens(5)), null, p)).toMatchObject({ streak: 5, eligible: false });
    expect(greenStreak(series(...greens(6), failed(), ...greens(4)), null, p).streak).toBe(4);
    expect(greenStreak(series(...greens(10), flaky()), null, p)).toMatchObject({ streak: 0, eligible: false });
  });

  it('skipped runs neither count nor reset', () => {
    expect(greenStreak(series(...greens(5), row({ outcome: 'skipped' }), row({ outcome: 'skipped' }), ...greens(5)), null, p)).toMatchObject({ streak: 10, eligible: true });
    expect(greenStreak(series(...greens(9), row({ outcome: 'skipped' })), null, p).streak).toBe(9);
  });

  it('ignores greens and failures on a branch outside greenBranches, and rows without a branch', () => {
    const onlyMain = policy({ greenBranches: ['main'] });
    const rows = series(...greens(5), ...greens(3, { branch: 'feat' }), failed({ branch: 'feat' }), row({ branch: null }), ...greens(4));
    expect(greenStreak(rows, null, onlyMain)).toMatchObject({ streak: 9, eligible: false });
    // any branch (null): the feat failure resets, the branch-less pass and the 4 greens count
    expect(greenStreak(rows, null, p).streak).toBe(5);
  });

  it('counts only results strictly after the quarantine start', () => {
    const rows = series(...greens(10));
    const tenth = rows[9]?.at ?? 0;
    const first = rows[0]?.at ?? 0;
    expect(greenStreak(rows, first, p).streak).toBe(9);
    expect(greenStreak(rows, first - 1, p).streak).toBe(10);
    expect(greenStreak(rows, tenth, p).streak).toBe(0);
  });

  it('infra and synthetic rows neither count nor reset', () => {
    expect(greenStreak(series(...greens(5), failed({ infra: true }), row({ infra: true }), failed({ synthetic: true }), ...greens(4)), null, p).streak).toBe(9);
  });
});
