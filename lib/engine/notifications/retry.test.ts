import { describe, expect, it } from 'vitest';
import { backoffMs, classifyOutcome, DEFAULT_RETRY, nextState, parseRetryAfter, withJitter } from './retry';

const MIN = 60_000;
const NOW = Date.parse('2026-12-03T10:00:00Z');

describe('backoff schedule', () => {
  it('is 2, 6, 18, 54, 162, 486 min then capped at 12 h; 0 before any failure', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n) / MIN)).toEqual([0, 2, 6, 18, 54, 162, 486, 720, 720]);
  });
  it('8 attempts span about 24 h (sum of the 7 waits without jitter)', () => {
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((s, n) => s + backoffMs(n), 0);
    expect(total / MIN).toBe(1448);
  });
  it('jitter is ±20 % at the ends of random ∈ [0, 1), exact in the middle, and clamps bad randoms', () => {
    expect(withJitter(1000, 0)).toBe(800);
    expect(withJitter(1000, 0.5)).toBe(1000);
    expect(withJitter(1000, 0.999999)).toBe(1200);
    expect(withJitter(1000, -3)).toBe(800);
    expect(withJitter(1000, 7)).toBe(1200);
    expect(withJitter(1000, Number.NaN)).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7000);
  });
  it('reads the three HTTP-date forms, relative to now; a past date is 0', () => {
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfter('Thursday, 03-Dec-26 10:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('Thu Dec  3 10:00:10 2026', NOW)).not.toBeNull();
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:00:00 GMT', NOW)).toBe(0);
  });
  it('garbage is null, never NaN or a year', () => {
    for (const v of [null, undefined, '', '  ', '-5', '1.5', '1e3', 'soon', 'Mon, garbage', 'Dec 2026', '3 Dec 2026 10:00:00 GMT', '12345678901', 'Fri, 99 Foo 2026 25:61:00 GMT']) {
      expect(parseRetryAfter(v, NOW), String(v)).toBeNull();
    }
  });
});

describe('classification', () => {
  const http = (status: number, retryAfter?: string) => classifyOutcome({ type: 'http', status, retryAfter }, NOW);
  it('2xx is ok at both ends; 199 and 300 are not', () => {
    expect(http(200).verdict).toBe('ok');
    expect(http(299).verdict).toBe('ok');
    expect(http(199).verdict).toBe('retry');
    expect(http(300).verdict).toBe('permanent');
  });
  it('4xx is permanent except 408 and 429', () => {
    expect([400, 401, 403, 404, 407, 409, 410, 413, 428, 430, 499].map((s) => http(s).verdict)).toEqual(Array(11).fill('permanent'));
    expect(http(408)).toMatchObject({ verdict: 'retry', afterMs: null });
    expect(http(429)).toMatchObject({ verdict: 'retry', afterMs: null });
  });
  it('429 and 503 honour Retry-After; other 5xx do not', () => {
    expect(http(429, '30')).toMatchObject({ verdict: 'retry', afterMs: 30_000 });
    expect(http(503, '5')).toMatchObject({ verdict: 'retry', afterMs: 5000 });
    expect(http(500, '5')).toMatchObject({ verdict: 'retry', afterMs: null });
    expect(http(599).verdict).toBe('retry');
  });
  it('redirects are permanent and say why; network and timeout retry; refusals are permanent', () => {
    expect(http(302)).toMatchObject({ verdict: 'permanent', error: expect.stringContaining('redirects are not followed') });
    expect(classifyOutcome({ type: 'network', message: 'ECONNREFUSED' }, NOW)).toMatchObject({ verdict: 'retry', error: 'network error: ECONNREFUSED' });
    expect(classifyOutcome({ type: 'timeout', afterMs: 10_000 }, NOW)).toMatchObject({ verdict: 'retry', error: 'timed out after 10 s' });
    expect(classifyOutcome({ type: 'refused', message: 'address not allowed' }, NOW).verdict).toBe('permanent');
  });
  it('SMTP 4xx retries, 5xx is permanent, acceptance is ok', () => {
    expect(classifyOutcome({ type: 'smtp', code: 421, message: 'busy' }, NOW).verdict).toBe('retry');
    expect(classifyOutcome({ type: 'smtp', code: 550, message: 'no such user' }, NOW).verdict).toBe('permanent');
    expect(classifyOutcome({ type: 'sent' }, NOW).verdict).toBe('ok');
  });
  it('keeps a short one-line body snippet in the error', () => {
    const v = classifyOutcome({ type: 'http', status: 500, body: `oops\n${'x'.repeat(500)}` }, NOW);
    expect(v.verdict === 'retry' && v.error).toBe(`HTTP 500: oops ${'x'.repeat(195)}`);
  });
});

describe('next state', () => {
  const fail = { type: 'http', status: 500 } as const;
  it('retries with backoff until the 8th attempt, then is dead', () => {
    expect(nextState(fail, 1, NOW, 0.5)).toEqual({ status: 'failed', nextAttemptAt: NOW + 2 * MIN, error: 'HTTP 500' });
    expect(nextState(fail, 7, NOW, 0.5)).toEqual({ status: 'failed', nextAttemptAt: NOW + 720 * MIN, error: 'HTTP 500' });
    expect(nextState(fail, DEFAULT_RETRY.maxAttempts, NOW, 0.5)).toEqual({ status: 'dead', cause: 'exhausted', error: 'HTTP 500 (gave up after 8 attempts)' });
    expect(nextState(fail, 9, NOW, 0.5).status).toBe('dead');
  });
  it('uses Retry-After exactly, clamped to [0, 12 h]', () => {
    expect(nextState({ type: 'http', status: 429, retryAfter: '42' }, 1, NOW, 0)).toMatchObject({ nextAttemptAt: NOW + 42_000 });
    expect(nextState({ type: 'http', status: 429, retryAfter: '999999' }, 1, NOW, 0)).toMatchObject({ nextAttemptAt: NOW + 720 * MIN });
    expect(nextState({ type: 'http', status: 429, retryAfter: 'nope' }, 1, NOW, 0)).toMatchObject({ nextAttemptAt: NOW + 0.8 * 2 * MIN });
  });
  it('a permanent failure is dead on the first attempt; success is delivered', () => {
    expect(nextState({ type: 'http', status: 410 }, 1, NOW, 0.5)).toEqual({ status: 'dead', cause: 'permanent', error: 'HTTP 410' });
    expect(nextState({ type: 'http', status: 204 }, 3, NOW, 0.5)).toEqual({ status: 'delivered' });
  });
});
