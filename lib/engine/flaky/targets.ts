/**
 * The seed's success metrics (hologram day-2 playbook, "Success Metrics"): a project is healthy
 * when under 1 % of results are flaky and under 5 % of its tests are quarantined.
 */
export const FLAKE_RATE_TARGET = 0.01;
export const QUARANTINED_SHARE_TARGET = 0.05;

/** True when a measured share is strictly under its target; null (too little data) is not judged. */
export function meetsTarget(value: number | null, target: number): boolean | null {
  return value === null ? null : value < target;
}
