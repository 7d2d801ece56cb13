/** Helpers for the flaky policy engine's tests (not used by production code). */
import { DEFAULT_FLAKY_POLICY, type FlakyPolicy } from './config';
import type { ResultRow } from './rows';

export const H = 60 * 60 * 1000;
export const D = 24 * H;
/** A fixed "now" (2025-10-15T12:00:00Z); the engine never reads the clock. */
export const NOW = 1_760_529_600_000;

let seq = 0;

/** A result row for test "t1" on main, passed, at NOW; override what the case is about. */
export function row(over: Partial<ResultRow> = {}): ResultRow {
  seq++;
  return {
    testId: 't1',
    uploadId: `u${String(seq).padStart(5, '0')}`,
    commit: `c${String(seq).padStart(7, '0')}`,
    branch: 'main',
    variant: null,
    runKey: null,
    at: NOW,
    outcome: 'passed',
    failedAttempts: 0,
    passedAttempts: 1,
    retryMs: 0,
    infra: false,
    synthetic: false,
    ...over,
  };
}

/** A flaky result (one failed attempt then a pass) on its own commit. */
export function flaky(over: Partial<ResultRow> = {}): ResultRow {
  return row({ outcome: 'flaky', failedAttempts: 1, passedAttempts: 1, ...over });
}

export function failed(over: Partial<ResultRow> = {}): ResultRow {
  return row({ outcome: 'failed', failedAttempts: 1, passedAttempts: 0, ...over });
}

export function policy(over: Partial<FlakyPolicy> = {}): FlakyPolicy {
  return { ...DEFAULT_FLAKY_POLICY, ...over };
}
