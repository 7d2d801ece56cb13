/**
 * The per-project flaky-test policy (issue 9): what counts as a flake, when a test is quarantined,
 * broken or eligible to leave quarantine. Defaults are the Hologram playbook's ("≥ 2 flakes in 7
 * days", "only after 10 consecutive greens"). Pure: zod only.
 *
 * Time everywhere in this engine is epoch milliseconds (`number`), `now` included: rows come from
 * the database as timestamps, and plain numbers compare and sort without Date allocations.
 */
import { z } from 'zod';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface FlakyPolicy {
  /** Auto-quarantine once this many flakes fall inside the window. */
  flakesToQuarantine: number;
  /** The flake window, in days: flakes at `at` in (now − windowDays, now] count. */
  windowDays: number;
  /** Consecutive first-attempt passes after the quarantine start that make a test eligible. */
  greensToUnquarantine: number;
  /** Branches whose results count as greens; null = any branch (including results with no branch). */
  greenBranches: string[] | null;
  /** A test is broken on a branch when its last this-many executed results there all failed. */
  brokenAfterRuns: number;
  /**
   * An upload where MORE than this share of its executed cases failed is an infrastructure failure,
   * excluded from flake statistics. Exactly the ratio is not infra. 1 turns the guard off.
   */
  infraFailureRatio: number;
  /** Fewer results than this in a window: the flake rate is not shown (null). */
  minResultsForRate: number;
  /** Unquarantine automatically when eligible. Off by default: the seed wants a person to decide. */
  autoUnquarantine: boolean;
}

export const DEFAULT_FLAKY_POLICY: Readonly<FlakyPolicy> = Object.freeze({
  flakesToQuarantine: 2,
  windowDays: 7,
  greensToUnquarantine: 10,
  greenBranches: null,
  brokenAfterRuns: 3,
  infraFailureRatio: 0.8,
  minResultsForRate: 5,
  autoUnquarantine: false,
});

/** One validation problem: `path` like "greenBranches[1]", `message` naming the bad value. */
export interface FlakyPolicyError {
  path: string;
  message: string;
}

export type ParseFlakyPolicyResult = { ok: true; policy: FlakyPolicy } | { ok: false; errors: FlakyPolicyError[] };

function wholeNumber(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const branchSchema = z
  .string({ error: 'must be a branch name' })
  .refine((s) => s.trim() !== '' && s.trim().length <= 255, { error: 'must be a non-empty branch name of at most 255 characters' })
  .transform((s) => s.trim());

/** The policy as stored or written by an admin: every field optional, missing ones take the defaults. */
export const flakyPolicySchema = z.strictObject({
  flakesToQuarantine: wholeNumber(1, 1000).optional(),
  windowDays: wholeNumber(1, 365).optional(),
  greensToUnquarantine: wholeNumber(1, 1000).optional(),
  greenBranches: z
    .array(branchSchema, { error: 'must be a list of branch names, or null for any branch' })
    .min(1, { error: 'must list at least one branch (use null for any branch)' })
    .max(100, { error: 'must list at most 100 branches' })
    .nullable()
    .optional(),
  brokenAfterRuns: wholeNumber(1, 1000).optional(),
  infraFailureRatio: z
    .number({ error: 'must be a number greater than 0 and at most 1 (0.8 = more than 80 % failed)' })
    .gt(0, { error: 'must be a number greater than 0 and at most 1 (0.8 = more than 80 % failed)' })
    .max(1, { error: 'must be a number greater than 0 and at most 1 (0.8 = more than 80 % failed)' })
    .optional(),
  minResultsForRate: wholeNumber(1, 1_000_000).optional(),
  autoUnquarantine: z.boolean({ error: 'must be true or false' }).optional(),
});

export type FlakyPolicyInput = z.input<typeof flakyPolicySchema>;

const FIELDS = 'flakesToQuarantine, windowDays, greensToUnquarantine, greenBranches, brokenAfterRuns, infraFailureRatio, minResultsForRate, autoUnquarantine';

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? 'policy' : out;
}

function showValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Validates a stored or user-written policy (any JSON value; undefined or null = all defaults).
 * Output: the full policy with defaults filled in, or every problem at once, each naming the field
 * path and the bad value. Branch names are trimmed and de-duplicated in order.
 */
export function parseFlakyPolicy(input: unknown): ParseFlakyPolicyResult {
  const parsed = flakyPolicySchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) {
    const errors: FlakyPolicyError[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) errors.push({ path: formatPath([...issue.path, key]), message: `unknown field (expected one of: ${FIELDS})` });
        continue;
      }
      const value = (issue as { input?: unknown }).input;
      const message = value !== undefined && (typeof value !== 'object' || value === null) ? `${issue.message}, got ${showValue(value)}` : issue.message;
      errors.push({ path: formatPath(issue.path), message });
    }
    return { ok: false, errors };
  }
  const d = parsed.data;
  const def = DEFAULT_FLAKY_POLICY;
  const policy: FlakyPolicy = {
    flakesToQuarantine: d.flakesToQuarantine ?? def.flakesToQuarantine,
    windowDays: d.windowDays ?? def.windowDays,
    greensToUnquarantine: d.greensToUnquarantine ?? def.greensToUnquarantine,
    greenBranches: d.greenBranches === undefined || d.greenBranches === null ? null : [...new Set(d.greenBranches)],
    brokenAfterRuns: d.brokenAfterRuns ?? def.brokenAfterRuns,
    infraFailureRatio: d.infraFailureRatio ?? def.infraFailureRatio,
    minResultsForRate: d.minResultsForRate ?? def.minResultsForRate,
    autoUnquarantine: d.autoUnquarantine ?? def.autoUnquarantine,
  };
  return { ok: true, policy };
}

/** Joins policy errors into one line per problem ("windowDays: ..."), for CLI output and logs. */
export function formatFlakyPolicyErrors(errors: readonly FlakyPolicyError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}

/** Start of a window of `days` ending at `now`: the window is (start, now], so `start` itself is out. */
export function windowStart(now: number, days: number): number {
  return now - days * DAY_MS;
}
