/**
 * State changes of a check: which are recorded as flips, which are announced, and the write that
 * stores a new evaluation with a compare-and-set on `version`, in the caller's transaction, with
 * its flip and its outbox rows. Used by pings, the alert loop, edits, pause/resume and freshness
 * observations, so each path decides the same way.
 */
import type { Prisma } from '@/lib/db/generated/client';
import { describeSchedule } from '@/lib/engine/cron';
import type { CheckEvaluation, CheckState } from '@/lib/engine/cron/types';
import type { NotificationEvent } from '@/lib/engine/notifications';
import { cronEvent, enqueueCronEvents } from '../notifications/cron-events';
import { ServiceError } from '../errors';
import { evaluateRow, scheduleOf, stateOf, type CheckRow } from './rows';

type Tx = Prisma.TransactionClient;

const QUIET: ReadonlySet<CheckState> = new Set(['new', 'up', 'started', 'late']);

/**
 * A change is a flip unless it stays among new/up/started/late: a run starting or finishing
 * happens twice a run, and "late" is the grace period a job that pings when it finishes enters at
 * every fire time (a `0 3 * * *` job pinging at 03:00:50 is late for 50 seconds each night) — those
 * belong to the ping log and the live state, not the flip history. Entering or leaving down or
 * paused is a flip.
 */
export function isFlip(from: CheckState, to: CheckState): boolean {
  return from !== to && !(QUIET.has(from) && QUIET.has(to));
}

/**
 * `down` entering down once per outage (downSince unset), `up` entering up while an outage was
 * announced (down → started → up announces up at the finish, not at the start).
 */
export function announcement(to: CheckState, downSince: Date | null): 'down' | 'up' | null {
  if (to === 'down' && !downSince) return 'down';
  if (to === 'up' && downSince) return 'up';
  return null;
}

/**
 * The engine promises nextChangeAt > now; a deadline at or before now would have the alert loop
 * pick the same row forever, so it is pushed a minute on (and the next pass evaluates again).
 */
export function safeNextChange(ev: CheckEvaluation, now: Date): Date | null {
  if (!ev.nextChangeAt) return null;
  return ev.nextChangeAt.getTime() > now.getTime() ? ev.nextChangeAt : new Date(now.getTime() + 60_000);
}

export interface Decision {
  ev: CheckEvaluation;
  from: CheckState;
  to: CheckState;
  nextChangeAt: Date | null;
  downSince: Date | null;
  flip: boolean;
  announce: 'down' | 'up' | null;
}

/** What storing `after` (the row with its new config/history, `state` still the cached one) means. */
export function decide(after: CheckRow, now: Date): Decision {
  const ev = evaluateRow(after, now);
  const from = stateOf(after.state);
  const to = ev.state;
  const announce = from === to ? null : announcement(to, after.downSince);
  const downSince = to === 'paused' ? null : announce === 'down' ? now : announce === 'up' || to === 'new' ? null : after.downSince;
  // An announced change is always a flip (down → started → up records started → up with its cron.up).
  return { ev, from, to, nextChangeAt: safeNextChange(ev, now), downSince, flip: isFlip(from, to) || announce !== null, announce };
}

export function flipEvent(row: CheckRow, d: Decision, now: Date): NotificationEvent | null {
  if (!d.announce) return null;
  return cronEvent({
    kind: d.announce, check: { id: row.id, name: row.name, type: row.type, tags: row.tags, scheduleText: describeSchedule(scheduleOf(row)) },
    from: d.from, to: d.to, reason: d.ev.reason, downSince: row.downSince,
  }, now);
}

export interface WriteResult {
  row: CheckRow;
  decision: Decision;
}

/**
 * Stores `patch` on the check and its new evaluation, `UPDATE … WHERE version = <read>`; a lost
 * race (someone wrote the row since it was read) is a conflict: callers that locked the row
 * (SELECT … FOR UPDATE) never see one. Writes the flip and enqueues its notification in `tx`.
 */
export async function writeEvaluation(tx: Tx, before: CheckRow, patch: Partial<CheckRow>, now: Date, opts: { note?: string | null } = {}): Promise<WriteResult> {
  const after: CheckRow = { ...before, ...patch };
  const decided = decide(after, now);
  // A note says why an observation is what it is ("is a symbolic link (never followed)"), when the
  // engine's sentence alone ("artifact missing") would hide it.
  const d = opts.note ? { ...decided, ev: { ...decided.ev, reason: `${decided.ev.reason} (${opts.note.slice(0, 500)})` } } : decided;
  const data = {
    ...patch, state: d.to, reason: d.ev.reason.slice(0, 2000), nextChangeAt: d.nextChangeAt, downSince: d.downSince, updatedAt: now, version: before.version + 1,
  } as Prisma.CronCheckUpdateManyMutationInput;
  // Relations are not columns: never pass them to updateMany.
  delete (data as Record<string, unknown>).id;
  const { count } = await tx.cronCheck.updateMany({ where: { id: before.id, version: before.version }, data });
  if (count !== 1) throw new ServiceError('conflict', `Check "${before.name}" was changed by someone else meanwhile; reload and try again.`);
  const ev = flipEvent(after, d, now);
  if (d.flip) await tx.cronFlip.create({ data: { checkId: before.id, at: now, from: d.from, to: d.to, reason: d.ev.reason.slice(0, 2000), eventId: ev?.eventId ?? null } });
  if (ev) await enqueueCronEvents(tx, [ev], now);
  return { row: { ...after, state: d.to, reason: d.ev.reason, nextChangeAt: d.nextChangeAt, downSince: d.downSince, version: before.version + 1, updatedAt: now }, decision: d };
}

/** Reads a check under a row lock (the caller's transaction), or null. */
export async function lockCheck(tx: Tx, id: string): Promise<CheckRow | null> {
  const rows = await tx.$queryRaw<CheckRow[]>`SELECT * FROM "cron_checks" WHERE "id" = ${id} FOR UPDATE`;
  return rows[0] ?? null;
}

