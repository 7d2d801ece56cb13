import { describe, expect, it } from 'vitest';
import { refreshReadiness } from './baseline';

const stable = [100, 101, 99, 100, 100.5, 99.5, 100, 101, 99, 100];

describe('refreshReadiness', () => {
  it('ready when the gate passes, no regression and the window is stable', () => {
    expect(refreshReadiness({ gatePassed: true, comparison: { status: 'ok', worsePct: 1 }, recent: stable })).toEqual({ ready: true, reasons: [], cvPct: expect.any(Number) });
  });
  it('a regressed run never becomes the baseline', () => {
    for (const status of ['warn', 'suspect', 'fail'] as const) {
      const r = refreshReadiness({ gatePassed: true, comparison: { status, worsePct: 12 }, recent: stable });
      expect(r.ready).toBe(false);
      expect(r.reasons[0]).toMatch(/is a regression/);
    }
  });
  it('worse by exactly 5 % is allowed, by more is not (even when within noise)', () => {
    expect(refreshReadiness({ gatePassed: true, comparison: { status: 'ok', worsePct: 5 }, recent: stable }).ready).toBe(true);
    expect(refreshReadiness({ gatePassed: true, comparison: { status: 'within-noise', worsePct: 5.1 }, recent: stable }).reasons).toEqual(['the latest run is 5.1 % worse than the baseline (limit 5 %)']);
  });
  it('a failed gate, too few runs, a wide spread each say so', () => {
    expect(refreshReadiness({ gatePassed: false, comparison: null, recent: [1, 1, 1, 1] }).reasons).toEqual(['the latest run did not pass its budgets', 'only 4 of the 5 runs needed to judge stability']);
    const wide = refreshReadiness({ gatePassed: true, comparison: null, recent: [100, 130, 80, 120, 70] });
    expect(wide.ready).toBe(false);
    expect(wide.reasons.join()).toMatch(/last 5 runs spread \d+\.\d % \(limit 10 %\)/);
  });
  it('a regressed run anywhere in the window blocks the refresh (its samples would be pooled)', () => {
    const statuses = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'suspect', 'ok', 'ok'] as const;
    const r = refreshReadiness({ gatePassed: true, comparison: { status: 'ok', worsePct: 1 }, recent: stable, recentStatuses: statuses });
    expect(r.ready).toBe(false);
    expect(r.reasons).toEqual(['2 of the last 5 runs are regressions (fail, suspect); the new baseline would include them']);
    const older = ['fail', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'] as const;
    expect(refreshReadiness({ gatePassed: true, comparison: { status: 'ok', worsePct: 1 }, recent: stable, recentStatuses: older }).ready).toBe(true);
  });
  it('a step inside the window blocks the refresh', () => {
    const stepped = [100, 100.5, 99.5, 100, 100.2, 99.8, 100.1, 120, 120.4, 119.6, 120.2, 119.9];
    const r = refreshReadiness({ gatePassed: true, comparison: null, recent: stepped });
    expect(r.reasons.join()).toMatch(/step change of \d+\.\d % within the last 5 runs/);
  });
});
