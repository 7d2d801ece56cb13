/**
 * What `steward soak report`, `steward e2e summarize` and `steward chaos report` print, and their
 * exit codes (README, "Soak tests"): 0 pass, 1 a criterion failed / a leak / an E2E run failed / a
 * chaos scenario below target, 64 bad input, 69 the server is unreachable (with --report-to).
 */
import type { ChaosVerdict, CriterionResult, LeakVerdict } from '@/lib/engine/soak';

export const SOAK_EXIT = { PASS: 0, FAIL: 1, BAD_INPUT: 64, UNREACHABLE: 69 } as const;

type Criterion = Pick<CriterionResult, 'id' | 'status' | 'value' | 'unit' | 'target' | 'detail'> & { label?: string };

const LABELS: Record<string, string> = {
  duration: 'Duration', memory_growth: 'Memory growth', avg_cpu: 'CPU usage (avg)', disk: 'Disk usage (peak)', ws_reconnects: 'WS reconnections',
  orphan_orders: 'Orphan orders', zombies: 'Zombie processes', crashes: 'Crashes', security: 'Security (CRITICAL/HIGH)',
};

const num = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

export function soakTable(r: { name: string; status: string; leak: Pick<LeakVerdict, 'verdict' | 'reason'>; criteria: Criterion[]; warnings: string[] }): string {
  const lines = [`Soak run "${r.name}": ${r.status.toUpperCase()}`, `Memory leak: ${r.leak.verdict.toUpperCase()} — ${r.leak.reason}`, ''];
  for (const c of r.criteria) {
    const value = c.value === null ? '—' : `${num(c.value)} ${c.unit}`;
    const target = `${c.target} ${c.unit}`;
    lines.push(`  ${c.status.toUpperCase().padEnd(7)} ${(LABELS[c.id] ?? c.label ?? c.id).padEnd(26)} ${value.padEnd(22)} target ${target}${c.status === 'unknown' ? `  (${c.detail})` : ''}`);
  }
  for (const w of r.warnings.slice(0, 10)) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export function soakExit(status: string): number {
  return status === 'fail' ? SOAK_EXIT.FAIL : SOAK_EXIT.PASS;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const secs = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function chaosTable(list: ChaosVerdict[], targets: { minSuccessRate: number; maxRecoveryMs: number }): string {
  const lines = [`Chaos: ${list.length} scenario(s); targets: success > ${(targets.minSuccessRate * 100).toFixed(0)} %, recovery < ${targets.maxRecoveryMs / 1000} s`];
  for (const s of list) {
    const bad = s.successOk === false || s.recoveryOk === false;
    lines.push(`  ${(bad ? 'FAIL' : 'PASS').padEnd(5)} ${s.scenario.padEnd(32)} ${`${s.passed}/${s.attempts}`.padEnd(9)} ${pct(s.successRate).padEnd(9)} recovery median ${secs(s.recoveryMedianMs)}, max ${secs(s.recoveryMaxMs)}`);
  }
  return lines.join('\n');
}
