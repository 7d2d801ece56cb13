import { describe, expect, it } from 'vitest';
import { meetsTarget, projectStats, quarantinedShare, TARGETS } from './metrics';
import { D, failed, flaky, H, NOW, policy, row } from './test-helpers';

const p = policy();

describe('projectStats', () => {
  it('counts results, flaky results, failed re-runs and time lost per window', () => {
    const rows = [
      row({ testId: 'a', at: NOW - H }),
      row({ testId: 'a', at: NOW - 2 * H }),
      flaky({ testId: 'b', at: NOW - 3 * H, retryMs: 1500 }),
      failed({ testId: 'c', commit: 'k1', at: NOW - 4 * H, retryMs: 700 }),
      row({ testId: 'c', commit: 'k1', at: NOW - 3 * H }),
      row({ testId: 'd', at: NOW - H, outcome: 'skipped' }),
      failed({ testId: 'e', at: NOW - H, infra: true }),
      failed({ testId: '[build failed]', at: NOW - H, synthetic: true }),
      flaky({ testId: 'b', at: NOW - 10 * D, retryMs: 100 }),
      row({ testId: 'f', at: NOW - 7 * D }),
      row({ testId: 'g', at: NOW - 30 * D }),
      row({ testId: 'h', at: NOW + 1 }),
    ];
    const s = projectStats(rows, NOW, p);
    expect(s.d7).toEqual({
      days: 7,
      results: 5,
      flakyResults: 2,
      failedReruns: 1,
      flakeRate: 2 / 5,
      testsTracked: 5,
      flakyTests: 2,
      newFlakyTests: 1,
      retryMs: 1500,
      failedRerunMs: 700,
      timeLostMs: 2200,
    });
    expect(s.d30).toMatchObject({ days: 30, results: 7, flakyResults: 3, failedReruns: 1, testsTracked: 6, flakyTests: 2, newFlakyTests: 2, retryMs: 1600, timeLostMs: 2300 });
  });

  it('shows no rate below minResultsForRate', () => {
    const four = [row(), row(), row(), flaky()];
    expect(projectStats(four, NOW, p).d7.flakeRate).toBeNull();
    expect(projectStats([...four, row()], NOW, p).d7.flakeRate).toBe(0.2);
    expect(projectStats(four, NOW, policy({ minResultsForRate: 4 })).d7.flakeRate).toBe(0.25);
    expect(projectStats([], NOW, p).d30).toMatchObject({ results: 0, flakeRate: null, testsTracked: 0 });
  });

  it('a test whose first flake is older than the window is not new', () => {
    const rows = [flaky({ testId: 'x', at: NOW - 8 * D }), flaky({ testId: 'x', at: NOW - D })];
    expect(projectStats(rows, NOW, p).d7).toMatchObject({ flakyTests: 1, newFlakyTests: 0 });
    expect(projectStats(rows, NOW, p).d30).toMatchObject({ flakyTests: 1, newFlakyTests: 1 });
  });
});

describe('targets', () => {
  it('are the seed figures, met only strictly below', () => {
    expect(TARGETS).toEqual({ flakeRate: 0.01, quarantinedShare: 0.05 });
    expect(meetsTarget('flakeRate', 0.0099)).toBe(true);
    expect(meetsTarget('flakeRate', 0.01)).toBe(false);
    expect(meetsTarget('flakeRate', null)).toBeNull();
    expect(meetsTarget('quarantinedShare', quarantinedShare(4, 100))).toBe(true);
    expect(meetsTarget('quarantinedShare', quarantinedShare(5, 100))).toBe(false);
    expect(quarantinedShare(0, 0)).toBeNull();
  });
});
