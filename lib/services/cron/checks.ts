/**
 * Creating, editing, pausing and deleting checks (operators; every change audited). Each write
 * re-evaluates the check with the engine and stores its state and next deadline in the same
 * transaction (an edit can turn a down check up: that flip is announced like any other).
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireRole } from './authz';
import type { CheckDetail, CheckInput } from './dto';
import { lockCheck, writeEvaluation } from './flips';
import { getCheck } from './get-check';
import { checkInputSchema, type CheckInputBody } from './input';
import { scheduleColumns, type CheckRow } from './rows';

function parseInput(raw: CheckInput): CheckInputBody {
  const r = checkInputSchema.safeParse(raw);
  if (!r.success) throw invalid(zodIssues(r.error.issues));
  return r.data;
}

/** The config columns of an input (freshness fields only on freshness checks). */
function columnsOf(v: CheckInputBody) {
  const fresh = v.type === 'freshness';
  return {
    name: v.name, type: v.type, slug: v.slug ?? null, pingKeyId: v.pingKeyId ?? null, tags: [...new Set(v.tags ?? [])].sort(),
    ...scheduleColumns(v.schedule),
    maxRuntimeSeconds: v.maxRuntimeSeconds ?? null, minRuntimeSeconds: v.minRuntimeSeconds ?? null, failureThreshold: v.failureThreshold ?? 1,
    maintenance: (v.maintenance ?? []).map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() })),
    artifactRootId: fresh ? v.artifactRootId ?? null : null, artifactPath: fresh ? v.artifactPath ?? null : null, maxAgeSeconds: fresh ? v.maxAgeSeconds ?? null : null,
  };
}

async function checkReferences(db: Db | Prisma.TransactionClient, v: CheckInputBody): Promise<void> {
  if (v.pingKeyId && !(await db.cronPingKey.findUnique({ where: { id: v.pingKeyId }, select: { id: true } }))) throw invalid([{ field: 'pingKeyId', message: 'no such ping key' }]);
  if (v.type === 'freshness' && v.artifactRootId && !(await db.artifactRoot.findUnique({ where: { id: v.artifactRootId }, select: { id: true } }))) throw invalid([{ field: 'artifactRootId', message: 'no such artifact root' }]);
}

function uniqueProblem(e: unknown): ServiceError | null {
  if ((e as { code?: string }).code !== 'P2002') return null;
  const target = JSON.stringify((e as { meta?: unknown }).meta ?? '') + String((e as Error).message);
  if (/slug/i.test(target)) return new ServiceError('conflict', 'Another check already uses this slug with this ping key.', [{ field: 'slug', message: 'already used with this ping key' }]);
  return new ServiceError('conflict', 'Another check already has this name.', [{ field: 'name', message: 'already used by another check' }]);
}

const auditView = (r: Pick<CheckRow, 'name' | 'type' | 'slug' | 'tags' | 'scheduleKind' | 'periodSeconds' | 'graceSeconds' | 'cronExpression' | 'timezone' | 'maxRuntimeSeconds' | 'minRuntimeSeconds' | 'failureThreshold' | 'paused' | 'artifactPath' | 'maxAgeSeconds'>) => ({
  name: r.name, type: r.type, slug: r.slug, tags: r.tags, scheduleKind: r.scheduleKind, periodSeconds: r.periodSeconds, graceSeconds: r.graceSeconds, cronExpression: r.cronExpression,
  timezone: r.timezone, maxRuntimeSeconds: r.maxRuntimeSeconds, minRuntimeSeconds: r.minRuntimeSeconds, failureThreshold: r.failureThreshold, paused: r.paused, artifactPath: r.artifactPath, maxAgeSeconds: r.maxAgeSeconds,
});

export async function createCheck(db: Db, actor: Actor, input: CheckInput, now: Date): Promise<CheckDetail> {
  requireRole(actor, 'operator', 'Creating a check');
  const v = parseInput(input);
  await checkReferences(db, v);
  const id = crypto.randomUUID();
  try {
    await db.$transaction(async (tx) => {
      const row = await tx.cronCheck.create({ data: { id, uuid: crypto.randomUUID(), ...columnsOf(v), source: v.type === 'freshness' ? 'host' : null, createdAt: now, updatedAt: now } });
      await writeEvaluation(tx, row, {}, now);
      await recordAudit(tx, actor, { at: now, action: 'cron.check.create', targetType: 'check', targetId: id, summary: `Created ${v.type} check "${v.name}"`, after: auditView(row) });
    });
  } catch (e) {
    throw uniqueProblem(e) ?? e;
  }
  return getCheck(db, actor, id, now);
}

export async function updateCheck(db: Db, actor: Actor, id: string, input: CheckInput, now: Date): Promise<CheckDetail> {
  requireRole(actor, 'operator', 'Editing a check');
  const v = parseInput(input);
  await checkReferences(db, v);
  try {
    await db.$transaction(async (tx) => {
      const row = await lockCheck(tx, id);
      if (!row) throw new ServiceError('not_found', 'No such check.');
      if (row.type !== v.type) throw invalid([{ field: 'type', message: `cannot change a ${row.type} check into a ${v.type} check; create a new one` }]);
      const cols = columnsOf(v);
      const { row: after } = await writeEvaluation(tx, row, cols as Partial<CheckRow>, now);
      await recordAudit(tx, actor, { at: now, action: 'cron.check.update', targetType: 'check', targetId: id, summary: `Edited check "${v.name}"`, before: auditView(row), after: auditView(after) });
    });
  } catch (e) {
    throw uniqueProblem(e) ?? e;
  }
  return getCheck(db, actor, id, now);
}

/**
 * Pause: the check is "paused" and never late or down. Resume starts it afresh, as Healthchecks
 * does: "new" until its next ping (or observation), so a check paused for a week does not turn
 * down the moment it is resumed. The ping log and the last ping time stay.
 */
export async function setCheckPaused(db: Db, actor: Actor, id: string, paused: boolean, now: Date): Promise<CheckDetail> {
  requireRole(actor, 'operator', paused ? 'Pausing a check' : 'Resuming a check');
  await db.$transaction(async (tx) => {
    const row = await lockCheck(tx, id);
    if (!row) throw new ServiceError('not_found', 'No such check.');
    if (row.paused === paused) return;
    const patch: Partial<CheckRow> = paused
      ? { paused: true }
      : { paused: false, lastFinishAt: null, lastFinishFailed: false, openStartAt: null, consecutiveFailures: 0, openStarts: {}, artifactMtime: null, observedAt: null, freshness: null };
    await writeEvaluation(tx, row, patch, now);
    await recordAudit(tx, actor, { at: now, action: paused ? 'cron.check.pause' : 'cron.check.resume', targetType: 'check', targetId: id, summary: `${paused ? 'Paused' : 'Resumed'} check "${row.name}"` });
  });
  return getCheck(db, actor, id, now);
}

export async function deleteCheck(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  requireRole(actor, 'operator', 'Deleting a check');
  await db.$transaction(async (tx) => {
    const row = await lockCheck(tx, id);
    if (!row) throw new ServiceError('not_found', 'No such check.');
    // Pings and flips go with it (ON DELETE CASCADE; at most STEWARD_PINGS_KEPT pings).
    await tx.cronCheck.delete({ where: { id } });
    await recordAudit(tx, actor, { at: now, action: 'cron.check.delete', targetType: 'check', targetId: id, summary: `Deleted ${row.type} check "${row.name}"`, before: auditView(row) });
  });
}
