/**
 * `steward sentinel --report-to` uploads (POST /api/v1/sentinel-reports, `ingest` token): each
 * task's result upserts the freshness check of the same name (created on first report: period
 * 1 day, grace 1 hour, like a check made by a ping) and is stored as its observation.
 *
 * Clocks: the runner measured the artifact's age on its own clock; the server re-dates the mtime
 * as `now - ageSeconds`, so a runner whose clock is off does not make every artifact look stale
 * or future-dated here. A concurrent report for the same name waits on a transaction-scoped
 * advisory lock, so a check is created once.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { CheckState, SentinelTaskResult } from '@/lib/engine/cron/types';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireRole } from './authz';
import { lockCheck } from './flips';
import { MAX_SECONDS, nameSchema } from './input';
import { observeLocked } from './observe';

const text = (max: number) => z.string().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const sentinelReportSchema = z.object({
  source: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'must be a host or runner name (letters, digits . _ : @ / -)').optional(),
  results: z.array(z.object({
    name: nameSchema,
    artifact: text(1000).min(1, 'is required'),
    path: text(4000).nullable(),
    status: z.enum(['fresh', 'stale', 'missing', 'future']),
    mtime: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).nullable(),
    ageSeconds: z.number().finite().min(-MAX_SECONDS * 100).max(MAX_SECONDS * 100).nullable(),
    maxAgeSeconds: z.number().int('must be a whole number of seconds').min(1).max(MAX_SECONDS),
    reason: text(2000),
  })).min(1, 'needs at least one task result').max(500, 'at most 500 tasks per report'),
});
export type SentinelReportBody = z.input<typeof sentinelReportSchema>;

export interface SentinelReportResult {
  checks: { name: string; id: string; created: boolean; state: CheckState; freshness: SentinelTaskResult['status'] }[];
}

/** The artifact's mtime on the server's clock (null: missing). */
function mtimeOf(r: SentinelTaskResult, now: Date): Date | null {
  if (r.status === 'missing' || (r.mtime === null && r.ageSeconds === null)) return null;
  if (r.ageSeconds !== null) return new Date(now.getTime() - r.ageSeconds * 1000);
  return new Date(r.mtime!);
}

export async function ingestSentinelReport(db: Db, actor: Actor, body: { source?: string; results: SentinelTaskResult[] }, now: Date): Promise<SentinelReportResult> {
  requireRole(actor, 'operator', 'Reporting sentinel results');
  const parsed = sentinelReportSchema.safeParse(body);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const { results } = parsed.data;
  const source = parsed.data.source ?? (actor.type === 'token' ? actor.label : 'sentinel');
  const names = results.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw invalid([{ field: `results[${names.lastIndexOf(dup)}].name`, message: `"${dup}" appears twice` }]);
  const out: SentinelReportResult['checks'] = [];
  await db.$transaction(async (tx) => {
    // Names in a fixed order: two reports naming the same checks never wait on each other crosswise.
    for (const r of [...results].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`cron-check-name:${r.name}`}))`;
      let existing = await tx.cronCheck.findUnique({ where: { name: r.name }, select: { id: true, type: true } });
      if (existing && existing.type !== 'freshness') {
        throw new ServiceError('conflict', `A ping check is named "${r.name}"; rename the sentinel task or the check.`, [{ field: `results[${results.indexOf(r)}].name`, message: 'used by a ping check' }]);
      }
      const created = !existing;
      if (!existing) {
        existing = await tx.cronCheck.create({
          data: {
            id: crypto.randomUUID(), uuid: crypto.randomUUID(), name: r.name, type: 'freshness', scheduleKind: 'period', periodSeconds: 86_400, graceSeconds: 3_600,
            artifactPath: r.artifact, maxAgeSeconds: r.maxAgeSeconds, source, createdAt: now, updatedAt: now,
          },
          select: { id: true, type: true },
        });
      }
      const row = (await lockCheck(tx, existing.id))!;
      const o = await observeLocked(tx, row, { artifactMtime: mtimeOf(r as SentinelTaskResult, now), source, artifactPath: r.artifact, maxAgeSeconds: r.maxAgeSeconds, problem: r.status === 'missing' && r.reason ? `runner: ${r.reason}` : null }, now);
      out.push({ name: r.name, id: row.id, created, state: o.evaluation.state, freshness: (o.row.freshness ?? r.status) as SentinelTaskResult['status'] });
    }
    const made = out.filter((c) => c.created);
    await recordAudit(tx, actor, {
      at: now, action: 'cron.sentinel.report', targetType: 'check', targetId: null,
      summary: `Sentinel report from ${source}: ${results.length} task(s), ${results.filter((r) => r.status !== 'fresh').length} not fresh${made.length ? `; created ${made.map((c) => `"${c.name}"`).join(', ')}` : ''}`,
      after: { source, tasks: results.slice(0, 50).map((r) => ({ name: r.name, status: r.status, path: r.path, mtime: r.mtime })) },
    });
  }, { timeout: 60_000, maxWait: 15_000 });
  return { checks: out.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name)) };
}
