/**
 * One test's evaluation: what the engine decides (planChange, pure over the stored row and its
 * results) and performing it (applyChange: a compare-and-set on the test's version, its events,
 * the audit row and the ticket, in one transaction). See evaluate.ts.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { brokenState, decideQuarantine, flakeEvents, greenStreak, type FlakyPolicy, type ResultRow } from '@/lib/engine/flaky';
import { ownersFor } from '@/lib/engine/flaky/codeowners';
import { systemActor } from '../actor';
import { OPEN_TICKET_STATUSES } from './ticket-statuses';
import { recordAudit } from '../audit';
import { enqueueTestEvent } from '../notifications/flaky-events';
import type { EvaluationSummary } from './evaluate';

export interface TestRow {
  id: string;
  key: string;
  name: string;
  classname: string;
  file: string | null;
  status: string;
  quarantinedAt: Date | null;
  quarantineExpires: Date | null;
  releasedAt: Date | null;
  quarantinedBy: string | null;
  pinned: string | null;
  broken: boolean;
  brokenSince: Date | null;
  greenStreak: number;
  eligibleAt: Date | null;
  lastFlakeAt: Date | null;
  version: number;
}

export interface Change {
  /** Columns to set (besides version). */
  data: Record<string, unknown>;
  events: { kind: string; reason: string; before: unknown; after: unknown }[];
  ticket: boolean;
  /** The resulting values of the columns a quiet update sets. */
  lastFlakeAt: Date | null;
  greenStreak: number;
  eligibleAt: Date | null;
}

const policyActor = systemActor('flaky-policy');

/** What should change for this test at `now`, or null when nothing does. */
export function planChange(policy: FlakyPolicy, t: TestRow, rows: ResultRow[], now: Date): Change | null {
  const broken = brokenState(rows, policy);
  const quarantined = t.status === 'quarantined';
  const decision = decideQuarantine({
    state: {
      status: quarantined ? 'quarantined' : 'active',
      // Quarantined: since when. Active: when last released, so old flakes are not counted twice.
      since: (quarantined ? t.quarantinedAt : t.releasedAt)?.getTime() ?? null,
      pinned: t.pinned === 'never' ? 'never' : null,
      manual: quarantined && t.quarantinedBy !== 'policy' ? { expiresAt: t.quarantineExpires?.getTime() ?? null } : null,
    },
    rows,
    now: now.getTime(),
    policy,
  });
  const flakes = flakeEvents(rows).get(t.id) ?? [];
  const lastFlakeMs = flakes.reduce<number | null>((m, f) => (m === null || f.at > m ? f.at : m), t.lastFlakeAt?.getTime() ?? null);

  const data: Record<string, unknown> = {};
  const events: { kind: string; reason: string; before: unknown; after: unknown }[] = [];
  if (broken.broken !== t.broken) {
    data.broken = broken.broken;
    data.brokenSince = broken.since !== null ? new Date(broken.since) : null;
    events.push(broken.broken
      ? { kind: 'broken', reason: `Failed on the last ${policy.brokenAfterRuns} runs of a branch: listed as broken, never auto-quarantined.`, before: { broken: false }, after: { broken: true } }
      : { kind: 'recovered', reason: 'Passed again after failing consistently.', before: { broken: true }, after: { broken: false } });
  }
  if (lastFlakeMs !== (t.lastFlakeAt?.getTime() ?? null)) data.lastFlakeAt = lastFlakeMs === null ? null : new Date(lastFlakeMs);
  let ticket = false;
  if (decision.action === 'quarantine' && !quarantined) {
    Object.assign(data, { status: 'quarantined', quarantinedAt: now, quarantineReason: decision.reason, quarantinedBy: 'policy', quarantineExpires: null, greenStreak: 0, eligibleAt: null });
    events.push({ kind: 'quarantined', reason: decision.reason, before: { status: 'active' }, after: { status: 'quarantined', flakes: decision.flakes.length } });
    ticket = true;
  } else if (decision.action === 'unquarantine' && quarantined) {
    Object.assign(data, { status: 'active', quarantinedAt: null, quarantineReason: null, quarantinedBy: null, quarantineExpires: null, releasedAt: now, greenStreak: 0, eligibleAt: null });
    events.push({ kind: 'unquarantined', reason: decision.reason, before: { status: 'quarantined', greenStreak: t.greenStreak }, after: { status: 'active', cause: decision.cause } });
  } else if (quarantined) {
    const streak = greenStreak(rows, t.quarantinedAt?.getTime() ?? null, policy).streak;
    if (streak !== t.greenStreak) data.greenStreak = streak;
    if (decision.action === 'eligible' && !t.eligibleAt) {
      data.eligibleAt = now;
      events.push({ kind: 'eligible', reason: decision.reason, before: { greenStreak: t.greenStreak }, after: { greenStreak: streak } });
    } else if (decision.action !== 'eligible' && t.eligibleAt) data.eligibleAt = null;
  }
  if (!Object.keys(data).length) return null;
  return {
    data,
    events,
    ticket,
    lastFlakeAt: 'lastFlakeAt' in data ? (data.lastFlakeAt as Date | null) : t.lastFlakeAt,
    greenStreak: 'greenStreak' in data ? (data.greenStreak as number) : t.greenStreak,
    eligibleAt: 'eligibleAt' in data ? (data.eligibleAt as Date | null) : t.eligibleAt,
  };
}

/** Performs a change with events: one transaction, compare-and-set on the version. */
export async function applyChange(db: Db, project: { key: string; codeowners: string | null }, t: TestRow, change: Change, now: Date, summary: EvaluationSummary): Promise<void> {
  const { data, events, ticket } = change;
  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.testCase.updateMany({ where: { id: t.id, version: t.version }, data: { ...data, version: { increment: 1 } } });
    if (count !== 1) return false; // another instance changed it first: its evaluation stands
    for (const e of events) {
      await tx.testEvent.create({ data: { testId: t.id, at: now, kind: e.kind, actorType: 'system', actorLabel: policyActor.label, reason: e.reason, before: e.before as object, after: e.after as object } });
      await enqueueTestEvent(tx, { kind: e.kind, reason: e.reason, actorLabel: policyActor.label, project: project.key, test: t }, now); // outbox: notifies iff this commits
      if (e.kind === 'quarantined' || e.kind === 'unquarantined') {
        await recordAudit(tx, policyActor, { at: now, action: e.kind === 'quarantined' ? 'test.quarantine' : 'test.unquarantine', targetType: 'test', targetId: t.id, summary: `${e.kind === 'quarantined' ? 'Quarantined' : 'Unquarantined'} ${t.name} (${project.key}): ${e.reason}`, before: e.before, after: e.after });
      }
    }
    // The CAS above holds the test row's lock, which openTicket and a ticket's reopening also take:
    // an open ticket (one opened by hand, or by an earlier quarantine) is seen here, never doubled.
    // The partial unique index tickets_one_open_per_test makes a second one impossible anyway.
    if (ticket && !(await tx.ticket.findFirst({ where: { testId: t.id, status: { in: [...OPEN_TICKET_STATUSES] } }, select: { id: true } }))) {
      const owner = ownersFor(project.codeowners, t)[0] ?? null;
      await tx.ticket.create({ data: { id: crypto.randomUUID(), testId: t.id, status: 'open', owner, notes: '', links: [], createdAt: now, updatedAt: now } });
      await tx.testEvent.create({ data: { testId: t.id, at: now, kind: 'ticket', actorType: 'system', actorLabel: policyActor.label, reason: `Investigation ticket opened${owner ? ` for ${owner}` : ''}.`, after: { status: 'open', owner } } });
    }
    return true;
  });
  if (!changed) return;
  for (const e of events) {
    if (e.kind === 'quarantined') summary.quarantined.push(t.id);
    else if (e.kind === 'unquarantined') summary.unquarantined.push(t.id);
    else if (e.kind === 'eligible') summary.eligible.push(t.id);
    else if (e.kind === 'broken') summary.broken.push(t.id);
    else if (e.kind === 'recovered') summary.recovered.push(t.id);
  }
}
