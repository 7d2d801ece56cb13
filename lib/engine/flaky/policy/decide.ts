/**
 * The quarantine decision for one test: a pure function of its state, its results, the policy and
 * `now`. Services perform the decision with a compare-and-set on the state they read, so two
 * instances deciding at once act once.
 */
import { windowStart, type FlakyPolicy } from './config';
import { describeFlake, flakeEvents, type FlakeEvent } from './detect';
import type { ResultRow } from './rows';
import { brokenState, greenStreak } from './streaks';

export interface QuarantineState {
  status: 'active' | 'quarantined';
  /**
   * quarantined: when the quarantine started. active: when the test was last unquarantined, or null
   * if never quarantined; flakes at or before it were already acted on and are not counted again.
   */
  since: number | null;
  /** 'never': a person pinned the test as never to be auto-quarantined. */
  pinned: 'never' | null;
  /** Set when a person quarantined the test by hand; expiresAt null = until lifted. */
  manual: { expiresAt: number | null } | null;
}

export type QuarantineDecision =
  | { action: 'quarantine'; reason: string; flakes: FlakeEvent[] }
  | { action: 'eligible'; streak: number; reason: string }
  | { action: 'unquarantine'; cause: 'expired' | 'greens'; reason: string }
  /** held: the flakes reached the threshold but the test is pinned or broken, so nothing happens. */
  | { action: 'none'; held?: 'pinned' | 'broken' };

export interface DecideInput {
  state: QuarantineState;
  /** The test's rows (one test), any order. Rows after `now` are ignored. */
  rows: readonly ResultRow[];
  now: number;
  policy: FlakyPolicy;
}

/**
 * Decides what to do with one test.
 * Quarantined:
 * - a manual quarantine whose `expiresAt <= now` → unquarantine (cause 'expired');
 * - green streak since the quarantine start (see greenStreak) reaching the policy → 'unquarantine'
 *   (cause 'greens') when `policy.autoUnquarantine` and the quarantine was not manual, else
 *   'eligible' (a person decides; manual quarantines are never lifted by greens alone);
 * - otherwise 'none'. A "never" pin does not lift an existing quarantine.
 * Active:
 * - flakes with `at` in (now − windowDays, now] (a flake exactly windowDays before now is OUT) and
 *   after `state.since` reaching `flakesToQuarantine` → 'quarantine', with a reason naming the
 *   count and the commits, unless the test is pinned "never" (held 'pinned') or broken on any
 *   branch (held 'broken': broken tests are listed apart, never auto-quarantined);
 * - otherwise 'none'.
 */
export function decideQuarantine({ state, rows, now, policy }: DecideInput): QuarantineDecision {
  const known = rows.filter((r) => r.at <= now);
  if (state.status === 'quarantined') {
    const expiresAt = state.manual?.expiresAt ?? null;
    if (expiresAt !== null && expiresAt <= now) {
      return { action: 'unquarantine', cause: 'expired', reason: `manual quarantine expired at ${new Date(expiresAt).toISOString()}` };
    }
    const green = greenStreak(known, state.since, policy);
    if (!green.eligible) return { action: 'none' };
    const greens = `${green.streak} consecutive green run${green.streak === 1 ? '' : 's'} since quarantine`;
    if (policy.autoUnquarantine && state.manual === null) {
      return { action: 'unquarantine', cause: 'greens', reason: `${greens} (auto-unquarantine is on)` };
    }
    return { action: 'eligible', streak: green.streak, reason: `${greens}: eligible to unquarantine` };
  }
  const from = windowStart(now, policy.windowDays);
  const flakes = [...flakeEvents(known).values()]
    .flat()
    .filter((f) => f.at > from && (state.since === null || f.at > state.since))
    .sort((a, b) => a.at - b.at);
  if (flakes.length < policy.flakesToQuarantine) return { action: 'none' };
  if (state.pinned === 'never') return { action: 'none', held: 'pinned' };
  if (brokenState(known, policy).broken) return { action: 'none', held: 'broken' };
  return { action: 'quarantine', reason: quarantineReason(flakes, policy.windowDays), flakes };
}

const LISTED = 5;

/**
 * "2 flakes in 7 days: commits abc1234 (chromium), def5678". At most five flakes are named, then
 * "and N more"; flakes without a commit read "no commit (variant)" (and the list then drops the word "commits").
 */
export function quarantineReason(flakes: readonly Pick<FlakeEvent, 'commit' | 'variant'>[], windowDays: number): string {
  const n = flakes.length;
  const names = flakes.slice(0, LISTED).map(describeFlake).join(', ');
  const more = n > LISTED ? ` and ${n - LISTED} more` : '';
  const head = `${n} flake${n === 1 ? '' : 's'} in ${windowDays} day${windowDays === 1 ? '' : 's'}`;
  if (n === 0) return head;
  const label = flakes.every((f) => f.commit !== null) ? `commit${n === 1 ? '' : 's'} ` : '';
  return `${head}: ${label}${names}${more}`;
}
