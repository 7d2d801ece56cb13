/** The audit trail: every mutation writes one row; the Audit page and API read them back. */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { Actor } from './actor';

export interface AuditInput {
  action: string;
  targetType?: string;
  targetId?: string | null;
  summary: string;
  before?: unknown;
  after?: unknown;
  outcome?: 'ok' | 'denied' | 'error';
  /** When it happened; the database's clock when omitted. Services that take `now` pass it. */
  at?: Date;
}

/** Any client that can write an audit row: the Db itself or a transaction. */
type Writer = Db | Prisma.TransactionClient;

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}

/**
 * Refusals are aggregated so that a flood of them cannot grow the log without bound: a denied
 * event identical to one already logged in the same DENIED_WINDOW_MS window (same actor, action,
 * target and origin) adds 1 to that row's `count` and moves its `lastAt`, through one
 * INSERT … ON CONFLICT on `dedupeKey`, which is exact with any number of instances and inside
 * or outside a transaction.
 *
 * Origins come from X-Forwarded-For, which a client can forge, so the key holds not the origin
 * but one of ORIGIN_SLOTS slots derived from it; when a second origin lands in a row's slot the
 * row's origin becomes "(many origins)" (it never claims one origin for events from another).
 * So an actor has at most ORIGIN_SLOTS rows per action, target and window, whatever the rate or
 * the forged headers.
 */
export const DENIED_WINDOW_MS = 10 * 60_000;
export const ORIGIN_SLOTS = 16;
export const MANY_ORIGINS = '(many origins)';

const sha256 = (v: unknown) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex');

export async function recordAudit(db: Writer, actor: Actor, input: AuditInput, now: Date = input.at ?? new Date()): Promise<void> {
  const data = rowData(actor, input);
  if (data.outcome !== 'denied') {
    await db.auditEvent.create({ data: { ...data, ...(input.at ? { at: input.at } : {}) } });
    return;
  }
  const window = Math.floor(now.getTime() / DENIED_WINDOW_MS);
  const slot = data.origin === null ? -1 : parseInt(sha256(data.origin).slice(0, 8), 16) % ORIGIN_SLOTS;
  const key = sha256([data.actorType, data.actorId, data.actorLabel, data.action, data.targetType, data.targetId, slot, window]);
  const jsonb = (v: Prisma.InputJsonValue | undefined) => (v === undefined ? null : JSON.stringify(v));
  await db.$executeRaw`
    INSERT INTO "audit_events" ("at", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "summary", "before", "after", "outcome", "origin", "dedupeKey")
    VALUES (${now}, ${data.actorType}, ${data.actorId}, ${data.actorLabel}, ${data.action}, ${data.targetType}, ${data.targetId}, ${data.summary},
            ${jsonb(data.before)}::jsonb, ${jsonb(data.after)}::jsonb, 'denied', ${data.origin}, ${key})
    ON CONFLICT ("dedupeKey") DO UPDATE SET
      "count" = "audit_events"."count" + 1,
      "lastAt" = GREATEST(COALESCE("audit_events"."lastAt", EXCLUDED."at"), EXCLUDED."at"),
      "origin" = CASE WHEN "audit_events"."origin" IS NOT DISTINCT FROM EXCLUDED."origin" THEN "audit_events"."origin" ELSE ${MANY_ORIGINS} END`;
}

function rowData(actor: Actor, input: AuditInput) {
  return {
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    summary: input.summary,
    before: json(input.before),
    after: json(input.after),
    outcome: input.outcome ?? 'ok',
    origin: actor.origin ?? null,
  };
}

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  outcome: z.enum(['ok', 'denied', 'error']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export interface AuditRow {
  id: string;
  at: string;
  actorType: string;
  actorLabel: string;
  action: string;
  target: string | null;
  summary: string;
  before: unknown;
  after: unknown;
  outcome: string;
  origin: string | null;
  /** How many identical refusals the row stands for (1 for everything else). */
  count: number;
  /** The latest of them, when count > 1. */
  lastAt: string | null;
}

export async function listAudit(db: Db, f: AuditFilter): Promise<{ rows: AuditRow[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.AuditEventWhereInput = {
    ...(f.actor ? { actorLabel: { contains: f.actor, mode: 'insensitive' } } : {}),
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
    }),
    db.auditEvent.count({ where }),
  ]);
  return {
    rows: rows.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actorType: r.actorType,
      actorLabel: r.actorLabel,
      action: r.action,
      target: r.targetType ? `${r.targetType}${r.targetId ? `:${r.targetId}` : ''}` : null,
      summary: r.summary,
      before: r.before,
      after: r.after,
      outcome: r.outcome,
      origin: r.origin,
      count: r.count,
      lastAt: r.lastAt?.toISOString() ?? null,
    })),
    total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** Distinct action names, for the filter's drop-down. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } });
  return rows.map((r) => r.action);
}
