/** Helpers for the retention engine's tests (not used by production code). */
import { parsePolicy } from './policy';
import { toScanEntries } from './scan-entries';
import type { Plan, RetentionPolicy, Scan, ScanEntry } from './types';

export const S = 1000;
export const H = 60 * 60 * S;
export const D = 24 * H;
export const MiB = 1024 * 1024;
/** A fixed "now" (2025-10-15T12:00:00Z); the engine never reads the clock. */
export const NOW = 1_760_529_600_000;

/** A scan entry `ageMs` old at NOW. */
export function file(path: string, ageMs: number, size = 100, type: ScanEntry['type'] = 'file'): ScanEntry {
  return { path, size, mtimeMs: NOW - ageMs, type };
}

export function scanOf(entries: ScanEntry[], errors: Scan['errors'] = []): Scan {
  return { root: '/srv/artifacts', entries: toScanEntries(entries), errors };
}

/** Parses a user-form policy, failing loudly when invalid. */
export function policy(input: unknown): RetentionPolicy {
  const r = parsePolicy(input);
  if (!r.ok) throw new Error(`invalid test policy: ${JSON.stringify(r.errors)}`);
  return r.policy;
}

/** Deterministic shuffle (mulberry32) so that "any input order" tests are reproducible. */
export function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = items.slice();
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** A plan as plain data (actions and kept materialized), for deep equality between plans. */
export function planData(plan: Plan): Record<string, unknown> {
  return { root: plan.root, nowMs: plan.nowMs, totals: plan.totals, warnings: plan.warnings, actions: plan.actions, kept: plan.kept };
}
