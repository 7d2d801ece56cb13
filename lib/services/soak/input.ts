/**
 * What soak, E2E and chaos uploads carry (API bodies, CLI): the project, the run's context and
 * the files. Everything is written by a CI job: bounded, printable, checked with field names.
 */
import { z } from 'zod';
import { CRITERIA, MAX_SOAK_FILE_CHARS } from '@/lib/engine/soak';
import { projectKeySchema } from '../flaky/projects';

/** A 24-hour run sampled every second is ~8 MB of CSV; the body cap leaves room for several files. */
export const MAX_SOAK_BODY_BYTES = 48 * 1024 * 1024;
export const MAX_E2E_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_CHAOS_BODY_BYTES = 16 * 1024 * 1024;
/** Runners' clocks drift: a run more than 5 minutes ahead is refused, as is one older than a year. */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_RUN_AGE_MS = 366 * 86_400_000;

const line = (max: number) => z.string().trim().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const optionalLine = (max: number) => line(max).transform((s) => s || null).nullable().optional();
const runKeySchema = z.string().trim().min(1, 'is required').max(200).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters').optional();
const file = (maxChars: number) => z.object({ name: line(300).min(1, 'is required'), content: z.string().max(maxChars, `must be at most ${maxChars} characters`) });
const context = {
  project: projectKeySchema,
  branch: optionalLine(200),
  commit: z.string().trim().regex(/^[0-9a-f]{7,64}$/i, 'must be a commit hash (7 to 64 hex digits)').nullable().optional(),
  ciUrl: z.string().trim().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL').nullable().optional(),
  /** Idempotency: the same key again is the same run (answered, not stored twice). Default: a hash of the files. */
  runKey: runKeySchema,
};
const count = z.number().int('must be a whole number').min(0).max(2_147_483_647);
const limit = (max: number) => z.number().finite().min(0).max(max);

export const RUN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:/ -]{0,99}$/;

export const thresholdsSchema = z.object({
  minDurationHours: limit(24 * 366), maxMemoryGrowthMbPerHour: limit(1e6), maxAvgCpuPct: limit(100_000), maxDiskMb: limit(1e12),
  maxReconnectsPerHour: limit(1e9), maxOrphanOrders: limit(1e9), maxZombies: limit(1e9), maxCrashes: limit(1e9), maxCriticalHigh: limit(1e9),
}).partial().strict();

export const leakOptionsSchema = z.object({
  warmupMinutes: limit(24 * 60), minSamples: z.number().int().min(3).max(100_000), minFitHours: limit(24 * 366), confidence: z.union([z.literal(0.9), z.literal(0.95), z.literal(0.99)]),
}).partial().strict();

export const soakRunSchema = z.object({
  ...context,
  name: z.string().trim().regex(RUN_NAME_RE, 'must be a run name: letters, digits, space . _ : / -, at most 100'),
  /** Counts the files cannot give: crashes and orphan orders (the bot's own shutdown check). */
  crashes: count.nullable().optional(),
  orphanOrders: count.nullable().optional(),
  /** Overrides the samples' span (hours). */
  durationHours: limit(24 * 366).nullable().optional(),
  thresholds: thresholdsSchema.optional(),
  leak: leakOptionsSchema.optional(),
  files: z.array(file(MAX_SOAK_FILE_CHARS)).min(1, 'needs at least one file').max(20, 'at most 20 files per run'),
});
export type SoakRunInput = z.input<typeof soakRunSchema>;
export type SoakRunBody = z.output<typeof soakRunSchema>;

export const e2eRunSchema = z.object({
  ...context,
  /** Pipeline name for events that do not say (`pipeline` in each event wins). */
  pipeline: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, 'must be a pipeline name').default('e2e'),
  file: file(MAX_E2E_BODY_BYTES),
});
export type E2eRunInput = z.input<typeof e2eRunSchema>;

export const chaosRunSchema = z.object({
  ...context,
  /** JUnit: only cases whose suite, class, name or file contains the tag (default "chaos"); "" takes all. */
  tag: z.string().trim().max(100).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters').optional(),
  at: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone (2026-12-01T10:00:00Z)' }).nullable().optional(),
  file: file(MAX_CHAOS_BODY_BYTES),
});
export type ChaosRunInput = z.input<typeof chaosRunSchema>;

export const CRITERION_IDS = CRITERIA;
