/** Fixtures shared by the state tests (not a test file itself; nothing imports it at run time). */
import type { CheckConfig, CheckHistory, MaintenanceWindow } from './types';
import { evaluateCheck } from './state';

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;
export const T = Date.parse('2026-12-01T05:16:00.000Z');
export const at = (ms: number) => new Date(ms);

/** A ping check, period 1h, grace 5m, threshold 1, no windows, with `over` applied. */
export function config(over: Partial<CheckConfig> = {}): CheckConfig {
  return {
    type: 'ping',
    schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 300 },
    maxRuntimeSeconds: null,
    minRuntimeSeconds: null,
    failureThreshold: 1,
    paused: false,
    maintenance: [],
    createdAt: at(T - 10 * H),
    ...over,
  };
}
export const empty: CheckHistory = { lastFinishAt: null, lastFinishFailed: false, openStartAt: null, consecutiveFailures: 0 };
export const finished = (ms: number, over: Partial<CheckHistory> = {}): CheckHistory => ({ ...empty, lastFinishAt: at(ms), ...over });
export const win = (start: number, end: number): MaintenanceWindow => ({ start: at(start), end: at(end) });
export const stateAt = (c: CheckConfig, h: CheckHistory, ms: number) => evaluateCheck(c, h, at(ms)).state;
