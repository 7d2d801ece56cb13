import { describe, expect, it } from 'vitest';
import { budgetsFromEnv, evaluateBudget } from './budgets';

describe('evaluateBudget at its exact boundary', () => {
  it('smaller is better: equal passes, a hair over fails', () => {
    expect(evaluateBudget(8, 8, 'smaller', null).status).toBe('pass');
    expect(evaluateBudget(8.000001, 8, 'smaller', null).status).toBe('fail');
    expect(evaluateBudget(7.999, 8, 'smaller', null).status).toBe('pass');
  });
  it('bigger is better: equal passes, a hair under fails', () => {
    expect(evaluateBudget(100, 100, 'bigger', null).status).toBe('pass');
    expect(evaluateBudget(99.9999, 100, 'bigger', null).status).toBe('fail');
  });
  it('a breach the baseline already had is pre-existing (a warning); a baseline inside the budget makes it new', () => {
    expect(evaluateBudget(9, 8, 'smaller', 8.5).status).toBe('pre-existing');
    expect(evaluateBudget(9, 8, 'smaller', 8).status).toBe('fail');
    expect(evaluateBudget(90, 100, 'bigger', 95).status).toBe('pre-existing');
  });
  it('margin in % of the budget', () => {
    expect(evaluateBudget(12, 10, 'smaller', null).marginPct).toBeCloseTo(20, 10);
    expect(evaluateBudget(8, 10, 'smaller', null).marginPct).toBeCloseTo(-20, 10);
    expect(evaluateBudget(80, 100, 'bigger', null).marginPct).toBeCloseTo(20, 10);
  });
});

describe('budgetsFromEnv (the seed variables)', () => {
  it('reads the PR profile of the playbook', () => {
    const r = budgetsFromEnv({ SLO_VERIFY_P95_MS: '15', SLO_ENCODE_P95_MS: '150', SLO_GQL_P95_MS: '150', GQL_SAMPLES: '20', GQL_WARMUP: '3', ENC_MB: '1', PATH: '/bin' });
    expect(r.budgets).toEqual([
      { metric: 'encode', measure: 'latency', limit: 150 },
      { metric: 'gql', measure: 'latency', limit: 150 },
      { metric: 'verify', measure: 'latency', limit: 15 },
    ]);
    expect(r.samplePlan).toEqual({ gql: { samples: 20, warmup: 3 } });
    expect(r.errors).toEqual([]);
  });
  it('other units, multi-word metrics, bad values are named', () => {
    const r = budgetsFromEnv({ SLO_DB_QUERY_P95_US: '500', SLO_X_P95_MS: 'fast', SLO_Y_P95_MS: '-1', GQL_SAMPLES: '2.5', SLO_Z_P95_MS: '' });
    expect(r.budgets).toEqual([{ metric: 'db_query', measure: 'latency', limit: 0.5 }]);
    expect(r.errors).toEqual([
      'GQL_SAMPLES="2.5": not a whole number',
      'SLO_X_P95_MS="fast": not a non-negative number',
      'SLO_Y_P95_MS="-1": not a non-negative number',
      'SLO_Z_P95_MS="": not a non-negative number',
    ]);
  });
});
