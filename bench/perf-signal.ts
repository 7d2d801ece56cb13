/**
 * Bench: signal quality of regression detection (issue 10). Replays benchmark histories and
 * reports, per rule, the false-alert rate per run on series with no injected change (an alert
 * counted when a rule starts firing, for every rule alike), and the share
 * of injected steps (+5 %, +10 %, +25 %, in the bad direction) caught on the run of the step and
 * within 3 runs — Steward's rule beside the simple rules teams use otherwise and a Bencher-style
 * t-test, on the same data in the same run.
 *
 *   npx tsx bench/perf-signal.ts [path/to/gab-series.jsonl]
 *
 * Data: the real github-action-benchmark histories in ../shared/data/perf (read in place, never
 * copied; nominally unchanged workloads on shared runners, so an alert there is a false alarm —
 * the few real runner/toolchain shifts count against every rule alike) and synthetic series
 * (Gaussian noise 2–10 %, slow drift, bimodal runners, outliers) from a seeded generator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RULE } from '@/lib/engine/perf/regression';
import { quantile, robustSd } from '@/lib/engine/perf/stats';
import type { Direction } from '@/lib/engine/perf/types';
import { resolveUnit } from '@/lib/engine/perf/units';
import { bencherTTest, medianOf10, previousRun, type Rule, stewardRule } from './perf-signal/rules';

interface Series { name: string; direction: Direction; values: number[]; real: boolean }

const file = process.argv[2] ?? path.resolve(import.meta.dirname, '../../shared/data/perf/gab-series.jsonl');
const WARM = 31;
const STEPS = [0.05, 0.1, 0.25];

function realSeries(): Series[] {
  if (!fs.existsSync(file)) { console.error(`note: ${file} not found; synthetic series only`); return []; }
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const s = JSON.parse(line) as { suite: string; name: string; unit: string; points: { value: number }[] };
    return { name: `${s.suite} / ${s.name}`, direction: resolveUnit(s.unit).direction, values: s.points.map((p) => p.value), real: true };
  }).filter((s) => s.values.length > WARM + 5);
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function gauss(r: () => number): number { return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()); }

function syntheticSeries(): Series[] {
  const out: Series[] = [];
  const kinds: [string, (r: () => number, i: number) => number][] = [
    ['gaussian 2 %', (r) => 100 * (1 + 0.02 * gauss(r))],
    ['gaussian 5 %', (r) => 100 * (1 + 0.05 * gauss(r))],
    ['gaussian 10 %', (r) => 100 * (1 + 0.1 * gauss(r))],
    ['drift +8 % over 200 runs, 3 %', (r, i) => 100 * (1 + 0.0004 * i) * (1 + 0.03 * gauss(r))],
    ['bimodal runners 100/112, 2 %', (r) => (r() < 0.5 ? 100 : 112) * (1 + 0.02 * gauss(r))],
    ['outliers (3 % of runs ×1.6), 3 %', (r) => 100 * (1 + 0.03 * gauss(r)) * (r() < 0.03 ? 1.6 : 1)],
  ];
  kinds.forEach(([kind, gen], k) => {
    for (let s = 0; s < 5; s++) {
      const r = rng(1000 * k + s + 1);
      out.push({ name: `${kind} #${s + 1}`, direction: 'smaller', values: Array.from({ length: 200 }, (_, i) => gen(r, i)), real: false });
    }
  });
  return out;
}

function falseAlerts(rule: Rule, s: Series): { alerts: number; runs: number } {
  const state = { recent: [] as string[] };
  let alerts = 0;
  let open = false;
  // A rule that keeps firing on consecutive runs raised one alert (Steward opens one regression;
  // a CI check stays red): counted when it starts, the same way for every rule.
  for (let t = WARM; t < s.values.length; t++) {
    const fired = rule.alerts(s.values, t, s.direction, state);
    if (fired && !open) alerts++;
    open = fired;
  }
  return { alerts, runs: s.values.length - WARM };
}

function injected(rule: Rule, s: Series, step: number): { within1: number; within3: number; injections: number } {
  let within1 = 0;
  let within3 = 0;
  let injections = 0;
  for (let at = WARM + 10; at + 3 <= s.values.length; at += 15) {
    const factor = s.direction === 'smaller' ? 1 + step : 1 / (1 + step);
    const v = s.values.slice(0, at + 3).map((x, i) => (i >= at ? x * factor : x));
    const state = { recent: [] as string[] };
    let first = -1;
    for (let t = WARM; t < v.length; t++) {
      const a = rule.alerts(v, t, s.direction, state);
      if (a && t >= at && first < 0) first = t;
    }
    injections++;
    if (first === at) within1++;
    if (first >= at && first < at + 3) within3++;
  }
  return { within1, within3, injections };
}

const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)} %` : '–');

const real = realSeries();
const synthetic = syntheticSeries();
const all = [...real, ...synthetic];
const rules: Rule[] = [
  stewardRule(DEFAULT_RULE, 30, 'Steward (10 %, robust z over 30 runs, confirm)'),
  stewardRule(),
  stewardRule({ ...DEFAULT_RULE, zCrit: 4 }, 10, 'Steward, zCrit 4'),
  stewardRule({ ...DEFAULT_RULE, confirmRuns: 1 }, 10, 'Steward, no confirmation'),
  previousRun,
  medianOf10,
  bencherTTest(30, 0.99),
];
console.log(`series: ${real.length} real (${real.reduce((n, s) => n + s.values.length, 0)} runs), ${synthetic.length} synthetic (${synthetic.length * 200} runs)`);
console.log('\n| rule | false alerts / run, real | false alerts / run, synthetic | +5 % in 1 / 3 runs | +10 % in 1 / 3 runs | +25 % in 1 / 3 runs |');
console.log('|---|---|---|---|---|---|');
const started = performance.now();
for (const rule of rules) {
  const fa = (set: Series[]) => set.map((s) => falseAlerts(rule, s)).reduce((a, b) => ({ alerts: a.alerts + b.alerts, runs: a.runs + b.runs }), { alerts: 0, runs: 0 });
  const fr = fa(real);
  const fs_ = fa(synthetic);
  const caught = STEPS.map((step) => all.map((s) => injected(rule, s, step)).reduce((a, b) => ({ within1: a.within1 + b.within1, within3: a.within3 + b.within3, injections: a.injections + b.injections }), { within1: 0, within3: 0, injections: 0 }));
  console.log(`| ${rule.name} | ${pct(fr.alerts, fr.runs)} | ${pct(fs_.alerts, fs_.runs)} | ${caught.map((c) => `${pct(c.within1, c.injections)} / ${pct(c.within3, c.injections)}`).join(' | ')} |`);
}
// Where a 10 % step cannot be told from noise: the noise floor (zCrit × robust CV of 10 runs).
const floors = all.map((s) => {
  const cvs: number[] = [];
  for (let t = WARM; t < s.values.length; t++) { const h = s.values.slice(t - 10, t); cvs.push(robustSd(h) / Math.abs(quantile(h, 0.5))); }
  return { s, floorPct: DEFAULT_RULE.zCrit * quantile(cvs, 0.5) * 100 };
});
const blind = floors.filter((f) => f.floorPct > DEFAULT_RULE.failPct);
console.log(`\nseries whose median noise floor is above the ${DEFAULT_RULE.failPct} % threshold (Steward marks their results "threshold below noise"): ${blind.length} of ${all.length}`);
for (const f of blind) console.log(`  ${f.s.name}: ${f.floorPct.toFixed(1)} %`);
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
