import { describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from './roles';
import { effectiveScopes, SCOPE_INFO } from './token-scopes';

describe('effectiveScopes', () => {
  it('an owner never lends a token more than their current role covers', () => {
    expect(effectiveScopes(['ingest', 'read'], 'admin')).toEqual(['ingest', 'read']);
    expect(effectiveScopes(['ingest', 'read'], 'operator')).toEqual(['ingest', 'read']);
    expect(effectiveScopes(['ingest', 'read'], 'viewer')).toEqual(['read']);
    expect(effectiveScopes(['ingest'], 'viewer')).toEqual([]);
  });

  it('an unknown role covers nothing; no owner (CLI token) keeps every scope', () => {
    expect(effectiveScopes(['ingest', 'read'], 'superuser')).toEqual([]);
    expect(effectiveScopes(['ingest', 'read'], '')).toEqual([]);
    expect(effectiveScopes(['ingest', 'read'], null)).toEqual(['ingest', 'read']);
  });

  it('every scope has a description of what it grants today', () => {
    for (const s of TOKEN_SCOPES) expect(SCOPE_INFO[s].grants.length).toBeGreaterThan(10);
    // What ingest tokens post today: rotation runs, JUnit results, perf runs, soak/E2E/chaos (and nothing else).
    expect(SCOPE_INFO.ingest.grants).toBe('report rotation runs, test results, perf runs and histories, soak runs, E2E event logs, chaos results and sentinel reports, and manage cron checks (POST /api/v1/rotation-runs, /test-results, /perf-results, /perf-history, /soak-runs, /e2e-runs, /chaos-results, /sentinel-reports; POST/PATCH/DELETE /api/v1/checks)');
  });
});
