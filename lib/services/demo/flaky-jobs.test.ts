/**
 * The demo's CI schedule must tell the same story whatever day the demo is loaded on (its weeks
 * count from its own first day), and every window in which a test is broken on main must hold the
 * consecutive failing main runs that make the policy call it broken.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAKY_POLICY } from '@/lib/engine/flaky';
import { DAY, DEMO_CI_DAYS, HOLOGRAM, MM_BOT, type ProjectPlan } from './flaky-plans';
import { hologramSuite, mmBotSuite } from './flaky-suite';
import { schedule } from './flaky-jobs';
import { isDemoWeekend } from './weeks';

const plans: ProjectPlan[] = [{ ...HOLOGRAM, tests: hologramSuite() }, { ...MM_BOT, tests: mmBotSuite() }];
// A Monday, then each following day of the week as the demo's first day (UTC midnights).
const MONDAY = Date.parse('2026-10-05T00:00:00Z');
const firstDays = Array.from({ length: 7 }, (_, i) => MONDAY + i * DAY);

/** A job as offsets from the first day, so schedules from different first days compare. */
const relative = (ciDay0: number) => (plan: ProjectPlan, seed: number) =>
  schedule(plan, ciDay0, seed).map((j) => ({ at: j.atMs - ciDay0, code: j.codeAtMs - ciDay0, runId: j.runId, job: j.job, branch: j.branch, commit: j.commit, variant: j.variant, infra: j.infra }));

describe('the demo CI schedule', () => {
  it('is the same for every weekday the demo starts on', () => {
    plans.forEach((plan, i) => {
      const first = relative(firstDays[0]!)(plan, 100 + i);
      expect(first.length).toBeGreaterThan(100);
      for (const day0 of firstDays.slice(1)) expect(relative(day0)(plan, 100 + i), new Date(day0).toUTCString()).toEqual(first);
    });
  });

  it('has quiet days on the sixth and seventh day of each of its weeks', () => {
    expect(Array.from({ length: 15 }, (_, d) => isDemoWeekend(d))).toEqual([false, false, false, false, false, true, true, false, false, false, false, false, true, true, false]);
    plans.forEach((plan, i) => {
      const jobs = schedule(plan, MONDAY, 100 + i).filter((j) => j.suite === 'pytest');
      const pushDays = (quiet: boolean) => new Set(jobs.map((j) => Math.floor((j.codeAtMs - MONDAY) / DAY)).filter((d) => isDemoWeekend(d) === quiet));
      // Every working day has a push; a quiet day only some of the time (or while fixing a break).
      const working = Array.from({ length: DEMO_CI_DAYS + 1 }, (_, d) => d).filter((d) => !isDemoWeekend(d));
      expect([...working].filter((d) => !pushDays(false).has(d))).toEqual([]);
      expect(pushDays(true).size).toBeLessThan(Array.from({ length: DEMO_CI_DAYS + 1 }, (_, d) => d).filter(isDemoWeekend).length);
    });
  });

  it('runs main at least as many times as "broken" needs inside every window a test is broken in', () => {
    for (const [i, plan] of plans.entries()) {
      const mainRuns = new Set(schedule(plan, MONDAY, 100 + i).filter((j) => j.branch === 'main' && j.suite === 'pytest').map((j) => j.codeAtMs));
      for (const t of plan.trouble) {
        if (t.kind !== 'broken') continue;
        const until = Math.min(t.until, DEMO_CI_DAYS);
        const inside = [...mainRuns].filter((at) => at >= MONDAY + t.from * DAY && at < MONDAY + until * DAY);
        expect(inside.length, `${plan.key} ${t.ref}`).toBeGreaterThanOrEqual(DEFAULT_FLAKY_POLICY.brokenAfterRuns);
      }
    }
  });
});
