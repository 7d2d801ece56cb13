/** The test page: state, the last 100 results, grouped failure messages, timeline and ticket. */
import type { Db } from '@/lib/db/client';
import { groupFailures, stripAnsi } from '@/lib/engine/flaky';
import { ServiceError } from '../errors';
import { projectPolicy } from './projects';
import { toTicketDto } from './tickets';

export interface HistoryCell {
  id: string;
  at: string;
  outcome: string;
  attempts: number;
  failedAttempts: number;
  durationMs: number | null;
  commit: string | null;
  branch: string | null;
  variant: string | null;
  runUrl: string | null;
  infra: boolean;
  /** The test was quarantined when this result arrived (its failure was ignored). */
  quarantined: boolean;
}

export async function getTestDetail(db: Db, projectId: string, testId: string) {
  const t = await db.testCase.findFirst({ where: { id: testId, projectId }, include: { project: { select: { key: true, name: true, policy: true } } } });
  if (!t) throw new ServiceError('not_found', 'No such test in this project.');
  const policy = projectPolicy(t.project.policy);
  const [results, messages, events, ticket] = await Promise.all([
    db.testResult.findMany({ where: { testId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 100, include: { upload: { select: { runUrl: true } } } }),
    db.testResult.findMany({ where: { testId, outcome: { in: ['failed', 'error', 'flaky'] }, message: { not: null } }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 500, select: { message: true } }),
    db.testEvent.findMany({ where: { testId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 100 }),
    db.ticket.findFirst({ where: { testId }, orderBy: { createdAt: 'desc' } }),
  ]);
  // Quarantine spans from the timeline, to mark results that arrived while quarantined.
  const spans: [number, number][] = [];
  let open: number | null = t.status === 'quarantined' ? Infinity : null;
  for (const e of events) {
    if (e.kind === 'unquarantined') open = e.at.getTime();
    else if (e.kind === 'quarantined' && open !== null) {
      spans.push([e.at.getTime(), open]);
      open = null;
    }
  }
  if (open !== null && t.quarantinedAt) spans.push([t.quarantinedAt.getTime(), open]);
  const inQuarantine = (ms: number) => spans.some(([a, b]) => ms >= a && ms < b);
  const history: HistoryCell[] = results.reverse().map((r) => ({
    id: r.id.toString(), at: r.at.toISOString(), outcome: r.outcome, attempts: r.attempts, failedAttempts: r.failedAttempts, durationMs: r.durationMs,
    commit: r.commit, branch: r.branch, variant: r.variant, runUrl: r.upload.runUrl, infra: r.infra, quarantined: inQuarantine(r.at.getTime()),
  }));
  return {
    test: {
      id: t.id, name: t.name, classname: t.classname, suite: t.suite, file: t.file, status: t.status, pinned: t.pinned === 'never', broken: t.broken,
      brokenSince: t.brokenSince?.toISOString() ?? null, quarantinedAt: t.quarantinedAt?.toISOString() ?? null, quarantineReason: t.quarantineReason,
      quarantinedBy: t.quarantinedBy, quarantineExpires: t.quarantineExpires?.toISOString() ?? null, greenStreak: t.greenStreak, eligible: t.eligibleAt !== null,
      lastFlakeAt: t.lastFlakeAt?.toISOString() ?? null, firstSeenAt: t.firstSeenAt.toISOString(), lastSeenAt: t.lastSeenAt.toISOString(),
    },
    project: { key: t.project.key, name: t.project.name },
    greensNeeded: policy.greensToUnquarantine,
    history,
    failures: groupFailures(messages.map((m) => (m.message ? stripAnsi(m.message) : null))).slice(0, 20),
    events: events.map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), kind: e.kind, actor: e.actorLabel, reason: e.reason })),
    /** The latest ticket (open or closed): the page edits it, or offers to open one when it is closed. */
    ticket: ticket ? toTicketDto(ticket, { name: t.name, project: t.project.key }) : null,
  };
}

export type TestDetail = Awaited<ReturnType<typeof getTestDetail>>;
