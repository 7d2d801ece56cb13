/**
 * `steward quarantine check` and `steward test`: may this run count as green, given the
 * quarantine list? Pure.
 *
 * Green only when the results hold at least one executed test and every failing result (failed or
 * error; a flaky result passed in the end) is a quarantined test. A synthetic case (build failed,
 * suite failed to run) always blocks: quarantine ignores a test's failures, never a broken build.
 * No results at all is never green: a run that produced no JUnit file proves nothing.
 */
import type { ParsedReport } from './types';

export interface CheckFailure {
  key: string;
  name: string;
  classname: string;
  outcome: 'failed' | 'error';
  synthetic: boolean;
}

export interface QuarantineVerdict {
  green: boolean;
  executed: number;
  /** Failures of quarantined tests: ignored. */
  ignored: CheckFailure[];
  /** Failures that decide the run red. */
  blocking: CheckFailure[];
  /** Why the run is not green, or null. */
  problem: string | null;
}

export function checkAgainstQuarantine(reports: ParsedReport[], quarantinedKeys: ReadonlySet<string>): QuarantineVerdict {
  const ignored: CheckFailure[] = [];
  const blocking: CheckFailure[] = [];
  let executed = 0;
  for (const r of reports) {
    for (const c of r.cases) {
      if (c.outcome !== 'skipped') executed++;
      if (c.outcome !== 'failed' && c.outcome !== 'error') continue;
      const f: CheckFailure = { key: c.identity.key, name: c.identity.name, classname: c.identity.classname, outcome: c.outcome, synthetic: c.synthetic };
      (!c.synthetic && quarantinedKeys.has(c.identity.key) ? ignored : blocking).push(f);
    }
  }
  const problem = !reports.length
    ? 'no results file: a run that produced no JUnit file never counts as green'
    : executed === 0
      ? 'the results hold no executed test'
      : blocking.length
        ? `${blocking.length} failing test${blocking.length === 1 ? ' is' : 's are'} not quarantined`
        : null;
  return { green: problem === null, executed, ignored, blocking, problem };
}
