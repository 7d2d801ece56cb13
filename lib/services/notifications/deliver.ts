/**
 * Sending the outbox. `deliverDue` claims due deliveries in batches — one UPDATE whose subquery
 * takes the rows FOR UPDATE SKIP LOCKED, so two instances (or two calls) never claim the same
 * row — marks them `sending` with a random token and a lease, sends them through the injected
 * transport, and records each outcome with a compare-and-set on that token. A claim whose
 * sender died is retaken once its lease (well beyond the 10 s send timeout) has expired.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { DEFAULT_RETRY, isEventKind, nextState, type AttemptOutcome, type NotificationEvent, type RetryPolicy } from '@/lib/engine/notifications';
import { isChannelType } from './channel-config';
import { openSecret, SecretUnreadableError } from './secret-box';
import type { OpenChannel, SendFn } from './transports';

export const LEASE_MS = 2 * 60_000;
const BATCH = 10;
const MAX_BATCHES = 20;

export interface DeliverOptions {
  send: SendFn;
  signal?: AbortSignal;
  /** Deterministic jitter in tests; Math.random otherwise. */
  random?: () => number;
  policy?: RetryPolicy;
  batchSize?: number;
  maxBatches?: number;
  /** Claim only these deliveries (sendTest). */
  ids?: string[];
}

export interface DeliverSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
}

interface Claimed {
  id: string;
  attempts: number;
  payload: unknown;
  channelId: string;
  claimToken: string;
}

async function claim(db: Db, now: Date, limit: number, ids: string[] | null): Promise<Claimed[]> {
  const token = crypto.randomUUID();
  const lease = new Date(now.getTime() + LEASE_MS);
  return db.$queryRaw<Claimed[]>`
    UPDATE "notification_deliveries" d SET "status" = 'sending', "claimToken" = ${token}, "claimExpiresAt" = ${lease}
     WHERE d."id" IN (
       SELECT "id" FROM "notification_deliveries"
        WHERE ((("status" = 'pending' OR "status" = 'failed') AND "nextAttemptAt" <= ${now})
               OR ("status" = 'sending' AND "claimExpiresAt" <= ${now}))
          AND (${ids === null} OR "id" = ANY(${ids ?? []}::text[]))
        ORDER BY "nextAttemptAt", "id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING d."id", d."attempts", d."payload", d."channelId", d."claimToken"`;
}

/** Replaces the secret (and a webhook URL's path, which carries its token) in text we store. */
export function redact(text: string, secret: string | null): string {
  if (!secret) return text;
  let out = text.split(secret).join('[secret]');
  try {
    const u = new URL(secret);
    const tail = `${u.pathname}${u.search}`;
    if (tail.length > 1) out = out.split(tail).join('/[secret]');
  } catch {
    /* a password, not a URL */
  }
  return out;
}

async function loadChannels(db: Db, ids: string[]) {
  const rows = await db.notificationChannel.findMany({ where: { id: { in: ids } }, select: { id: true, type: true, config: true, secret: true, enabled: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

async function sendOne(row: Claimed, channels: Awaited<ReturnType<typeof loadChannels>>, opts: DeliverOptions): Promise<{ outcome: AttemptOutcome; secret: string | null }> {
  const c = channels.get(row.channelId);
  const event = row.payload as NotificationEvent;
  if (!c || !isChannelType(c.type)) return { outcome: { type: 'refused', message: 'the channel no longer exists' }, secret: null };
  if (!c.enabled && !event.test) return { outcome: { type: 'refused', message: 'the channel was disabled before delivery' }, secret: null };
  if (!isEventKind(event.kind)) return { outcome: { type: 'refused', message: `unknown event kind ${event.kind}` }, secret: null };
  let secret: string | null;
  try {
    secret = c.secret ? openSecret(c.secret, c.id) : null;
  } catch (e) {
    if (e instanceof SecretUnreadableError) return { outcome: { type: 'refused', message: e.message }, secret: null };
    throw e;
  }
  const channel: OpenChannel = { id: c.id, type: c.type, config: c.config, secret };
  try {
    return { outcome: await opts.send({ channel, event, deliveryId: row.id, signal: opts.signal }), secret };
  } catch (e) {
    return { outcome: { type: 'network', message: (e as Error).message }, secret };
  }
}

async function record(db: Db, row: Claimed, outcome: AttemptOutcome, secret: string | null, now: Date, opts: DeliverOptions) {
  const attempts = row.attempts + 1;
  const policy = (row.payload as NotificationEvent).test ? { ...(opts.policy ?? DEFAULT_RETRY), maxAttempts: 1 } : (opts.policy ?? DEFAULT_RETRY);
  const next = nextState(outcome, attempts, now.getTime(), (opts.random ?? Math.random)(), policy);
  const code = outcome.type === 'http' ? outcome.status : outcome.type === 'smtp' ? outcome.code : null;
  const { count } = await db.notificationDelivery.updateMany({
    where: { id: row.id, claimToken: row.claimToken },
    data: {
      status: next.status, attempts, lastAttemptAt: now, lastStatusCode: code, claimToken: null, claimExpiresAt: null,
      lastError: next.status === 'delivered' ? null : redact(next.error, secret).slice(0, 1000),
      ...(next.status === 'delivered' ? { deliveredAt: now } : {}),
      ...(next.status === 'failed' ? { nextAttemptAt: new Date(next.nextAttemptAt) } : {}),
    },
  });
  return count === 1 ? next.status : null; // null: our lease expired and someone else owns it now
}

/** Claims and sends due deliveries (bounded batches) until none are due, the budget is spent or `signal` aborts. */
export async function deliverDue(db: Db, now: Date, opts: DeliverOptions): Promise<DeliverSummary> {
  const summary: DeliverSummary = { claimed: 0, delivered: 0, retrying: 0, dead: 0 };
  const batchSize = opts.batchSize ?? BATCH;
  for (let b = 0; b < (opts.maxBatches ?? MAX_BATCHES) && !opts.signal?.aborted; b++) {
    const rows = await claim(db, now, batchSize, opts.ids ?? null);
    if (!rows.length) break;
    summary.claimed += rows.length;
    const channels = await loadChannels(db, [...new Set(rows.map((r) => r.channelId))]);
    await Promise.all(rows.map(async (row) => {
      const { outcome, secret } = await sendOne(row, channels, opts);
      const status = await record(db, row, outcome, secret, now, opts);
      if (status === 'delivered') summary.delivered++;
      else if (status === 'failed') summary.retrying++;
      else if (status === 'dead') summary.dead++;
    }));
    if (rows.length < batchSize) break;
  }
  return summary;
}
