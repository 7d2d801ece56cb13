/**
 * Rotation runs reported by `steward rotate --report-to` from CI runners. The body carries the
 * seed's rotation-log record plus where it ran and a disk-usage sample.
 *
 * A report is the runner's word, not a measurement by this server: it is stored as a runner report
 * (source "cli", never linked to a registered root) and shown as one. A root's size, trend,
 * history and /metrics figures come only from the server's own scans, so a token that may ingest
 * cannot rewrite them (issue 8, item 3: a "server" report dated 9999 used to become the root's
 * latest sample for good). The database enforces the same (migration 20261201110000).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid } from '../errors';
import { SERVER_HOST } from './roots';

const MB = 1024 * 1024;
/** Physical bounds: no runner has more files than this or a root larger than 4 PiB (< 2^53, exact in a double). */
export const MAX_COUNT = 1_000_000_000;
export const MAX_BYTES = 2 ** 52;
/** A rotation that took longer than a week did not happen. */
export const MAX_DURATION_MS = 7 * 86_400_000;
/** Runners' clocks drift; a report from further ahead than this is refused, as is one older than a year. */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_REPORT_AGE_MS = 366 * 86_400_000;

const group = (n: number) => n.toLocaleString('en-US');
const count = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(MAX_COUNT, `must be at most ${group(MAX_COUNT)}`);
const bytes = (max = MAX_BYTES, unit = 'bytes') => z.number().min(0, 'must be 0 or more').max(max, `must be at most ${group(max)} ${unit} (4 PiB)`);
/** Printable text only: these strings end up in audit summaries and on pages. */
const text = (max: number) => z.string().trim().min(1, 'is required').max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const rotationReportSchema = z
  .object({
    host: text(253).refine((h) => h.toLowerCase() !== SERVER_HOST, `"${SERVER_HOST}" is reserved for this server's own scans; report with the runner's host name`),
    path: text(4096),
    dry_run: z.boolean().default(false),
    record: z.object({
      timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-03-01T12:00:00Z' }),
      rotation: z.object({ deleted: count, kept: count }),
      compression: z.object({ compressed: count, total_reduction_kb: bytes(MAX_BYTES / 1024, 'KB') }),
      disk_usage: z.object({ size_mb: bytes(MAX_BYTES / MB, 'MB'), within_limit: z.boolean() }),
      steward: z
        .object({
          bytes_freed: bytes().optional(),
          failures: count.optional(),
          skipped: count.optional(),
          duration_ms: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(MAX_DURATION_MS, `must be at most ${group(MAX_DURATION_MS)} (7 days)`).optional(),
        })
        .passthrough()
        .optional(),
    }),
    disk: z.object({ root_bytes: bytes(), file_count: count, fs_bytes: bytes(), fs_free: bytes() }).optional(),
  })
  .superRefine((r, ctx) => {
    // Figures that describe the same thing must agree (the CLI computes them from one scan).
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const s = r.record.steward;
    if (r.disk && r.disk.fs_free > r.disk.fs_bytes) issue(['disk', 'fs_free'], `must not exceed disk.fs_bytes (${group(r.disk.fs_bytes)})`);
    if (r.disk && Math.abs(r.disk.root_bytes / MB - r.record.disk_usage.size_mb) > 0.05) {
      issue(['record', 'disk_usage', 'size_mb'], `must match disk.root_bytes (${(r.disk.root_bytes / MB).toFixed(2)} MB)`);
    }
    if (s?.bytes_freed !== undefined && r.record.compression.total_reduction_kb * 1024 > s.bytes_freed + 1024) {
      issue(['record', 'compression', 'total_reduction_kb'], `must not exceed record.steward.bytes_freed (${group(s.bytes_freed)} bytes): compression savings are part of the bytes freed`);
    }
    if ((s?.failures ?? 0) + (s?.skipped ?? 0) > r.record.rotation.kept) {
      issue(['record', 'steward', 'failures'], 'failures + skipped must not exceed rotation.kept (a file that failed or was skipped is still there)');
    }
  });
export type RotationReport = z.infer<typeof rotationReportSchema>;

/** The report's timestamp within [now − 1 year, now + 5 min], or a field error. */
function reportTime(r: RotationReport, now: Date): Date {
  const at = new Date(r.record.timestamp);
  const field = 'record.timestamp';
  if (Number.isNaN(at.getTime())) throw invalid([{ field, message: 'is not a valid date-time' }]);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalid([{ field, message: `"${r.record.timestamp}" is in the future (more than 5 minutes after this server's clock, ${now.toISOString()})` }]);
  if (at.getTime() < now.getTime() - MAX_REPORT_AGE_MS) throw invalid([{ field, message: `"${r.record.timestamp}" is more than a year old; report runs as they happen` }]);
  return at;
}

export async function ingestRotationReport(db: Db, actor: Actor, r: RotationReport, now = new Date()): Promise<{ id: string }> {
  const id = crypto.randomUUID();
  const at = reportTime(r, now);
  await db.$transaction(async (tx) => {
    await tx.rotationRun.create({
      data: {
        id,
        rootId: null, // never a registered root's run: see the header
        host: r.host,
        rootPath: r.path,
        source: 'cli',
        dryRun: r.dry_run,
        timestamp: at,
        deleted: r.record.rotation.deleted,
        kept: r.record.rotation.kept,
        compressed: r.record.compression.compressed,
        totalReductionKb: r.record.compression.total_reduction_kb,
        sizeMb: r.record.disk_usage.size_mb,
        withinLimit: r.record.disk_usage.within_limit,
        bytesFreed: BigInt(Math.round(r.record.steward?.bytes_freed ?? 0)),
        failures: r.record.steward?.failures ?? 0,
        skipped: r.record.steward?.skipped ?? 0,
        durationMs: r.record.steward?.duration_ms ?? 0,
        executedBy: actor.label,
      },
    });
    if (r.disk) {
      await tx.diskUsageSample.create({
        data: { rootId: null, host: r.host, rootPath: r.path, at, rootBytes: BigInt(Math.round(r.disk.root_bytes)), fileCount: r.disk.file_count, fsBytes: BigInt(Math.round(r.disk.fs_bytes)), fsFree: BigInt(Math.round(r.disk.fs_free)) },
      });
    }
    await recordAudit(tx, actor, {
      action: 'retention.report',
      targetType: 'rotation-run',
      targetId: id,
      summary: `${r.host}:${r.path} reported a ${r.dry_run ? 'dry-run ' : ''}rotation: ${r.record.rotation.deleted} deleted, ${r.record.compression.compressed} compressed, ${r.record.disk_usage.size_mb.toFixed(1)} MB${r.record.disk_usage.within_limit ? '' : ' (over limit)'}`,
    });
  });
  return { id };
}
