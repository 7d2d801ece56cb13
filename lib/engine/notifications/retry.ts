/**
 * Delivery outcomes and retries. Pure: the service reports what happened to an attempt, with
 * `now` and a random number, and this says what the delivery becomes.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is dead. */
  maxAttempts: number;
  /** Delay after the first failed attempt. */
  baseDelayMs: number;
  /** Each further failure multiplies the delay by this. */
  factor: number;
  /** No single delay exceeds this (before jitter); Retry-After is clamped to it too. */
  maxDelayMs: number;
  /** ± fraction of the delay, drawn from the `random` passed in (0.2 → 80 % … 120 %). */
  jitter: number;
}

const MINUTE = 60_000;
/**
 * 8 attempts over about 24 h: after the 1st…7th failure wait 2, 6, 18, 54, 162, 486, 720 min
 * (the last one capped at 12 h), ±20 %. The 8th attempt comes ~24.1 h after the first.
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2 * MINUTE, factor: 3, maxDelayMs: 12 * 60 * MINUTE, jitter: 0.2 };

/** The delay after `failed` failed attempts (≥ 1), without jitter: base·factor^(failed−1), capped. */
export function backoffMs(failed: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  if (failed < 1) return 0;
  return Math.min(policy.baseDelayMs * policy.factor ** (failed - 1), policy.maxDelayMs);
}

/** `ms` scaled into [1 − jitter, 1 + jitter) by `random` ∈ [0, 1); out-of-range randoms are clamped. */
export function withJitter(ms: number, random: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const r = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  return Math.round(ms * (1 - policy.jitter + 2 * policy.jitter * r));
}

const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i;

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds (digits only) or an
 * HTTP-date (IMF-fixdate, RFC 850 or asctime). A date in the past is 0. Anything else — empty,
 * negative, fractional, a bare number Date.parse would take as a year, garbage — is null.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  const v = value?.trim() ?? '';
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  if (!HTTP_DATE.test(v)) return null;
  const at = Date.parse(v);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, at - now);
}

/** What one attempt came to, as the transport saw it. */
export type AttemptOutcome =
  | { type: 'http'; status: number; retryAfter?: string | null; body?: string }
  /** SMTP: accepted by the server. */
  | { type: 'sent'; info?: string }
  /** SMTP reply code (4xx transient, 5xx permanent) with its text. */
  | { type: 'smtp'; code: number; message: string }
  | { type: 'network'; message: string }
  | { type: 'timeout'; afterMs: number }
  /** Refused before sending (address not allowed, secret unreadable, bad config): never retried. */
  | { type: 'refused'; message: string };

export type Verdict = { verdict: 'ok' } | { verdict: 'retry'; afterMs: number | null; error: string } | { verdict: 'permanent'; error: string };

const snippet = (s: string | undefined) => (s ? `: ${s.replace(/\s+/g, ' ').trim().slice(0, 200)}` : '');

/**
 * 2xx (and an SMTP acceptance) is ok. 408 and 429 are retried, 429 and 503 after their
 * Retry-After when it parses; other 4xx are permanent (the request is wrong and will stay wrong);
 * 3xx is permanent (redirects are not followed: a moved hook must be re-entered). 5xx, other
 * codes, network errors and timeouts are retried. SMTP 4xx is retried, 5xx permanent.
 */
export function classifyOutcome(o: AttemptOutcome, now: number): Verdict {
  switch (o.type) {
    case 'sent':
      return { verdict: 'ok' };
    case 'http': {
      const s = o.status;
      if (s >= 200 && s < 300) return { verdict: 'ok' };
      const error = `HTTP ${s}${snippet(o.body)}`;
      if (s === 429 || s === 503) return { verdict: 'retry', afterMs: parseRetryAfter(o.retryAfter, now), error };
      if (s === 408) return { verdict: 'retry', afterMs: null, error };
      if (s >= 300 && s < 400) return { verdict: 'permanent', error: `${error} (redirects are not followed; enter the final URL)` };
      if (s >= 400 && s < 500) return { verdict: 'permanent', error };
      return { verdict: 'retry', afterMs: null, error };
    }
    case 'smtp':
      return o.code >= 400 && o.code < 500
        ? { verdict: 'retry', afterMs: null, error: `SMTP ${o.code}${snippet(o.message)}` }
        : { verdict: 'permanent', error: `SMTP ${o.code}${snippet(o.message)}` };
    case 'network':
      return { verdict: 'retry', afterMs: null, error: `network error${snippet(o.message)}` };
    case 'timeout':
      return { verdict: 'retry', afterMs: null, error: `timed out after ${Math.round(o.afterMs / 1000)} s` };
    case 'refused':
      return { verdict: 'permanent', error: `refused${snippet(o.message)}` };
  }
}

export type NextState =
  | { status: 'delivered' }
  | { status: 'failed'; nextAttemptAt: number; error: string }
  | { status: 'dead'; error: string; cause: 'permanent' | 'exhausted' };

/**
 * The delivery's next state after its `attempts`-th attempt (this one included) came to `o` at
 * `now`. A retryable failure with attempts left waits backoff (with jitter from `random`), or
 * exactly the server's Retry-After clamped to [0, maxDelayMs]; with none left it is dead.
 */
export function nextState(o: AttemptOutcome, attempts: number, now: number, random: number, policy: RetryPolicy = DEFAULT_RETRY): NextState {
  const v = classifyOutcome(o, now);
  if (v.verdict === 'ok') return { status: 'delivered' };
  if (v.verdict === 'permanent') return { status: 'dead', error: v.error, cause: 'permanent' };
  if (attempts >= policy.maxAttempts) return { status: 'dead', error: `${v.error} (gave up after ${attempts} attempts)`, cause: 'exhausted' };
  const delay = v.afterMs !== null ? Math.min(Math.max(v.afterMs, 0), policy.maxDelayMs) : withJitter(backoffMs(attempts, policy), random, policy);
  return { status: 'failed', nextAttemptAt: now + delay, error: v.error };
}
