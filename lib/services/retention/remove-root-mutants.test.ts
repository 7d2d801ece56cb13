/**
 * removalConsequences (remove-root.ts): the confirmation's sentences for every shape of root, which
 * StrykerJS found checked for one shape only (issue #12): no schedule, no plans, one plan, plans
 * without an open one, one run and many, counts in the thousands.
 */
import { describe, expect, it } from 'vitest';
import { removalConsequences, type RootRemovalImpact } from './remove-root';

const impact = (over: Partial<RootRemovalImpact> = {}): RootRemovalImpact => ({
  id: 'r1',
  name: 'ci',
  path: '/srv/artifacts/ci',
  schedule: null,
  plans: 0,
  openPlans: 0,
  runs: 0,
  samples: 0,
  executingPlanId: null,
  ...over,
});

describe('removalConsequences', () => {
  it('a root that was never used: no schedule, no plans, nothing to keep', () => {
    expect(removalConsequences(impact())).toEqual([
      'It has no schedule; nothing else runs for it.',
      'It has no stored plans.',
      'Its disk-usage history (0 samples) is deleted.',
      'Its 0 rotation runs stay in the rotation history, marked as a removed root; the audit log keeps every event.',
      'No file in /srv/artifacts/ci is touched.',
    ]);
  });

  it('one plan, closed; one sample; one run', () => {
    expect(removalConsequences(impact({ schedule: '0 3 * * *', plans: 1, samples: 1, runs: 1 }))).toEqual([
      'Its schedule (0 3 * * *) stops: no more scheduled previews or cleanups.',
      'Its 1 stored plan is deleted with their entries.',
      'Its disk-usage history (1 sample) is deleted.',
      'Its 1 rotation run stays in the rotation history, marked as a removed root; the audit log keeps every event.',
      'No file in /srv/artifacts/ci is touched.',
    ]);
  });

  it('many plans, some open; counts in the thousands are grouped', () => {
    expect(removalConsequences(impact({ plans: 1234, openPlans: 2, samples: 5000, runs: 2 }))).toEqual([
      'It has no schedule; nothing else runs for it.',
      'Its 1,234 stored plans are deleted with their entries, including 2 open plans (draft or approved) that can then no longer be executed.',
      'Its disk-usage history (5,000 samples) is deleted.',
      'Its 2 rotation runs stay in the rotation history, marked as a removed root; the audit log keeps every event.',
      'No file in /srv/artifacts/ci is touched.',
    ]);
  });

  it('one open plan among several', () => {
    expect(removalConsequences(impact({ plans: 3, openPlans: 1 }))[1]).toBe(
      'Its 3 stored plans are deleted with their entries, including 1 open plan (draft or approved) that can then no longer be executed.',
    );
  });
});
