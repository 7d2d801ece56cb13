/** The delivery log: paged, filtered by channel, status and kind. Never a secret: the payload's subject name at most. */
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { queryInt } from '@/lib/validation';

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryFilterSchema = z.object({
  channel: z.string().uuid().optional().catch(undefined),
  status: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
  kind: z.string().regex(/^[a-z]+\.[a-z_]+$/).max(64).optional().catch(undefined),
  page: queryInt(1, 100_000).default(1).catch(1),
  pageSize: queryInt(1, 200).default(25).catch(25),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterSchema>;

export interface DeliveryDto {
  id: string;
  channelId: string;
  channelName: string;
  channelType: string;
  kind: string;
  project: string | null;
  subject: string;
  test: boolean;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: string;
}

export async function listDeliveries(db: Db, f: DeliveryFilter): Promise<{ rows: DeliveryDto[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.NotificationDeliveryWhereInput = {
    ...(f.channel ? { channelId: f.channel } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
  };
  const [rows, total] = await Promise.all([
    db.notificationDelivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: { channel: { select: { name: true, type: true } } },
    }),
    db.notificationDelivery.count({ where }),
  ]);
  return {
    rows: rows.map((r) => {
      const p = r.payload as { subject?: { name?: unknown }; test?: unknown };
      const status = r.status as DeliveryStatus;
      return {
        id: r.id, channelId: r.channelId, channelName: r.channel.name, channelType: r.channel.type, kind: r.kind, project: r.projectKey,
        subject: typeof p.subject?.name === 'string' ? p.subject.name : r.subjectId, test: p.test === true, status, attempts: r.attempts,
        nextAttemptAt: status === 'pending' || status === 'failed' ? r.nextAttemptAt.toISOString() : null,
        lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null, deliveredAt: r.deliveredAt?.toISOString() ?? null,
        lastError: r.lastError, lastStatusCode: r.lastStatusCode, createdAt: r.createdAt.toISOString(),
      };
    }),
    total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** Deliveries per status (every status present, 0 when none), for /metrics and the page header. */
export async function deliveryCounts(db: Db): Promise<Record<DeliveryStatus, number>> {
  const groups = await db.notificationDelivery.groupBy({ by: ['status'], _count: { _all: true } });
  const out = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const g of groups) if ((DELIVERY_STATUSES as readonly string[]).includes(g.status)) out[g.status as DeliveryStatus] = g._count._all;
  return out;
}
