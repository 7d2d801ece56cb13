/**
 * The mm-bot rotation log, `<root>/rotation/ROTATION_LOG.jsonl`: one JSON object per line, in the
 * seed's shape, so the scripts and jq one-liners of the mm-bot operations guide keep working on
 * roots that Steward rotates. Steward's own extras live under a separate `steward` key.
 */
import fs from 'node:fs';
import { z } from 'zod';

/** Extra facts of a Steward run, written under `steward` (all optional; null or undefined → omitted). */
export interface RotationExtras {
  approvedBy?: string | null;
  bytesFreed?: number;
  failures?: number;
  skipped?: number;
  durationMs?: number;
  planId?: string | null;
  dryRun?: boolean;
}

export interface RotationRun extends RotationExtras {
  timestamp: Date;
  deleted: number;
  kept: number;
  compressed: number;
  totalReductionKb: number;
  sizeMb: number;
  withinLimit: boolean;
}

/** One line of the log. Fields beyond the seed's are optional so lines written by mm-bot's own tool parse too. */
export const rotationRecordSchema = z.looseObject({
  timestamp: z.string(),
  rotation: z.looseObject({ deleted: z.number(), kept: z.number() }).optional(),
  compression: z.looseObject({ compressed: z.number(), total_reduction_kb: z.number() }).optional(),
  disk_usage: z.looseObject({ size_mb: z.number(), within_limit: z.boolean() }).optional(),
  summary: z.looseObject({ disk_reduction_kb: z.number().optional() }).optional(),
  steward: z
    .looseObject({
      approved_by: z.string().optional(),
      bytes_freed: z.number().optional(),
      failures: z.number().optional(),
      skipped: z.number().optional(),
      duration_ms: z.number().optional(),
      plan_id: z.string().optional(),
      dry_run: z.boolean().optional(),
    })
    .optional(),
});
export type RotationRecord = z.infer<typeof rotationRecordSchema>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Builds a log record in the seed's shape: timestamp as ISO-8601 UTC without milliseconds
 * ("2025-10-15T12:34:56Z"), `rotation`, `compression` and `disk_usage` (KB and MB rounded to 2
 * decimals), plus `steward` with the extras in snake_case (absent extras omitted). When bytesFreed
 * is known, `summary.disk_reduction_kb` is written too: the guide's "rotation efficiency" one-liner
 * reads that field. Throws on an invalid date.
 */
export function buildRotationRecord(run: RotationRun): RotationRecord {
  if (Number.isNaN(run.timestamp.getTime())) throw new Error('rotation record: invalid timestamp');
  const steward: NonNullable<RotationRecord['steward']> = {};
  if (run.approvedBy != null) steward.approved_by = run.approvedBy;
  if (run.bytesFreed !== undefined) steward.bytes_freed = run.bytesFreed;
  if (run.failures !== undefined) steward.failures = run.failures;
  if (run.skipped !== undefined) steward.skipped = run.skipped;
  if (run.durationMs !== undefined) steward.duration_ms = run.durationMs;
  if (run.planId != null) steward.plan_id = run.planId;
  if (run.dryRun !== undefined) steward.dry_run = run.dryRun;
  const record: RotationRecord = {
    // Stryker disable next-line Regex: toISOString has exactly one ".mmmZ", at its end, so the anchor changes nothing
    timestamp: run.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    rotation: { deleted: run.deleted, kept: run.kept },
    compression: { compressed: run.compressed, total_reduction_kb: round2(run.totalReductionKb) },
    disk_usage: { size_mb: round2(run.sizeMb), within_limit: run.withinLimit },
  };
  if (run.bytesFreed !== undefined) record.summary = { disk_reduction_kb: round2(run.bytesFreed / 1024) };
  record.steward = steward;
  return record;
}

/** A line of a rotation log that is not a valid record; names the file and 1-based line. */
export class CorruptLogError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: corrupt rotation log line: ${detail}`);
    this.name = 'CorruptLogError';
  }
}

/**
 * Parses one line (without its newline) of a rotation log, or throws CorruptLogError naming the
 * file and line. Never echoes the line's content: the log may have been replaced by a link to a
 * secret, and error messages end up in terminals, job logs and the database.
 */
export function parseRotationLine(file: string, lineNo: number, raw: string): RotationRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw.replace(/\r$/, ''));
  } catch {
    throw new CorruptLogError(file, lineNo, `invalid JSON (${raw.length} characters)`);
  }
  const parsed = rotationRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'record';
    // Stryker disable next-line ConditionalExpression,StringLiteral,OptionalChaining: every check of rotationRecordSchema is a type check (string, number, boolean, object), so every issue is invalid_type and 'invalid' is unreachable; a failed parse always has an issue
    throw new CorruptLogError(file, lineNo, `${field}: ${issue?.code === 'invalid_type' ? `expected ${(issue as { expected?: string }).expected ?? 'another type'}` : 'invalid'}`);
  }
  return parsed.data;
}

/**
 * Parses a whole rotation log by path (tests and small files; the executor reads only the tail,
 * through descriptors: checkRotationLog). Blank lines are ignored; any other line must be a JSON
 * object matching rotationRecordSchema, otherwise CorruptLogError (file, 1-based line, what is
 * wrong). A missing file throws ENOENT as is.
 */
export function readRotationLog(file: string): RotationRecord[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: RotationRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    out.push(parseRotationLine(file, i + 1, raw));
  }
  return out;
}
