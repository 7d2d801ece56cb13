import { describe, expect, it } from 'vitest';
import { planRetention } from './plan';
import { presetPolicy } from './presets';
import { D, H, NOW, scanOf } from './test-helpers';
import type { ScanEntry } from './types';

/** A soak-like root: ITER_SUMMARY files, snapshots, logs and misc files across many runs. */
function bigScan(n: number): ScanEntry[] {
  const entries: ScanEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const run = `run-${(i * 7919) % 997}`;
    const kind = i % 4;
    const path = kind === 0 ? `${run}/latest/ITER_SUMMARY_${i}.json` : kind === 1 ? `snapshots/${run}/freeze_${i}.json` : kind === 2 ? `${run}/logs/app-${i}.log` : `${run}/reports/r-${i}.md`;
    entries[i] = { path, size: 1000 + (i % 5000), mtimeMs: NOW - ((i * 104729) % (20 * D)) - (i % 3) * H, type: 'file' };
  }
  return entries;
}

describe('planRetention at scale', () => {
  it('plans 300k entries within the test timeout (guards against quadratic work)', () => {
    const scan = scanOf(bigScan(300_000));
    const policy = { ...presetPolicy('ci-main'), maxSizeBytes: 200 * 1024 * 1024, sizeCapAction: 'evict-oldest' as const };
    const plan = planRetention(scan, policy, NOW);
    expect(plan.totals.filesScanned).toBe(300_000);
    expect(plan.actions.length + plan.kept.length).toBe(300_000);
    expect(plan.totals.withinLimit).toBe(true);
  }, 20_000); // the test timeout is the guard: quadratic work would take hours, not seconds
});
