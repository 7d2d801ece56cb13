/**
 * What `steward perf check` prints: a table for the terminal, Markdown for a PR comment or
 * `$GITHUB_STEP_SUMMARY`, and the exit code (README, "CLI"): 0 pass (warnings allowed), 1 a budget
 * or a confirmed regression failed, 2 something warned and --fail-on-warn was given.
 */
import type { PerfMetricVerdict, PerfRunResult } from '@/lib/services/perf/run-result';

export const PERF_EXIT = { PASS: 0, FAIL: 1, WARN: 2 } as const;

export function gateExit(r: Pick<PerfRunResult, 'status'>, failOnWarn: boolean): number {
  if (r.status === 'fail') return PERF_EXIT.FAIL;
  if (r.status === 'warn' && failOnWarn) return PERF_EXIT.WARN;
  return PERF_EXIT.PASS;
}

/** 6.402 ms, 254 ns, 1.20 s, 33.3 ops/s, 512 B. */
export function formatValue(v: number, unit: string): string {
  if (unit === 'ms') {
    const a = Math.abs(v);
    if (a !== 0 && a < 0.001) return `${(v * 1e6).toPrecision(3)} ns`;
    if (a !== 0 && a < 1) return `${(v * 1e3).toPrecision(3)} µs`;
    if (a >= 1000) return `${(v / 1000).toPrecision(3)} s`;
    return `${v.toPrecision(3)} ms`;
  }
  return `${Number(v.toPrecision(4))} ${unit}`;
}

export function metricStatus(m: PerfMetricVerdict): string {
  if (m.budget?.status === 'fail') return 'FAIL (budget)';
  if (m.regression?.status === 'fail') return 'FAIL (regression)';
  if (m.budget?.status === 'pre-existing') return 'warn (budget, pre-existing)';
  if (m.regression?.status === 'suspect') return 'suspect (rerun to confirm)';
  if (m.regression?.status === 'warn') return 'warn';
  if (m.regression?.status === 'improved') return 'improved';
  if (m.regression?.status === 'within-noise') return 'ok (within noise)';
  return 'ok';
}

const delta = (m: PerfMetricVerdict) => (m.regression ? `${m.regression.worsePct >= 0 ? '+' : ''}${m.regression.worsePct.toFixed(1)} %` : '–');
const floor = (m: PerfMetricVerdict) => (m.regression?.noiseFloorPct == null ? '–' : `±${m.regression.noiseFloorPct.toFixed(1)} %`);
const row = (m: PerfMetricVerdict) => [
  m.measure === 'latency' ? m.name : `${m.name} (${m.measure})`,
  formatValue(m.value, m.unit) + (m.valueKind === 'p95' ? ` p95 of ${m.n}` : m.valueKind === 'p95-reported' ? ' p95' : ` ${m.valueKind}`),
  m.budget ? formatValue(m.budget.limit, m.unit) : '–',
  m.baseline ? `${formatValue(m.baseline.value, m.unit)} (v${m.baseline.version})` : '–',
  delta(m),
  floor(m),
  metricStatus(m),
];
const HEAD = ['metric', 'value', 'budget', 'baseline', 'Δ (worse +)', 'noise floor', 'status'];

export function gateTable(r: PerfRunResult): string {
  const rows = [HEAD, ...r.metrics.map(row)];
  const widths = HEAD.map((_, i) => Math.min(60, Math.max(...rows.map((x) => x[i]!.length))));
  const lines = rows.map((x) => x.map((c, i) => c.slice(0, 60).padEnd(widths[i]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('', `${r.project} · ${r.profile}${r.branch ? ` · ${r.branch}` : ''} vs ${r.baseBranch} · ${r.testbed}: ${r.status.toUpperCase()}${r.duplicate ? ' (already stored)' : ''}`);
  for (const m of r.metrics) if (m.regression && m.regression.status !== 'ok') lines.push(`  ${m.name}: ${m.regression.reason}`);
  for (const w of r.warnings.slice(0, 10)) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** Markdown-escapes untrusted text (benchmark names come from CI): no tables broken, no HTML, no mentions. */
export function mdEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|@~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

export function gateMarkdown(r: PerfRunResult): string {
  const icon = r.status === 'fail' ? '❌' : r.status === 'warn' ? '⚠️' : '✅';
  const out = [`### ${icon} Performance: ${r.status} — ${mdEscape(r.project)} · ${mdEscape(r.profile)}${r.branch ? ` · ${mdEscape(r.branch)}` : ''} vs ${mdEscape(r.baseBranch)}`, '', `Testbed: ${mdEscape(r.testbed)}${r.commit ? ` · commit \`${r.commit.slice(0, 12)}\`` : ''}`, ''];
  out.push(`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i === 0 || i === HEAD.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const m of r.metrics) out.push(`| ${row(m).map(mdEscape).join(' | ')} |`);
  const notes = r.metrics.filter((m) => m.regression && m.regression.status !== 'ok');
  if (notes.length) out.push('', ...notes.map((m) => `- **${mdEscape(m.name)}**: ${mdEscape(m.regression!.reason)}`));
  if (r.warnings.length) out.push('', `<details><summary>${r.warnings.length} warning(s)</summary>`, '', ...r.warnings.slice(0, 50).map((w) => `- ${mdEscape(w)}`), '', '</details>');
  return `${out.join('\n')}\n`;
}
