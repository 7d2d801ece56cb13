/**
 * What each API token scope grants, in one place: the Settings form shows `grants`, and token
 * verification uses `minRole` so a token never exceeds its owner's current role. When a new
 * capability lands (quarantine lists, perf samples), extend `grants` here and nowhere else.
 */
import { hasRole, type Role, type TokenScope } from './roles';

export interface ScopeInfo {
  /** What the scope lets a token do today, as shown next to its checkbox. */
  grants: string;
  /** The least role a signed-in user needs for the same calls (see each route's `access`). */
  minRole: Role;
}

export const SCOPE_INFO: Readonly<Record<TokenScope, ScopeInfo>> = {
  ingest: { grants: 'report rotation runs, test results, perf runs and histories, soak runs, E2E event logs, chaos results and sentinel reports, and manage cron checks (POST /api/v1/rotation-runs, /test-results, /perf-results, /perf-history, /soak-runs, /e2e-runs, /chaos-results, /sentinel-reports; POST/PATCH/DELETE /api/v1/checks)', minRole: 'operator' },
  read: { grants: 'read the API (GET /api/v1/…) and scrape /metrics', minRole: 'viewer' },
};

/**
 * The scopes a token may use: those it was given that its owner's current role still covers.
 * A token with no owner (made with the CLI, which needs machine access) keeps all its scopes.
 * Input order is kept; an unknown role covers nothing.
 */
export function effectiveScopes(scopes: readonly TokenScope[], ownerRole: string | null): TokenScope[] {
  if (ownerRole === null) return [...scopes];
  return scopes.filter((s) => hasRole(ownerRole, SCOPE_INFO[s].minRole));
}
