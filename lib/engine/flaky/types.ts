/**
 * Shared shapes of the flaky-tests engine (issue 9). Pure data: no fs, no clock, no database.
 *
 * The parser (`./junit`) turns one uploaded file into `ParsedReport`; services store its cases as
 * results; the policy (`./policy`) reads stored results back as `ResultRow`s and decides.
 */

/** What one attempt of a test did. `error` = the test could not run to an assertion. */
export type AttemptOutcome = 'passed' | 'failed' | 'error' | 'skipped';

/**
 * What a result (all attempts of one test in one upload) amounts to:
 * - `flaky`: at least one failed/error attempt, then a passed one (retries within one result);
 * - `failed` / `error`: every executed attempt failed (the last one decides between the two);
 * - `skipped`: no attempt executed (the raw skip kind is kept in `skipKind`);
 * - `passed`: passed on its first attempt.
 * pytest `xfail` is not a skip: an expected failure that failed is `passed`, one that passed
 * (`xpass`, strict) is `failed`.
 */
export type ResultOutcome = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';

export const RESULT_OUTCOMES: readonly ResultOutcome[] = ['passed', 'failed', 'error', 'skipped', 'flaky'];

export interface ParsedAttempt {
  outcome: AttemptOutcome;
  /** Milliseconds, or null when the producer gave none (or a negative / unparsable one). */
  durationMs: number | null;
  /** First failure/error/skip message (attribute or first line of the body), bounded. */
  message: string | null;
  /** Failure `type` attribute (exception class), bounded. */
  type: string | null;
  /** Stack trace / body text, bounded. */
  detail: string | null;
}

/** Stable identity of a test within a project. Renames create a new test. */
export interface TestIdentity {
  /** Enclosing suite names, outermost first, normalised; may be empty. */
  suite: string;
  /** Normalised classname; empty when the producer gave none or it only repeated the name. */
  classname: string;
  /** Normalised test name, parameters kept (`test_x[param]`). */
  name: string;
  /** Source file when the producer gives it (`file` attribute), normalised to `/`; else null. */
  file: string | null;
  /** Deterministic key built from the four fields above (see `./junit/identity.ts`). */
  key: string;
}

export interface ParsedCase {
  identity: TestIdentity;
  outcome: ResultOutcome;
  /** Attempts in the order they ran: first attempt first. Never empty. */
  attempts: ParsedAttempt[];
  /** Sum of the attempts' durations, or null when none had one. */
  durationMs: number | null;
  /** Raw skip kind when outcome is skipped (`skipped`, `disabled`, `xfail`…); else null. */
  skipKind: string | null;
  /**
   * A synthetic non-test case (`[build failed]`, "Test suite failed to run", pytest collection
   * errors): a build/infra error, never counted as a flake.
   */
  synthetic: boolean;
  /**
   * The dimension a producer runs the same test under within one file (Playwright's project, e.g.
   * `chromium`): results of different variants are separate results of one test. Absent or null
   * when the producer has none; the upload's own variant (flag) applies then.
   */
  variant?: string | null;
}

export interface ParseWarning {
  line: number | null;
  message: string;
}

export interface ParsedReport {
  format: 'junit' | 'trx';
  /** Best guess of the producer (`surefire`, `pytest`, `jest-junit`, … or `unknown`). */
  producer: string;
  /** Earliest timestamp found in the file, or null. */
  startedAt: Date | null;
  cases: ParsedCase[];
  warnings: ParseWarning[];
}

/** What a file says besides its cases: what a streamed parse (`createJunitEntryParser`) returns. */
export type ReportHeader = Omit<ParsedReport, 'cases'>;

/** A file rejected whole: nothing of it is stored. */
export interface ParseFailure {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
}
