/**
 * The memory-leak verdict (soak runbook §1: "> 10 MB/h = leak"), from a robust trend, never from
 * two end points. The rule, in order:
 *
 * 1. Drop the warm-up (default the first 30 minutes: caches fill, JITs compile, pools grow).
 * 2. Fewer than `minSamples` RSS samples (20) or less than `minFitHours` (2 h) left → inconclusive.
 * 3. Fit the Theil–Sen slope (MB/h) with its 95 % interval (Sen's method, see theil-sen.ts).
 * 4. A one-off step (step.ts) is not growth: the slope is re-fitted on the samples after it, and the
 *    step is reported; too little after it → inconclusive.
 * 5. A slope above the threshold whose troughs do not rise faster than it (the minimum of each of
 *    8 equal time blocks, fitted the same way) is no leak: a garbage collector's sawtooth has stable
 *    troughs (memory comes back after each collection), so samples that trend up within an
 *    unfinished cycle are not a leak; a real leak raises the floor.
 * 6. Leak when the interval's LOWER bound is above the threshold (strictly: exactly 10 MB/h is not a
 *    leak). The interval is widened for serial correlation (theil-sen.ts, `correlated`).
 * 7. A slope above the threshold whose interval reaches below it is inconclusive ("run longer"):
 *    not proven either way. Otherwise: no leak.
 */
import { findStep } from './step';
import { theilSen, type TheilSenFit } from './theil-sen';
import type { SoakReportedSummary, SoakSample } from './types';

export interface LeakOptions {
  thresholdMbPerHour: number;
  warmupMinutes: number;
  minSamples: number;
  minFitHours: number;
  confidence: 0.9 | 0.95 | 0.99;
  maxPoints: number;
}

export const DEFAULT_LEAK_OPTIONS: Readonly<LeakOptions> = { thresholdMbPerHour: 10, warmupMinutes: 30, minSamples: 20, minFitHours: 2, confidence: 0.95, maxPoints: 1000 };
const TROUGH_BLOCKS = 8;
const HOUR = 3_600_000;

export type LeakVerdictKind = 'leak' | 'no-leak' | 'inconclusive';

export interface LeakFit {
  slopeMbPerHour: number;
  lowerMbPerHour: number;
  upperMbPerHour: number;
  /** RSS (MB) of the fitted line at `fromT`. */
  interceptMb: number;
  fromT: number;
  toT: number;
  points: number;
  pairs: number;
}

export interface LeakVerdict {
  verdict: LeakVerdictKind;
  /** One sentence for people: what was measured and why the verdict follows. */
  reason: string;
  /** `fit`: Steward's own trend; `reported`: the producer's resources.analysis.json (no samples). */
  source: 'fit' | 'reported' | 'none';
  fit: LeakFit | null;
  troughSlopeMbPerHour: number | null;
  step: { t: number; sizeMb: number } | null;
  samples: number;
  warmupEndT: number | null;
  thresholdMbPerHour: number;
}

/** How soak figures are rounded everywhere (sentences, CLI, pages): one decimal below 100, none from 100. */
export const f1 = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

function fitOf(ts: number[], ys: number[], o: LeakOptions): LeakFit | null {
  const t0 = ts[0]!;
  const fit: TheilSenFit | null = theilSen(ts.map((t) => (t - t0) / HOUR), ys, { maxPoints: o.maxPoints, confidence: o.confidence, correlated: true });
  if (!fit) return null;
  return { slopeMbPerHour: fit.slope, lowerMbPerHour: fit.lower, upperMbPerHour: fit.upper, interceptMb: fit.intercept, fromT: t0, toT: ts[ts.length - 1]!, points: fit.points, pairs: fit.pairs };
}

function troughSlope(ts: number[], ys: number[], o: LeakOptions): number | null {
  const from = ts[0]!;
  const span = ts[ts.length - 1]! - from;
  if (span <= 0) return null;
  const mins: { t: number; y: number }[] = [];
  let b = -1;
  for (let i = 0; i < ts.length; i++) {
    const block = Math.min(TROUGH_BLOCKS - 1, Math.floor(((ts[i]! - from) / span) * TROUGH_BLOCKS));
    if (block !== b) { mins.push({ t: from + ((block + 0.5) * span) / TROUGH_BLOCKS, y: ys[i]! }); b = block; }
    else if (ys[i]! < mins[mins.length - 1]!.y) mins[mins.length - 1]!.y = ys[i]!;
  }
  if (mins.length < 4) return null;
  return theilSen(mins.map((m) => (m.t - from) / HOUR), mins.map((m) => m.y), { maxPoints: o.maxPoints, confidence: o.confidence })?.slope ?? null;
}

function tooFew(ts: number[], o: LeakOptions): string | null {
  const hours = ts.length ? (ts[ts.length - 1]! - ts[0]!) / HOUR : 0;
  if (ts.length < o.minSamples || hours < o.minFitHours) return `${ts.length} RSS sample(s) over ${f1(hours)} h`;
  return null;
}

export function judgeLeak(samples: readonly SoakSample[], options: Partial<LeakOptions> = {}, reported: SoakReportedSummary | null = null): LeakVerdict {
  const o: LeakOptions = { ...DEFAULT_LEAK_OPTIONS, ...options };
  const thr = o.thresholdMbPerHour;
  const rss = samples.filter((s) => s.rssMb !== null);
  const base = { fit: null, troughSlopeMbPerHour: null, step: null, samples: rss.length, warmupEndT: null, thresholdMbPerHour: thr } as const;
  if (!rss.length) {
    if (reported && (reported.memoryGrowthMbPerHour !== null || reported.memoryLeakDetected !== null)) return fromReported(reported, thr);
    return { ...base, verdict: 'inconclusive', source: 'none', reason: 'Inconclusive: no RSS samples (send the resource samples, not only a summary).' };
  }
  const warmupEndT = rss[0]!.t + o.warmupMinutes * 60_000;
  let ts: number[] = [];
  let ys: number[] = [];
  for (const s of rss) if (s.t >= warmupEndT) { ts.push(s.t); ys.push(s.rssMb!); }
  const need = `needs at least ${o.minSamples} samples over ${o.minFitHours} h after the ${o.warmupMinutes}-minute warm-up`;
  const short = tooFew(ts, o);
  if (short) return { ...base, warmupEndT, verdict: 'inconclusive', source: 'fit', reason: `Inconclusive: too short to judge: ${short} after the warm-up; the trend ${need}.` };
  let fit = fitOf(ts, ys, o)!;
  let step: LeakVerdict['step'] = null;
  const s = findStep(ts.map((t) => (t - ts[0]!) / HOUR), ys, { slope: fit.slopeMbPerHour, intercept: fit.interceptMb });
  if (s) {
    step = { t: ts[s.index]!, sizeMb: s.sizeMb };
    ts = ts.slice(s.index);
    ys = ys.slice(s.index);
    const after = tooFew(ts, o);
    if (after) return { ...base, warmupEndT, fit, step, verdict: 'inconclusive', source: 'fit', reason: `Inconclusive: a one-off step of ${s.sizeMb > 0 ? '+' : ''}${f1(s.sizeMb)} MB, then only ${after}; the trend after it ${need}.` };
    fit = fitOf(ts, ys, o)!;
  }
  const trough = troughSlope(ts, ys, o);
  const iv = `${f1(fit.slopeMbPerHour)} MB/h (${Math.round(o.confidence * 100)} % interval ${f1(fit.lowerMbPerHour)} to ${f1(fit.upperMbPerHour)})`;
  const stepNote = step ? ` after a one-off step of ${step.sizeMb > 0 ? '+' : ''}${f1(step.sizeMb)} MB` : '';
  const common = { ...base, warmupEndT, fit, step, troughSlopeMbPerHour: trough, source: 'fit' as const, samples: rss.length };
  if (fit.slopeMbPerHour > thr && trough !== null && trough <= thr) return { ...common, verdict: 'no-leak', reason: `No leak: RSS trends ${iv}${stepNote}, but the troughs after each collection stay at ${f1(trough)} MB/h: a sawtooth, not a leak.` };
  if (fit.lowerMbPerHour > thr) return { ...common, verdict: 'leak', reason: `Leak: RSS grows ${iv}${stepNote}; the whole interval is above ${thr} MB/h.` };
  if (fit.slopeMbPerHour > thr) return { ...common, verdict: 'inconclusive', reason: `Inconclusive: RSS grows ${iv}${stepNote}, above ${thr} MB/h, but the interval reaches below it; run longer.` };
  return { ...common, verdict: 'no-leak', reason: `No leak: RSS grows ${iv}${stepNote}, not above ${thr} MB/h.` };
}

function fromReported(r: SoakReportedSummary, thr: number): LeakVerdict {
  const g = r.memoryGrowthMbPerHour;
  const leak = g !== null ? g > thr : r.memoryLeakDetected === true;
  const said = g !== null ? `${f1(g)} MB/h` : `memory_leak_detected: ${String(r.memoryLeakDetected)}`;
  return {
    verdict: leak ? 'leak' : 'no-leak', source: 'reported', fit: null, troughSlopeMbPerHour: null, step: null, samples: 0, warmupEndT: null, thresholdMbPerHour: thr,
    reason: `${leak ? 'Leak' : 'No leak'} as reported by resources.analysis.json (${said}); Steward had no samples to fit a trend of its own.`,
  };
}
