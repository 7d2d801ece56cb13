/**
 * Investigation tickets (issue 9): the one an auto-quarantine opens, edited by people (status,
 * owner, notes, links), and one opened by hand for a test that has none open.
 *
 * Edits are optimistic: the caller sends the `updatedAt` it read, and the write is a
 * compare-and-set on it, so of two people editing the same ticket the second gets a conflict
 * instead of silently overwriting the first. Each edit writes the ticket, one `ticket` event on
 * the test's timeline and one audit row (only the fields that changed), in one transaction.
 * Tickets are reached through their test's project: a token limited to other projects gets the
 * same not_found as for a ticket that does not exist.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { isHttpUrl } from '@/lib/engine/flaky/links';
import { safeString, safeText } from '@/lib/validation';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { mayUseProject, type ProjectScope } from './projects';
import { isOpenTicketStatus, OPEN_TICKET_STATUSES, TICKET_STATUSES } from './ticket-statuses';

export { TICKET_STATUSES, type TicketStatus } from './ticket-statuses';
export const MAX_LINKS = 20;

export const ticketLinkSchema = z.object({
  label: safeString(200).pipe(z.string().trim()).default(''),
  url: safeString(2000).pipe(z.string().trim().refine(isHttpUrl, 'must be an http:// or https:// URL')),
});
export type TicketLink = z.output<typeof ticketLinkSchema>;

export const ticketPatchSchema = z.object({
  status: z.enum(TICKET_STATUSES, { message: `must be one of ${TICKET_STATUSES.join(', ')}` }).optional(),
  // An empty owner is "nobody".
  owner: safeString(200).pipe(z.string().trim()).nullable().optional().transform((o) => (o === '' ? null : o)),
  notes: safeText(10_000).optional(),
  links: z.array(ticketLinkSchema).max(MAX_LINKS, `at most ${MAX_LINKS} links`).optional(),
});
export type TicketPatch = z.input<typeof ticketPatchSchema>;

/** The `updatedAt` the editor read (ISO string or Date). */
export const expectedUpdatedAtSchema = z.coerce.date({ message: 'must be the ticket\'s updatedAt as read' });

export interface TicketDto {
  id: string;
  testId: string;
  testName: string;
  project: string;
  status: string;
  owner: string | null;
  notes: string;
  links: TicketLink[];
  createdAt: string;
  updatedAt: string;
}

type TicketRow = { id: string; testId: string; status: string; owner: string | null; notes: string; links: unknown; createdAt: Date; updatedAt: Date };
type LoadedTicket = TicketRow & { test: { name: string; project: { key: string } } };

/** Stored links, as far as they are still valid: a row edited by hand never renders a bad URL. */
export function storedLinks(raw: unknown): TicketLink[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l) => {
    const p = ticketLinkSchema.safeParse(l);
    return p.success ? [p.data] : [];
  });
}

export function toTicketDto(t: TicketRow, test: { name: string; project: string }): TicketDto {
  return {
    id: t.id, testId: t.testId, testName: test.name, project: test.project, status: t.status, owner: t.owner, notes: t.notes,
    links: storedLinks(t.links), createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const actorKind = (a: Actor) => (a.type === 'user' ? 'user' : a.type);
const notFound = () => new ServiceError('not_found', 'No such ticket.', [{ field: 'ticketId', message: 'not found' }]);

async function loadTicket(db: Db, scope: ProjectScope, ticketId: string): Promise<LoadedTicket> {
  const t = UUID.test(ticketId) ? await db.ticket.findUnique({ where: { id: ticketId }, include: { test: { select: { name: true, project: { select: { key: true } } } } } }) : null;
  if (!t || !mayUseProject(scope, t.test.project.key)) throw notFound();
  return t;
}

export async function getTicket(db: Db, scope: ProjectScope, ticketId: string): Promise<TicketDto> {
  const t = await loadTicket(db, scope, ticketId);
  return toTicketDto(t, { name: t.test.name, project: t.test.project.key });
}

type Fields = { status: string; owner: string | null; notes: string; links: TicketLink[] };

/** The fields whose value differs, as { before, after } holding only those. */
function diff(before: Fields, after: Fields): { before: Partial<Fields>; after: Partial<Fields> } {
  const b: Partial<Fields> = {};
  const a: Partial<Fields> = {};
  for (const k of ['status', 'owner', 'notes', 'links'] as const) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    Object.assign(b, { [k]: before[k] });
    Object.assign(a, { [k]: after[k] });
  }
  return { before: b, after: a };
}

function describe(b: Partial<Fields>, a: Partial<Fields>): string {
  const parts: string[] = [];
  if ('status' in a) parts.push(`status ${b.status} → ${a.status}`);
  if ('owner' in a) parts.push(a.owner ? `owner ${a.owner}` : 'owner cleared');
  if ('notes' in a) parts.push('notes edited');
  if ('links' in a) parts.push(`${a.links!.length} link${a.links!.length === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/**
 * Applies a patch to a ticket. `expectedUpdatedAt` is the ticket's `updatedAt` as the editor read
 * it: when the ticket changed since, nothing is written and a conflict says so. A patch that
 * changes nothing writes nothing (no event, no audit) and returns `changed: false`.
 */
export async function updateTicket(
  db: Db,
  actor: Actor,
  ticketId: string,
  patch: unknown,
  opts: { now?: Date; expectedUpdatedAt: unknown },
): Promise<{ ticket: TicketDto; changed: boolean }> {
  const now = opts.now ?? new Date();
  const p = ticketPatchSchema.safeParse(patch ?? {});
  const e = expectedUpdatedAtSchema.safeParse(opts.expectedUpdatedAt);
  if (!p.success || !e.success) throw invalid([...(p.success ? [] : zodIssues(p.error.issues)), ...(e.success ? [] : zodIssues(e.error.issues).map((i) => ({ ...i, field: 'expectedUpdatedAt' })))]);
  const t = await loadTicket(db, actor, ticketId);
  const stale = () => new ServiceError('conflict', `Someone else changed this ticket since you opened it (at ${t.updatedAt.toISOString()}); reload to see their edit, then apply yours.`, [{ field: 'expectedUpdatedAt', message: 'is stale' }]);
  if (t.updatedAt.getTime() !== e.data.getTime()) throw stale();
  const before: Fields = { status: t.status, owner: t.owner, notes: t.notes, links: storedLinks(t.links) };
  const after: Fields = {
    status: p.data.status ?? before.status,
    owner: p.data.owner === undefined ? before.owner : p.data.owner,
    notes: p.data.notes ?? before.notes,
    links: p.data.links ?? before.links,
  };
  const d = diff(before, after);
  const dto = (row: TicketRow) => toTicketDto(row, { name: t.test.name, project: t.test.project.key });
  if (!Object.keys(d.after).length) return { ticket: dto(t), changed: false };
  // updatedAt is the compare-and-set token: it must move even when two edits share a millisecond.
  const updatedAt = new Date(Math.max(now.getTime(), t.updatedAt.getTime() + 1));
  const reopening = isOpenTicketStatus(after.status) && !isOpenTicketStatus(before.status);
  return db.$transaction(async (tx) => {
    if (reopening) {
      // Reopening makes a second open ticket possible: take the test row's lock (as openTicket and
      // an auto-quarantine do) and look for another one first.
      await tx.$queryRaw`SELECT "id" FROM "tests" WHERE "id" = ${t.testId} FOR UPDATE`;
      const other = await tx.ticket.findFirst({ where: { testId: t.testId, id: { not: t.id }, status: { in: [...OPEN_TICKET_STATUSES] } }, select: { status: true } });
      if (other) throw new ServiceError('conflict', `${t.test.name} already has an ${other.status} ticket; edit that one instead of reopening this.`, [{ field: 'status', message: 'another ticket is open' }]);
    }
    const { count } = await tx.ticket.updateMany({ where: { id: t.id, updatedAt: t.updatedAt }, data: { ...after, links: after.links, updatedAt } });
    if (count !== 1) throw stale();
    const summary = describe(d.before, d.after);
    await tx.testEvent.create({ data: { testId: t.testId, at: now, kind: 'ticket', actorType: actorKind(actor), actorLabel: actor.label, reason: `Ticket: ${summary}.`, before: d.before, after: d.after } });
    await recordAudit(tx, actor, { at: now, action: 'ticket.update', targetType: 'ticket', targetId: t.id, summary: `Ticket for ${t.test.name} (${t.test.project.key}): ${summary}`, before: d.before, after: d.after });
    return { ticket: dto({ ...t, ...after, updatedAt }), changed: true };
  });
}

export const openTicketSchema = z.object({
  testId: z.string().uuid('is not a test id'),
  owner: safeString(200).pipe(z.string().trim()).nullish().transform((o) => o || null),
  notes: safeText(10_000).default(''),
});

/**
 * Opens a ticket by hand for a test with no open one (operator). The test row is locked for the
 * check and the insert, so two people opening one at once get one ticket and one conflict.
 */
export async function openTicket(db: Db, actor: Actor, raw: z.input<typeof openTicketSchema>, now = new Date()): Promise<TicketDto> {
  const p = openTicketSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const { testId, owner, notes } = p.data;
  const test = await db.testCase.findUnique({ where: { id: testId }, select: { name: true, project: { select: { key: true } } } });
  if (!test || !mayUseProject(actor, test.project.key)) throw new ServiceError('not_found', 'No such test.', [{ field: 'testId', message: 'not found' }]);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "tests" WHERE "id" = ${testId} FOR UPDATE`;
    const existing = await tx.ticket.findFirst({ where: { testId, status: { in: [...OPEN_TICKET_STATUSES] } }, select: { id: true, status: true } });
    if (existing) throw new ServiceError('conflict', `${test.name} already has an ${existing.status} ticket.`, [{ field: 'testId', message: 'has an open ticket' }]);
    const row = await tx.ticket.create({ data: { id: crypto.randomUUID(), testId, status: 'open', owner, notes, links: [], createdAt: now, updatedAt: now } });
    const after = { status: 'open', owner };
    await tx.testEvent.create({ data: { testId, at: now, kind: 'ticket', actorType: actorKind(actor), actorLabel: actor.label, reason: `Investigation ticket opened by hand${owner ? ` for ${owner}` : ''}.`, after } });
    await recordAudit(tx, actor, { at: now, action: 'ticket.open', targetType: 'ticket', targetId: row.id, summary: `Opened a ticket for ${test.name} (${test.project.key})${owner ? ` for ${owner}` : ''}`, after });
    return toTicketDto(row, { name: test.name, project: test.project.key });
  });
}
