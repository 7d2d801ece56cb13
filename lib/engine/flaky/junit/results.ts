/**
 * From test-case entries to results: entries with the same identity and variant in one file are
 * attempts of one result, in file order (gotestsum `--rerun-fails`, Playwright retries,
 * pytest-rerunfailures, TestNG retries, Gradle's retry plugin), and Surefire's rerun elements are
 * attempts within one entry. Pure.
 */
import type { AttemptOutcome, ParsedAttempt, ParsedCase, ResultOutcome, TestIdentity } from '../types';
import type { CaseProperty } from './case-properties';
import { ownString } from './identity';

/** One attempt as the model reads it, with the raw skip kind kept until the result is decided. */
export interface RawAttempt extends ParsedAttempt {
  skipKind: string | null;
}

/** One `<testcase>` (or TRX `UnitTestResult`): one or more attempts of one test. */
export interface CaseEntry {
  identity: TestIdentity;
  variant: string | null;
  attempts: RawAttempt[];
  synthetic: boolean;
  /**
   * Only with `keepProperties` (never in the flaky-tests ingest): the named properties of this
   * `<testcase>`. Results (`ParsedCase`) do not carry them; an `EntrySink` reads them.
   */
  properties?: readonly CaseProperty[];
}

/**
 * The outcome of a result from its attempts, in order:
 * - no attempt executed (all skipped) → `skipped`;
 * - executed attempts both passed and failed/errored → `flaky` (a flake is "passed and failed on the
 *   same commit and variant"; a pass followed by a failing re-run counts too);
 * - only passes → `passed`; only failures/errors → the last executed attempt decides.
 * Skipped attempts between executed ones are ignored. A synthetic entry is never `flaky`: it takes
 * its last executed attempt's outcome.
 */
export function resultOutcome(attempts: readonly { outcome: AttemptOutcome }[], synthetic = false): ResultOutcome {
  const executed = attempts.filter((a) => a.outcome !== 'skipped');
  const last = executed[executed.length - 1];
  if (!last) return 'skipped';
  const passed = executed.some((a) => a.outcome === 'passed');
  const bad = executed.some((a) => a.outcome !== 'passed');
  if (passed && bad && !synthetic) return 'flaky';
  return last.outcome;
}

/** Receives the entries of a file in document order (the collector below, or a spool of the caller's). */
export interface EntrySink {
  add(entry: CaseEntry): void;
}

/** What groups entries into one result: identity and variant (JSON-free, a NUL cannot be in either). */
export const entryKey = (e: Pick<CaseEntry, 'identity' | 'variant'>): string => `${e.identity.key}\u0000${e.variant ?? ''}`;

/** The entry with strings of its own (see `ownString`): a kept entry never pins XML chunks. */
export function ownEntry(entry: CaseEntry): CaseEntry {
  return { ...entry, variant: entry.variant === null ? null : ownString(entry.variant), attempts: entry.attempts.map(own) };
}

/** One result from all its entries' attempts, in order (see `resultOutcome`). */
export function entryToCase(e: CaseEntry): ParsedCase {
  const outcome = resultOutcome(e.attempts, e.synthetic);
  let total = 0;
  let timed = false;
  for (const a of e.attempts) {
    if (a.durationMs === null) continue;
    total += a.durationMs;
    timed = true;
  }
  const parsed: ParsedCase = {
    identity: e.identity,
    outcome,
    attempts: e.attempts.map(({ skipKind: _skip, ...a }) => a),
    durationMs: timed ? Math.round(total * 1000) / 1000 : null,
    skipKind: outcome === 'skipped' ? (e.attempts.find((a) => a.skipKind !== null)?.skipKind ?? 'skipped') : null,
    synthetic: e.synthetic,
  };
  if (e.variant !== null) parsed.variant = e.variant;
  return parsed;
}

/** Groups entries into results as they come; `results()` decides outcomes. */
export class ResultCollector implements EntrySink {
  private readonly byKey = new Map<string, CaseEntry>();

  add(entry: CaseEntry): void {
    const key = entryKey(entry);
    const seen = this.byKey.get(key);
    if (!seen) {
      this.byKey.set(key, ownEntry(entry));
      return;
    }
    seen.attempts.push(...entry.attempts.map(own));
    seen.synthetic ||= entry.synthetic;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Results in order of first appearance. */
  results(): ParsedCase[] {
    return [...this.byKey.values()].map(entryToCase);
  }
}

/** The attempt with strings of its own (see `ownString`): kept results never pin XML chunks. */
function own(a: RawAttempt): RawAttempt {
  const o = (s: string | null) => (s === null ? null : ownString(s));
  return { ...a, message: o(a.message), type: o(a.type), detail: o(a.detail), skipKind: o(a.skipKind) };
}

/** Heuristics for non-test entries: build failures, suites that failed to load, collection errors. */
export function isSynthetic(identity: TestIdentity, attempts: readonly RawAttempt[]): boolean {
  const text = `${identity.classname} ${identity.name}`.toLowerCase();
  if (text.includes('[build failed]') || text.includes('[setup failed]')) return true;
  if (text.includes('test suite failed to run')) return true;
  // pytest: a module that failed to import is an <error> entry with an empty classname and the
  // module path as its name; its message says "collection failure" (older: "collection error").
  if (identity.classname === '' && attempts.some((a) => a.outcome === 'error' && /collect/i.test(`${a.message ?? ''} ${identity.name}`))) return true;
  return false;
}
