/**
 * Is an artifact fresh? Nagios' check_file_age and the seed's sentinel, with two improvements:
 * a file dated in the future is its own verdict ("future", never fresh), since a clock running
 * ahead or a forged `touch -d` would otherwise keep a dead job green for as long as the lie
 * lasts; and the boundaries are exact and pinned by tests.
 */
import { exactSeconds, humanMs } from './time-text';
import type { FreshnessVerdict } from './types';

/** Clock skew between the artifact's writer and the observer that is still believed. */
export const DEFAULT_FUTURE_TOLERANCE_SECONDS = 300;

/**
 * The verdict on an artifact whose modification time is `mtime` (null: missing), at `now`.
 * - missing: `mtime` is null;
 * - future: `mtime > now + futureToleranceSeconds` (at exactly the tolerance it is believed);
 * - stale: age `now - mtime` > maxAgeSeconds (at exactly maxAge it is still fresh);
 * - fresh otherwise, including a small skew into the future within the tolerance.
 * Compared in milliseconds; `ageSeconds` is reported truncated toward zero (negative in the future).
 * Throws RangeError for a negative or non-finite maxAgeSeconds or tolerance (a config bug).
 */
export function evaluateFreshness(mtime: Date | null, maxAgeSeconds: number, now: Date, futureToleranceSeconds = DEFAULT_FUTURE_TOLERANCE_SECONDS): FreshnessVerdict {
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds < 0) throw new RangeError(`maxAgeSeconds must be a number >= 0 (got ${maxAgeSeconds})`);
  if (!Number.isFinite(futureToleranceSeconds) || futureToleranceSeconds < 0) throw new RangeError(`futureToleranceSeconds must be a number >= 0 (got ${futureToleranceSeconds})`);
  const max = exactSeconds(maxAgeSeconds);
  if (mtime === null || Number.isNaN(mtime.getTime())) return { status: 'missing', ageSeconds: null, maxAgeSeconds, reason: 'missing' };
  const ageMs = now.getTime() - mtime.getTime();
  // `|| 0` turns -0 (a few ms in the future) into 0.
  const ageSeconds = Math.trunc(ageMs / 1000) || 0;
  if (-ageMs > futureToleranceSeconds * 1000) {
    return { status: 'future', ageSeconds, maxAgeSeconds, reason: `modified ${humanMs(-ageMs)} in the future (clock skew or a forged timestamp)` };
  }
  if (ageMs < 0) {
    return { status: 'fresh', ageSeconds, maxAgeSeconds, reason: `modified ${humanMs(-ageMs)} in the future, within the ${exactSeconds(futureToleranceSeconds)} clock-skew allowance (max ${max})` };
  }
  const status = ageMs > maxAgeSeconds * 1000 ? 'stale' : 'fresh';
  return { status, ageSeconds, maxAgeSeconds, reason: `modified ${humanMs(ageMs)} ago (max ${max})` };
}

/**
 * The first instant at which the verdict on the same `mtime` changes by itself, or null:
 * a fresh file turns stale 1 ms after `mtime + maxAge`; a future file becomes believable at
 * `mtime - tolerance`; missing and stale stay as they are until the next observation.
 */
export function freshnessChangesAt(mtime: Date | null, maxAgeSeconds: number, now: Date, futureToleranceSeconds = DEFAULT_FUTURE_TOLERANCE_SECONDS): Date | null {
  const v = evaluateFreshness(mtime, maxAgeSeconds, now, futureToleranceSeconds);
  if (mtime === null) return null;
  if (v.status === 'fresh') return new Date(mtime.getTime() + maxAgeSeconds * 1000 + 1);
  if (v.status === 'future') return new Date(mtime.getTime() - futureToleranceSeconds * 1000);
  return null;
}
