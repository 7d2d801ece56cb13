/**
 * The Mann–Whitney path, which the real histories cannot exercise (github-action-benchmark keeps
 * one value per run): synthetic runs of raw samples, with a run-to-run level noise (the machine,
 * its neighbours) under the within-run sample noise, fed to Steward's rule as production feeds it —
 * the baseline's samples pooled from its 5-run window, its value their p95, its history the run
 * values before, and the earlier runs of a streak with the p-value they would have been stored with.
 */
import { compareToBaseline, DEFAULT_RULE, type PriorRun, type Reference, type RegressionRule } from '@/lib/engine/perf/regression';
import { summarize } from '@/lib/engine/perf/stats';

export interface SampledSeries { name: string; runs: number[][]; values: number[] }

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Runs of `n` log-normal samples (spread `within`) around a level that moves `between` from run to run. */
export function sampledSeries(between: number, within: number, n: number, count: number, runs = 200): SampledSeries[] {
  return Array.from({ length: count }, (_, s) => {
    const r = rng(9000 + 100 * Math.round(between * 1000) + s);
    const samples = Array.from({ length: runs }, () => {
      const level = 100 * (1 + between * gauss(r));
      return Array.from({ length: n }, () => level * Math.exp(within * gauss(r)));
    });
    return { name: `run-to-run ${between * 100} %, samples ${within * 100} % × ${n} #${s + 1}`, runs: samples, values: samples.map((x) => summarize(x).p95!) };
  });
}

export interface SampledRule { name: string; alerts(s: SampledSeries, t: number): boolean }

/** `useSamples` / `useHistory` switch the two noise tests off, to see what each brings. */
export function stewardSampled(name: string, { useSamples, useHistory }: { useSamples: boolean; useHistory: boolean }, rule: RegressionRule = DEFAULT_RULE): SampledRule {
  const lag = rule.confirmWindow - 1;
  return {
    name,
    alerts(s, t) {
      const end = t - lag;
      const window = s.runs.slice(Math.max(0, end - 5), end).flat();
      const ref: Reference = { value: summarize(window).p95!, samples: useSamples ? window : null, history: useHistory ? s.values.slice(Math.max(0, end - 30), end) : [] };
      const obs = (i: number) => ({ value: s.values[i]!, samples: useSamples ? s.runs[i]! : null });
      const prior: PriorRun[] = [];
      for (let i = Math.max(0, end); i < t; i++) {
        const c = compareToBaseline(obs(i), ref, 'smaller', [], rule);
        prior.push({ value: s.values[i]!, n: useSamples ? s.runs[i]!.length : null, pValue: c.pValue });
      }
      return compareToBaseline(obs(t), ref, 'smaller', prior, rule).status === 'fail';
    },
  };
}

/** The share of unchanged runs whose Mann–Whitney p-value of "worse" is below alpha. */
export function mannWhitneyBelowAlpha(series: SampledSeries[], warm: number, rule: RegressionRule = DEFAULT_RULE): number {
  let below = 0;
  let runs = 0;
  for (const s of series) {
    for (let t = warm; t < s.runs.length; t++) {
      const window = s.runs.slice(t - 5, t).flat();
      const c = compareToBaseline({ value: s.values[t]!, samples: s.runs[t]! }, { value: summarize(window).p95!, samples: window, history: [] }, 'smaller', [], rule);
      runs++;
      // pValue is of "worse" unless the run improved by more than warnPct (then of "better").
      if (c.worsePct >= -rule.warnPct && c.pValue !== null && c.pValue < rule.alpha) below++;
    }
  }
  return below / runs;
}

/** Multiply every sample of runs from `at` on by `factor`. */
export function withStep(s: SampledSeries, at: number, factor: number): SampledSeries {
  const runs = s.runs.map((x, i) => (i >= at ? x.map((v) => v * factor) : x));
  return { name: s.name, runs, values: s.values.map((v, i) => (i >= at ? v * factor : v)) };
}
