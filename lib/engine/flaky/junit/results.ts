/**
 * From test-case entries to results: entries with the same identity and variant in one file are
 * attempts of one result, in file order (gotestsum `--rerun-fails`, Playwright retries,
 * pytest-rerunfailures, TestNG retries, Gradle's retry plugin), and Surefire's rerun elements are
 * attempts within one entry. Pure.
 */
import type { AttemptOutcome, ParsedAttempt, ParsedCase, ResultOutcome, TestIdentity } from '../types';
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

/** Groups entries into results as they come; `results()` decides outcomes. */
export class ResultCollector {
  private readonly byKey = new Map<string, CaseEntry>();

  add(entry: CaseEntry): void {
    const key = `${entry.identity.key}\u0000${entry.variant ?? ''}`;
    const seen = this.byKey.get(key);
    const attempts = entry.attempts.map(own);
    if (!seen) {
      this.byKey.set(key, { ...entry, variant: entry.variant === null ? null : ownString(entry.variant), attempts });
      return;
    }
    seen.attempts.push(...attempts);
    seen.synthetic ||= entry.synthetic;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Results in order of first appearance. */
  results(): ParsedCase[] {
    const out: ParsedCase[] = [];
    for (const e of this.byKey.values()) {
      const outcome = resultOutcome(e.attempts, e.synthetic);
      const durations = e.attempts.map((a) => a.durationMs).filter((d): d is number => d !== null);
      const parsed: ParsedCase = {
        identity: e.identity,
        outcome,
        attempts: e.attempts.map(({ skipKind: _skip, ...a }) => a),
        durationMs: durations.length ? Math.round(durations.reduce((s, d) => s + d, 0) * 1000) / 1000 : null,
        skipKind: outcome === 'skipped' ? (e.attempts.find((a) => a.skipKind !== null)?.skipKind ?? 'skipped') : null,
        synthetic: e.synthetic,
      };
      if (e.variant !== null) parsed.variant = e.variant;
      out.push(parsed);
    }
    return out;
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
