import { describe, expect, it } from 'vitest';
import { counterIncrease, evaluateSoak } from './criteria';
import type { SoakSample } from './types';

const T0 = Date.UTC(2026, 11, 1);
const sample = (h: number, over: Partial<SoakSample> = {}): SoakSample => ({ t: T0 + h * 3_600_000, rssMb: 300, cpuPct: 10, openFds: 50, threads: 4, reconnects: 0, zombies: 0, diskMb: 100, ...over });
/** Two samples, `hours` apart: enough for every criterion but the leak (inconclusive). */
const run = (hours: number, a: Partial<SoakSample> = {}, b: Partial<SoakSample> = {}) => [sample(0, a), sample(hours, b)];
const status = (samples: SoakSample[], id: string, extra: Parameters<typeof evaluateSoak>[0]['counters'] = {}) =>
  evaluateSoak({ samples, reported: null, security: null, counters: extra }).criteria.find((c) => c.id === id)!;

describe('success criteria at their exact boundaries', () => {
  it('duration ≥ 24 h', () => {
    expect(status(run(24), 'duration')).toMatchObject({ status: 'pass', value: 24 });
    expect(status(run(23.99), 'duration').status).toBe('fail');
  });
  it('average CPU < 80 %', () => {
    expect(status(run(24, { cpuPct: 80 }, { cpuPct: 80 }), 'avg_cpu').status).toBe('fail');
    const c = status(run(24, { cpuPct: 79.98 }, { cpuPct: 80 }), 'avg_cpu');
    expect(c.status).toBe('pass');
    expect(c.value).toBeCloseTo(79.99, 9);
  });
  it('disk < 5 GB (5,120 MB) at the peak sample', () => {
    expect(status(run(24, {}, { diskMb: 5120 }), 'disk').status).toBe('fail');
    expect(status(run(24, {}, { diskMb: 5119.9 }), 'disk').status).toBe('pass');
  });
  it('reconnections < 10 per hour, from a counter with a reset', () => {
    expect(status(run(24, { reconnects: 0 }, { reconnects: 240 }), 'ws_reconnects')).toMatchObject({ status: 'fail', value: 10 });
    expect(status(run(24, { reconnects: 0 }, { reconnects: 239 }), 'ws_reconnects').status).toBe('pass');
    expect(counterIncrease([0, 5, 9, 2, 4])).toBe(9 + 2 + 2);
  });
  it('zombies, crashes and orphan orders: 0 passes, 1 fails, not reported is unknown', () => {
    expect(status(run(24, {}, { zombies: 1 }), 'zombies').status).toBe('fail');
    expect(status(run(24), 'zombies').status).toBe('pass');
    expect(status(run(24), 'crashes').status).toBe('unknown');
    expect(status(run(24), 'crashes', { crashes: 0 }).status).toBe('pass');
    expect(status(run(24), 'orphan_orders', { orphanOrders: 1 }).status).toBe('fail');
  });
  it('security: 0 critical/high passes, 1 high fails, only unrated findings are unknown, no report is unknown', () => {
    const sec = (c: Partial<Record<'critical' | 'high' | 'unrated', number>>) => evaluateSoak({ samples: run(24), reported: null, security: { critical: 0, high: 0, medium: 3, low: 0, info: 0, unrated: 0, ...c } }).criteria.find((x) => x.id === 'security')!;
    expect(sec({}).status).toBe('pass');
    expect(sec({ high: 1 })).toMatchObject({ status: 'fail', value: 1 });
    expect(sec({ unrated: 2 }).status).toBe('unknown');
    expect(status(run(24), 'security').status).toBe('unknown');
  });
  it('thresholds are configurable per run; the run fails when one criterion does, is unknown when none fails but some are unknown', () => {
    const e = evaluateSoak({ samples: run(2), reported: null, security: null }, { minDurationHours: 2 });
    expect(e.criteria.find((c) => c.id === 'duration')!.status).toBe('pass');
    expect(e.status).toBe('unknown');
    expect(evaluateSoak({ samples: run(2, {}, { zombies: 3 }), reported: null, security: null }).status).toBe('fail');
  });
});
