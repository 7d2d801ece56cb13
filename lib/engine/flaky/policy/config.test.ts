import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAKY_POLICY, formatFlakyPolicyErrors, parseFlakyPolicy, windowStart } from './config';
import { D, NOW } from './test-helpers';

function errorsOf(input: unknown) {
  const r = parseFlakyPolicy(input);
  if (r.ok) throw new Error('expected errors');
  return Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
}

describe('parseFlakyPolicy', () => {
  it('fills the seed defaults', () => {
    const expected = {
      flakesToQuarantine: 2,
      windowDays: 7,
      greensToUnquarantine: 10,
      greenBranches: null,
      brokenAfterRuns: 3,
      infraFailureRatio: 0.8,
      minResultsForRate: 5,
      autoUnquarantine: false,
    };
    expect(DEFAULT_FLAKY_POLICY).toEqual(expected);
    expect(parseFlakyPolicy({})).toEqual({ ok: true, policy: expected });
    expect(parseFlakyPolicy(undefined)).toEqual({ ok: true, policy: expected });
    expect(parseFlakyPolicy(null)).toEqual({ ok: true, policy: expected });
  });

  it('keeps given fields, trims and de-duplicates branches', () => {
    const r = parseFlakyPolicy({ flakesToQuarantine: 3, greenBranches: [' main ', 'release', 'main'], infraFailureRatio: 1, autoUnquarantine: true });
    expect(r).toEqual({ ok: true, policy: { ...DEFAULT_FLAKY_POLICY, flakesToQuarantine: 3, greenBranches: ['main', 'release'], infraFailureRatio: 1, autoUnquarantine: true } });
  });

  it('names every bad field and value at once', () => {
    const e = errorsOf({
      flakesToQuarantine: 0,
      windowDays: 1.5,
      greensToUnquarantine: '10',
      greenBranches: [],
      brokenAfterRuns: -1,
      infraFailureRatio: 0,
      minResultsForRate: null,
      autoUnquarantine: 'yes',
      flakes: 2,
    });
    expect(e).toEqual({
      flakesToQuarantine: 'must be a whole number from 1 to 1000, got 0',
      windowDays: 'must be a whole number from 1 to 365, got 1.5',
      greensToUnquarantine: 'must be a whole number from 1 to 1000, got "10"',
      greenBranches: 'must list at least one branch (use null for any branch)',
      brokenAfterRuns: 'must be a whole number from 1 to 1000, got -1',
      infraFailureRatio: 'must be a number greater than 0 and at most 1 (0.8 = more than 80 % failed), got 0',
      minResultsForRate: 'must be a whole number from 1 to 1000000, got null',
      autoUnquarantine: 'must be true or false, got "yes"',
      flakes: expect.stringMatching(/^unknown field \(expected one of: flakesToQuarantine, windowDays/),
    });
  });

  it('points at the bad branch and formats one line per problem', () => {
    const r = parseFlakyPolicy({ greenBranches: ['main', '  '], infraFailureRatio: 1.2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatFlakyPolicyErrors(r.errors)).toBe(
      'greenBranches[1]: must be a non-empty branch name of at most 255 characters, got "  "\n' +
        'infraFailureRatio: must be a number greater than 0 and at most 1 (0.8 = more than 80 % failed), got 1.2',
    );
    expect(errorsOf('x')).toEqual({ policy: expect.any(String) });
  });
});

describe('windowStart', () => {
  it('is exactly the given number of days before now', () => {
    expect(windowStart(NOW, 7)).toBe(NOW - 7 * D);
  });
});
