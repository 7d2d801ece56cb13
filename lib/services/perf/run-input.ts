/**
 * What one perf upload carries (API body, CLI): the project, the run's context and the files.
 * Everything here is written by a CI job: bounded, printable, and checked with field names.
 */
import { z } from 'zod';
import { PERF_FORMATS } from '@/lib/engine/perf';
import { projectKeySchema } from '../flaky/projects';

/** A perf file body: 1,000 metrics × 100 samples is ~2 MB of JSON. */
export const MAX_PERF_FILE_CHARS = 32 * 1024 * 1024;
export const MAX_PERF_BODY_BYTES = 64 * 1024 * 1024;
/** Runners' clocks drift: a run more than 5 minutes ahead is refused, as is one older than a year. */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_RUN_AGE_MS = 366 * 86_400_000;

const line = (max: number) => z.string().trim().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const optionalLine = (max: number) => line(max).transform((s) => s || null).nullable().optional();

export const PROFILE_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const profileSchema = z.string().trim().regex(PROFILE_RE, 'must be a profile name: lowercase letters, digits, "_" or "-" (pr, main, nightly)');

export const perfRunSchema = z.object({
  project: projectKeySchema,
  profile: profileSchema.default('pr'),
  branch: optionalLine(200),
  /** The branch whose baseline this run is compared with. */
  baseBranch: line(200).min(1, 'is required').default('main'),
  commit: z.string().trim().regex(/^[0-9a-f]{7,64}$/i, 'must be a commit hash (7 to 64 hex digits)').nullable().optional(),
  ciRunId: optionalLine(200),
  ciUrl: z.string().trim().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL').nullable().optional(),
  /** When the benchmarks ran (ISO 8601); default: when the server received them. */
  at: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone (2026-12-01T10:00:00Z)' }).nullable().optional(),
  /** Hardware fingerprint: cpu, cores, os, arch, runner… Runs compare only within one testbed. */
  testbed: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'testbed keys are lowercase words (cpu, cores, os, runner)'), line(200)).refine((t) => Object.keys(t).length <= 20, 'at most 20 testbed attributes').default({}),
  format: z.enum(['auto', ...PERF_FORMATS]).default('auto'),
  /** For formats that do not say which way is better (github-action-benchmark custom JSON). */
  direction: z.enum(['smaller', 'bigger']).optional(),
  /**
   * Budgets for this run only (the seed's triage step: "rerun with increased budgets"), by metric
   * name or `name/measure`, in canonical units (ms for times). They are not stored.
   */
  budgets: z.record(line(300), z.number().finite().min(0)).refine((b) => Object.keys(b).length <= 1000, 'at most 1,000 budget overrides').optional(),
  files: z
    .array(z.object({ name: line(300).min(1, 'is required'), content: z.string().max(MAX_PERF_FILE_CHARS, `must be at most ${MAX_PERF_FILE_CHARS} characters`) }))
    .min(1, 'needs at least one file')
    .max(50, 'at most 50 files per run'),
});
export type PerfRunInput = z.input<typeof perfRunSchema>;
export type PerfRun = z.output<typeof perfRunSchema>;
