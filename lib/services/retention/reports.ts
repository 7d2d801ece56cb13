/**
 * Rotation runs reported by `steward rotate --report-to` from CI runners. The body carries the
 * seed's rotation-log record plus where it ran and a disk-usage sample, so runner-side rotations
 * show up in the same history and trends as the server's own.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';

const count = z.number().int().min(0);
export const rotationReportSchema = z.object({
  host: z.string().trim().min(1).max(200),
  path: z.string().trim().min(1).max(4096),
  dry_run: z.boolean().default(false),
  record: z.object({
    timestamp: z.string().datetime({ offset: true }),
    rotation: z.object({ deleted: count, kept: count }),
    compression: z.object({ compressed: count, total_reduction_kb: z.number().min(0) }),
    disk_usage: z.object({ size_mb: z.number().min(0), within_limit: z.boolean() }),
    steward: z
      .object({
        bytes_freed: z.number().min(0).optional(),
        failures: count.optional(),
        skipped: count.optional(),
        duration_ms: count.optional(),
      })
      .passthrough()
      .optional(),
  }),
  disk: z
    .object({ root_bytes: z.number().min(0), file_count: count, fs_bytes: z.number().min(0), fs_free: z.number().min(0) })
    .optional(),
});
export type RotationReport = z.infer<typeof rotationReportSchema>;

export async function ingestRotationReport(db: Db, actor: Actor, r: RotationReport): Promise<{ id: string }> {
  const id = crypto.randomUUID();
  const at = new Date(r.record.timestamp);
  const root = await db.artifactRoot.findFirst({ where: { path: r.path }, select: { id: true } });
  // A report only links to a registered root when it comes from this very host's path.
  const rootId = r.host === 'server' ? (root?.id ?? null) : null;
  await db.$transaction(async (tx) => {
    await tx.rotationRun.create({
      data: {
        id,
        rootId,
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
        data: { rootId, host: r.host, rootPath: r.path, at, rootBytes: BigInt(Math.round(r.disk.root_bytes)), fileCount: r.disk.file_count, fsBytes: BigInt(Math.round(r.disk.fs_bytes)), fsFree: BigInt(Math.round(r.disk.fs_free)) },
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
