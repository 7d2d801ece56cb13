/**
 * Quarantine by people: quarantine (with a reason and optional expiry), unquarantine (with a
 * note), pin "never quarantine". Operators only (the action and route wrappers check the role;
 * these check the state). Each is a compare-and-set on the test's status, one event on the test's
 * timeline and one audit row, in one transaction.
 */
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { QuarantinedTest } from '@/lib/engine/flaky/quarantine-format';
import { safeDate, safeString } from '@/lib/validation';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { enqueueTestEvent } from '../notifications/flaky-events';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireProject, type ProjectScope } from './projects';

export const quarantineSchema = z.object({
  testId: z.string().uuid('is not a test id'),
  reason: safeString(500).pipe(z.string().trim().min(1, 'say why (it is shown on the quarantine list)')),
  expiresAt: safeDate().nullish(),
});
export const unquarantineSchema = z.object({
  testId: z.string().uuid('is not a test id'),
  note: safeString(500).pipe(z.string().trim()).default(''),
});
export const pinSchema = z.object({
  testId: z.string().uuid('is not a test id'),
  pinned: z.boolean(),
  note: safeString(500).pipe(z.string().trim()).default(''),
});

const actorKind = (a: Actor) => (a.type === 'user' ? 'user' : a.type);

async function loadTest(db: Db, testId: string) {
  const t = await db.testCase.findUnique({ where: { id: testId }, include: { project: { select: { key: true } } } });
  if (!t) throw new ServiceError('not_found', 'No such test.', [{ field: 'testId', message: 'not found' }]);
  return t;
}

export async function quarantineTest(db: Db, actor: Actor, raw: z.input<typeof quarantineSchema>, now = new Date()) {
  const p = quarantineSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const { testId, reason, expiresAt } = p.data;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalid([{ field: 'expiresAt', message: 'must be in the future' }]);
  const t = await loadTest(db, testId);
  return db.$transaction(async (tx) => {
    const { count } = await tx.testCase.updateMany({
      where: { id: testId, status: 'active' },
      data: { status: 'quarantined', quarantinedAt: now, quarantineReason: reason, quarantinedBy: actor.label, quarantineExpires: expiresAt ?? null, greenStreak: 0, eligibleAt: null, version: { increment: 1 } },
    });
    if (count !== 1) throw new ServiceError('conflict', `${t.name} is already quarantined.`);
    const after = { status: 'quarantined', reason, expires: expiresAt?.toISOString() ?? null };
    await tx.testEvent.create({ data: { testId, at: now, kind: 'quarantined', actorType: actorKind(actor), actorLabel: actor.label, reason, before: { status: 'active' }, after } });
    await enqueueTestEvent(tx, { kind: 'quarantined', reason, actorLabel: actor.label, project: t.project.key, test: t }, now);
    await recordAudit(tx, actor, { at: now, action: 'test.quarantine', targetType: 'test', targetId: testId, summary: `Quarantined ${t.name} (${t.project.key}): ${reason}`, before: { status: 'active' }, after });
    return { id: testId, status: 'quarantined' as const };
  });
}

export async function unquarantineTest(db: Db, actor: Actor, raw: z.input<typeof unquarantineSchema>, now = new Date()) {
  const p = unquarantineSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const { testId, note } = p.data;
  const t = await loadTest(db, testId);
  return db.$transaction(async (tx) => {
    const { count } = await tx.testCase.updateMany({
      where: { id: testId, status: 'quarantined' },
      data: { status: 'active', quarantinedAt: null, quarantineReason: null, quarantinedBy: null, quarantineExpires: null, releasedAt: now, greenStreak: 0, eligibleAt: null, version: { increment: 1 } },
    });
    if (count !== 1) throw new ServiceError('conflict', `${t.name} is not quarantined.`);
    const reason = note || (t.eligibleAt ? `Unquarantined after ${t.greenStreak} consecutive greens.` : 'Unquarantined.');
    const before = { status: 'quarantined', greenStreak: t.greenStreak, eligible: Boolean(t.eligibleAt) };
    await tx.testEvent.create({ data: { testId, at: now, kind: 'unquarantined', actorType: actorKind(actor), actorLabel: actor.label, reason, before, after: { status: 'active' } } });
    await enqueueTestEvent(tx, { kind: 'unquarantined', reason, actorLabel: actor.label, project: t.project.key, test: t }, now);
    await recordAudit(tx, actor, { at: now, action: 'test.unquarantine', targetType: 'test', targetId: testId, summary: `Unquarantined ${t.name} (${t.project.key}): ${reason}`, before, after: { status: 'active' } });
    return { id: testId, status: 'active' as const };
  });
}

export async function pinTest(db: Db, actor: Actor, raw: z.input<typeof pinSchema>, now = new Date()) {
  const p = pinSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const { testId, pinned, note } = p.data;
  const t = await loadTest(db, testId);
  return db.$transaction(async (tx) => {
    const { count } = await tx.testCase.updateMany({ where: { id: testId, pinned: pinned ? null : 'never' }, data: { pinned: pinned ? 'never' : null, version: { increment: 1 } } });
    if (count !== 1) throw new ServiceError('conflict', pinned ? `${t.name} is already pinned.` : `${t.name} is not pinned.`);
    const reason = note || (pinned ? 'Pinned: the policy never quarantines this test.' : 'Pin removed.');
    await tx.testEvent.create({ data: { testId, at: now, kind: pinned ? 'pinned' : 'unpinned', actorType: actorKind(actor), actorLabel: actor.label, reason, before: { pinned: !pinned }, after: { pinned } } });
    await recordAudit(tx, actor, { at: now, action: pinned ? 'test.pin' : 'test.unpin', targetType: 'test', targetId: testId, summary: `${pinned ? 'Pinned' : 'Unpinned'} ${t.name} (${t.project.key})`, before: { pinned: !pinned }, after: { pinned } });
    return { id: testId, pinned };
  });
}

/** The project's quarantined tests, for the API's runner formats and `steward quarantine check`. */
export async function listQuarantined(db: Db, actor: ProjectScope, projectKey: string): Promise<QuarantinedTest[]> {
  const project = await requireProject(db, actor, projectKey);
  const rows = await db.testCase.findMany({
    where: { projectId: project.id, status: 'quarantined' },
    orderBy: [{ quarantinedAt: 'asc' }, { key: 'asc' }],
    include: { tickets: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true, status: true, owner: true } } },
  });
  return rows.map((r) => ({
    id: r.id, key: r.key, suite: r.suite, classname: r.classname, name: r.name, file: r.file, since: r.quarantinedAt?.toISOString() ?? null,
    reason: r.quarantineReason, by: r.quarantinedBy, expires: r.quarantineExpires?.toISOString() ?? null, ticket: r.tickets[0] ?? null,
  }));
}
