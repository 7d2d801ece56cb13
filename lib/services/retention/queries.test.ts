import { describe, expect, it } from 'vitest';
import { HEADROOM_CRITICAL_PCT, HEADROOM_WARN_PCT, headroomLevel, usedPct } from './queries';

const fs = (sizeBytes: number, freeBytes: number) => ({ fsBytes: BigInt(sizeBytes), fsFree: BigInt(freeBytes) });

describe('filesystem headroom', () => {
  it('the thresholds are the seed\'s: warn at 85 %, critical at 95 %', () => {
    expect([HEADROOM_WARN_PCT, HEADROOM_CRITICAL_PCT]).toEqual([85, 95]);
  });

  it.each([
    [0, 'ok'],
    [84.999, 'ok'],
    [85, 'warn'],
    [94.999, 'warn'],
    [95, 'critical'],
    [100, 'critical'],
  ])('at %d percent used the level is %s (each threshold is inclusive)', (pct, level) => {
    expect(headroomLevel(pct)).toBe(level);
  });

  it('used % is (size - free) / size; an empty or unknown filesystem size is 0 %, not NaN', () => {
    expect(usedPct(fs(1000, 150))).toBe(85);
    expect(usedPct(fs(1000, 50))).toBe(95);
    expect(usedPct(fs(1000, 1000))).toBe(0);
    expect(usedPct(fs(1000, 0))).toBe(100);
    expect(usedPct(fs(0, 0))).toBe(0);
    expect(headroomLevel(usedPct(fs(0, 0)))).toBe('ok');
  });

  it('takes sizes beyond 2^53 bytes without losing the level', () => {
    const size = 2n ** 60n;
    expect(headroomLevel(usedPct({ fsBytes: size, fsFree: size / 20n }))).toBe('critical'); // exactly 95 %
    expect(headroomLevel(usedPct({ fsBytes: size, fsFree: (size * 15n) / 100n }))).toBe('warn'); // 85 %
  });
});
