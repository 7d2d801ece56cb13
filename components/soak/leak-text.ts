/**
 * The leak verdict in words, from the run's stored fit: "Theil–Sen slope 14.2 MB/h, 95 % CI
 * 12.9–15.6 MB/h after a 30 min warm-up: leak (the whole interval is above 10 MB/h)". Every
 * figure is a stored one (soak_runs: slope, interval, trough slope, step; settings: the warm-up,
 * the confidence and the threshold the run was judged with).
 */
import { f1 } from './format';

export interface StoredLeak {
  leakVerdict: string;
  leakSource: string;
  slopeMbPerHour: number | null;
  slopeLower: number | null;
  slopeUpper: number | null;
  troughSlope: number | null;
  stepMb: number | null;
  warmupMinutes: number;
  confidence: number;
  thresholdMbPerHour: number;
}

const signed = (v: number) => (v < 0 ? `−${f1(-v)}` : f1(v));

export function intervalText(lower: number, upper: number): string {
  return lower < 0 ? `${signed(lower)} to ${signed(upper)}` : `${f1(lower)}–${f1(upper)}`;
}

function warmupText(min: number): string {
  if (min <= 0) return 'with no warm-up left out';
  return `after a ${min % 60 === 0 ? `${min / 60} h` : `${min} min`} warm-up`;
}

/** Null when the run has no fit of Steward's own (the stored reason says why). */
export function leakSentence(l: StoredLeak): string | null {
  if (l.leakSource !== 'fit' || l.slopeMbPerHour === null || l.slopeLower === null || l.slopeUpper === null) return null;
  const thr = l.thresholdMbPerHour;
  const step = l.stepMb !== null ? ` and a one-off step of ${l.stepMb > 0 ? '+' : '−'}${f1(Math.abs(l.stepMb))} MB` : '';
  const head = `Theil–Sen slope ${signed(l.slopeMbPerHour)} MB/h, ${Math.round(l.confidence * 100)} % CI ${intervalText(l.slopeLower, l.slopeUpper)} MB/h ${warmupText(l.warmupMinutes)}${step}`;
  if (l.leakVerdict === 'leak') return `${head}: leak (the whole interval is above ${thr} MB/h).`;
  if (l.leakVerdict === 'inconclusive') return `${head}: inconclusive (above ${thr} MB/h, but the interval reaches below it; run longer).`;
  if (l.slopeLower > thr && l.troughSlope !== null) return `${head}: no leak — the troughs after each collection rise only ${signed(l.troughSlope)} MB/h, a garbage collector's sawtooth.`;
  return `${head}: no leak (not above ${thr} MB/h).`;
}
