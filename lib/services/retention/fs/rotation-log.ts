/**
 * The mm-bot rotation log, `<root>/rotation/ROTATION_LOG.jsonl`: one JSON object per line, in the
 * seed's shape, so the scripts and jq one-liners of the mm-bot operations guide keep working on
 * roots that Steward rotates. Steward's own extras live under a separate `steward` key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROTATION_LOG_PATH } from '@/lib/engine/retention/presets';
import { assertNoSymlinkInPath } from './safety';

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
    timestamp: run.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    rotation: { deleted: run.deleted, kept: run.kept },
    compression: { compressed: run.compressed, total_reduction_kb: round2(run.totalReductionKb) },
    disk_usage: { size_mb: round2(run.sizeMb), within_limit: run.withinLimit },
  };
  if (run.bytesFreed !== undefined) record.summary = { disk_reduction_kb: round2(run.bytesFreed / 1024) };
  record.steward = steward;
  return record;
}

/**
 * Appends `record` as one line to `<root>/rotation/ROTATION_LOG.jsonl` and returns the file's path.
 * Creates `rotation/` if needed; refuses when `rotation` or the log is a symlink (the log must not
 * become a way to write outside the root: the file is opened O_APPEND|O_NOFOLLOW). The line is one
 * write() and is fsynced. If the file's last byte is not a newline (a torn earlier write), a
 * newline is written first so this record does not glue onto the broken line.
 */
export function appendRotationLog(root: string, record: RotationRecord): string {
  const dir = assertNoSymlinkInPath(root, path.posix.dirname(ROTATION_LOG_PATH)); // checks the root itself
  fs.mkdirSync(dir, { recursive: true });
  const file = assertNoSymlinkInPath(root, ROTATION_LOG_PATH); // now the parents: mkdir -p accepts a symlinked dir
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file} is not a regular file`);
    let prefix = '';
    if (st.size > 0) {
      const last = Buffer.alloc(1);
      const rfd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
      try {
        fs.readSync(rfd, last, 0, 1, st.size - 1);
      } finally {
        fs.closeSync(rfd);
      }
      if (last[0] !== 0x0a) prefix = '\n';
    }
    fs.writeSync(fd, `${prefix}${JSON.stringify(record)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return file;
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
 * Parses a rotation log. Blank lines are ignored; any other line must be a JSON object matching
 * rotationRecordSchema, otherwise CorruptLogError (file, 1-based line, what is wrong). Like mm-bot,
 * a corrupt log is an error (its rotator exits 1) rather than silently skipped: a skipped line
 * would quietly drop a rotation from the disk-usage trend. A missing file throws ENOENT as is.
 */
export function readRotationLog(file: string): RotationRecord[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: RotationRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new CorruptLogError(file, i + 1, `invalid JSON (${(err as Error).message})`);
    }
    const parsed = rotationRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'record';
      throw new CorruptLogError(file, i + 1, `${field}: ${issue?.message ?? 'invalid'}`);
    }
    out.push(parsed.data);
  }
  return out;
}
