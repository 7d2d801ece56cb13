/** The audit trail: every mutation writes one row; the Audit page and API read them back. */
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
type Writer = Pick<Db, 'auditEvent'> | Prisma.TransactionClient;

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}

export async function recordAudit(db: Writer, actor: Actor, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      at: input.at,
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
    },
  });
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
