import { describe, expect, it } from 'vitest';
import { isInfraUpload, uploadCounts, type UploadCounts } from './rows';
import { policy } from './test-helpers';

const none: UploadCounts = { passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0, synthetic: 0 };
const p = policy();

describe('isInfraUpload', () => {
  it('is infra only above the ratio: 79.9 % and 80 % are not, 80.1 % is', () => {
    expect(isInfraUpload({ ...none, failed: 799, passed: 201 }, p)).toBe(false);
    expect(isInfraUpload({ ...none, failed: 800, passed: 200 }, p)).toBe(false);
    expect(isInfraUpload({ ...none, failed: 801, passed: 199 }, p)).toBe(true);
    expect(isInfraUpload({ ...none, failed: 4, passed: 1 }, p)).toBe(false);
    expect(isInfraUpload({ ...none, failed: 5, passed: 1 }, p)).toBe(true);
  });

  it('does not let float rounding move the boundary', () => {
    expect(isInfraUpload({ ...none, failed: 7, passed: 3 }, policy({ infraFailureRatio: 0.7 }))).toBe(false);
    expect(isInfraUpload({ ...none, failed: 3, passed: 7 }, policy({ infraFailureRatio: 0.3 }))).toBe(false);
    expect(isInfraUpload({ ...none, failed: 4, passed: 6 }, policy({ infraFailureRatio: 0.3 }))).toBe(true);
    // 0.57 × 100 is 56.99999999999999 in floating point: 57 of 100 is exactly 57 %, not more
    expect(isInfraUpload({ ...none, failed: 57, passed: 43 }, policy({ infraFailureRatio: 0.57 }))).toBe(false);
    expect(isInfraUpload({ ...none, failed: 58, passed: 42 }, policy({ infraFailureRatio: 0.57 }))).toBe(true);
  });

  it('counts errors and synthetic cases as failures, flaky as passed, ignores skipped', () => {
    expect(isInfraUpload({ ...none, error: 9, passed: 1 }, p)).toBe(true);
    expect(isInfraUpload({ ...none, synthetic: 1 }, p)).toBe(true);
    expect(isInfraUpload({ ...none, failed: 8, flaky: 2 }, p)).toBe(false);
    expect(isInfraUpload({ ...none, failed: 8, passed: 1, skipped: 1000 }, p)).toBe(true);
    expect(isInfraUpload({ ...none, skipped: 10 }, p)).toBe(false);
    expect(isInfraUpload(none, p)).toBe(false);
  });

  it('ratio 1 turns the guard off', () => {
    expect(isInfraUpload({ ...none, failed: 10 }, policy({ infraFailureRatio: 1 }))).toBe(false);
  });
});

describe('uploadCounts', () => {
  it('counts synthetic cases apart from their outcome', () => {
    expect(
      uploadCounts([
        { outcome: 'passed', synthetic: false },
        { outcome: 'flaky', synthetic: false },
        { outcome: 'error', synthetic: true },
        { outcome: 'skipped', synthetic: false },
        { outcome: 'failed', synthetic: false },
      ]),
    ).toEqual({ passed: 1, failed: 1, error: 0, skipped: 1, flaky: 1, synthetic: 1 });
  });
});
