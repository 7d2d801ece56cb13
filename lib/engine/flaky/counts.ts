/**
 * The counts of a parsed report, as the API, the uploads page and `steward report junit` print
 * them: `tests` = distinct test identities; `passed` … `flaky` = results by outcome (a test run in
 * two variants is two results); `attempts` = every attempt, retries included. Pure.
 */
import type { ParsedReport } from './types';

export interface OutcomeCounts {
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  attempts: number;
}

export const zeroCounts = (): OutcomeCounts => ({ tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0, attempts: 0 });

export function countReport(report: ParsedReport): OutcomeCounts {
  const c = zeroCounts();
  c.tests = new Set(report.cases.map((x) => x.identity.key)).size;
  for (const x of report.cases) {
    c[x.outcome === 'error' ? 'errors' : x.outcome]++;
    c.attempts += x.attempts.length;
  }
  return c;
}

/** Field-by-field sum. `tests` adds up too: callers that know the distinct set recount it. */
export function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { tests: a.tests + b.tests, passed: a.passed + b.passed, failed: a.failed + b.failed, errors: a.errors + b.errors, skipped: a.skipped + b.skipped, flaky: a.flaky + b.flaky, attempts: a.attempts + b.attempts };
}
