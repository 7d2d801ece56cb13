// Investigation tickets against a real database (issue 9): edits with exact audit diffs and a
// timeline event, stale edits refused with nothing written, field-naming validation (no
// javascript:/data: links), project scope for limited tokens, and opening a ticket by hand.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { getTicket, openTicket, updateTicket } from '@/lib/services/flaky/tickets';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, serviceError, usingPostgres, NEEDS_POSTGRES, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:tickets', origin: 'cli' };
const ci: Actor = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null };
const op: Actor = { type: 'user', id: 'u-op', label: 'op@example.com', role: 'operator', origin: '192.0.2.10' };
const T0 = Date.parse('2026-05-01T00:00:00Z');
const DAY = 86_400_000;
let ticketId = '';
let testId = '';
let plainTestId = '';

const send = (project: string, at: number, commit: string, cases: CaseSpec[]) =>
  ingestResults(h.db, ci, { project, meta: { commit, branch: 'main', runId: commit }, files: [{ name: 'junit.xml', chunks: chunksOf(bytes(junitXml(cases))) }] }, { now: new Date(at) });
const snapshot = async () => ({
  ticket: await h.db.ticket.findUniqueOrThrow({ where: { id: ticketId } }),
  events: await h.db.testEvent.count({ where: { testId } }),
  audit: await h.db.auditEvent.count(),
});

beforeAll(async () => {
  h = await createTestDb();
  for (const key of ['alpha', 'beta']) await createProject(h.db, cli, { key, name: key }, new Date(T0));
  await send('alpha', T0 + DAY, 'c1', [{ name: 'wobbly', attempts: ['fail', 'pass'] }, { name: 'steady' }]);
  const r = await send('alpha', T0 + 2 * DAY, 'c2', [{ name: 'wobbly', attempts: ['fail', 'pass'] }, { name: 'steady' }]);
  testId = r.evaluation.quarantined[0]!;
  ticketId = (await h.db.ticket.findFirstOrThrow({ where: { testId } })).id;
  plainTestId = (await h.db.testCase.findFirstOrThrow({ where: { name: 'steady' } })).id;
});
afterAll(async () => {
  await h?.close();
});

describe('updateTicket', () => {
  it('applies a patch: one timeline event and one audit row holding only the changed fields', async () => {
    const read = await getTicket(h.db, 'all', ticketId);
    expect(read).toMatchObject({ status: 'open', owner: null, notes: '', links: [], testName: 'wobbly', project: 'alpha' });
    const now = new Date(T0 + 3 * DAY);
    const r = await updateTicket(h.db, op, ticketId, { status: 'investigating', owner: ' @team-net ', notes: 'DNS flake?', links: [{ label: 'CI run', url: 'https://ci.example.com/run/1' }] }, { now, expectedUpdatedAt: read.updatedAt });
    expect(r.changed).toBe(true);
    expect(r.ticket).toMatchObject({ status: 'investigating', owner: '@team-net', notes: 'DNS flake?', links: [{ label: 'CI run', url: 'https://ci.example.com/run/1' }], updatedAt: now.toISOString() });
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'ticket.update', targetId: ticketId }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({
      actorType: 'user', actorLabel: 'op@example.com', origin: '192.0.2.10', outcome: 'ok', targetType: 'ticket',
      summary: 'Ticket for wobbly (alpha): status open → investigating; owner @team-net; notes edited; 1 link',
      before: { status: 'open', owner: null, notes: '', links: [] },
      after: { status: 'investigating', owner: '@team-net', notes: 'DNS flake?', links: [{ label: 'CI run', url: 'https://ci.example.com/run/1' }] },
    });
    const ev = await h.db.testEvent.findFirstOrThrow({ where: { testId, kind: 'ticket' }, orderBy: { id: 'desc' } });
    expect(ev).toMatchObject({ actorType: 'user', actorLabel: 'op@example.com', reason: 'Ticket: status open → investigating; owner @team-net; notes edited; 1 link.' });

    // A second edit records only what it changes.
    const r2 = await updateTicket(h.db, op, ticketId, { status: 'fixed', owner: '@team-net', notes: 'DNS flake?' }, { now: new Date(T0 + 4 * DAY), expectedUpdatedAt: r.ticket.updatedAt });
    const audit2 = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'ticket.update', targetId: ticketId }, orderBy: { id: 'desc' } });
    expect([audit2.before, audit2.after, audit2.summary]).toEqual([{ status: 'investigating' }, { status: 'fixed' }, 'Ticket for wobbly (alpha): status investigating → fixed']);
    expect(r2.ticket.status).toBe('fixed');
  });

  it('a patch that changes nothing writes nothing', async () => {
    const read = await getTicket(h.db, 'all', ticketId);
    const before = await snapshot();
    const r = await updateTicket(h.db, op, ticketId, { status: read.status, links: read.links }, { now: new Date(T0 + 5 * DAY), expectedUpdatedAt: read.updatedAt });
    expect(r).toEqual({ ticket: read, changed: false });
    expect(await snapshot()).toEqual(before);
  });

  it('a stale edit is a conflict naming expectedUpdatedAt; nothing is written', async () => {
    const read = await getTicket(h.db, 'all', ticketId);
    await updateTicket(h.db, op, ticketId, { notes: 'first editor' }, { now: new Date(T0 + 6 * DAY), expectedUpdatedAt: read.updatedAt });
    const before = await snapshot();
    const e = await serviceError(() => updateTicket(h.db, op, ticketId, { notes: 'second editor' }, { now: new Date(T0 + 6 * DAY), expectedUpdatedAt: read.updatedAt }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^Someone else changed this ticket since you opened it/);
    expect(e.details).toEqual([{ field: 'expectedUpdatedAt', message: 'is stale' }]);
    expect(await snapshot()).toEqual(before);
    expect(before.ticket.notes).toBe('first editor');
  });

  it('two edits in the same millisecond: the second still sees the first as a change (updatedAt moves)', async () => {
    const read = await getTicket(h.db, 'all', ticketId);
    const now = new Date(read.updatedAt);
    const a = await updateTicket(h.db, op, ticketId, { notes: 'same ms 1' }, { now, expectedUpdatedAt: read.updatedAt });
    expect(a.ticket.updatedAt).toBe(new Date(now.getTime() + 1).toISOString());
    expect((await serviceError(() => updateTicket(h.db, op, ticketId, { notes: 'same ms 2' }, { now, expectedUpdatedAt: read.updatedAt }))).code).toBe('conflict');
  });

  it('two concurrent edits from the same read: exactly one wins', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const read = await getTicket(h.db, 'all', ticketId);
    const results = await Promise.allSettled(['x', 'y'].map((n) => updateTicket(h.db, op, ticketId, { notes: n }, { now: new Date(T0 + 7 * DAY), expectedUpdatedAt: read.updatedAt })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await h.db.auditEvent.count({ where: { action: 'ticket.update', targetId: ticketId, at: new Date(T0 + 7 * DAY) } })).toBe(1);
  });

  it.each([
    [{ links: [{ label: 'x', url: 'javascript:alert(1)' }] }, 'links[0].url', 'must be an http:// or https:// URL'],
    [{ links: [{ label: 'ok', url: 'https://a.example' }, { label: 'x', url: 'data:text/html,<script>alert(1)</script>' }] }, 'links[1].url', 'must be an http:// or https:// URL'],
    [{ links: [{ label: 'x', url: ' JavaScript:alert(1)' }] }, 'links[0].url', 'must be an http:// or https:// URL'],
    [{ links: [{ label: 'x', url: 'not a url' }] }, 'links[0].url', 'must be an http:// or https:// URL'],
    [{ links: [{ label: 'x', url: `https://a.example/${'p'.repeat(2000)}` }] }, 'links[0].url', expect.stringMatching(/2000/)],
    [{ links: [{ label: 'l'.repeat(201), url: 'https://a.example' }] }, 'links[0].label', expect.stringMatching(/200/)],
    [{ links: Array.from({ length: 21 }, (_, i) => ({ label: `l${i}`, url: `https://a.example/${i}` })) }, 'links', 'at most 20 links'],
    [{ owner: 'o'.repeat(201) }, 'owner', expect.stringMatching(/200/)],
    [{ owner: 'a\nb' }, 'owner', 'must not contain control characters'],
    [{ notes: 'n'.repeat(10_001) }, 'notes', expect.stringMatching(/10000/)],
    [{ notes: 'nul\u0000' }, 'notes', 'must not contain control characters'],
    [{ status: 'closed' }, 'status', 'must be one of open, investigating, fixed, wontfix'],
  ])('refuses %j naming %s; nothing is written', async (patch, field, message) => {
    const read = await getTicket(h.db, 'all', ticketId);
    const before = await snapshot();
    const e = await serviceError(() => updateTicket(h.db, op, ticketId, patch, { now: new Date(T0 + 8 * DAY), expectedUpdatedAt: read.updatedAt }));
    expect(e.code).toBe('invalid');
    expect(e.details).toEqual([{ field, message }]);
    expect(await snapshot()).toEqual(before);
  });

  it('a missing or unreadable expectedUpdatedAt is invalid, naming it', async () => {
    for (const expectedUpdatedAt of [undefined, 'yesterday']) {
      const e = await serviceError(() => updateTicket(h.db, op, ticketId, { notes: 'x' }, { expectedUpdatedAt }));
      expect([e.code, e.details?.map((d) => d.field)]).toEqual(['invalid', ['expectedUpdatedAt']]);
    }
  });

  it('a token limited to another project, an unknown id and a non-uuid all get the same not_found', async () => {
    const read = await getTicket(h.db, 'all', ticketId);
    const betaOnly: Actor = { type: 'token', id: 't2', label: 'token:beta', scopes: ['read'], projects: ['beta'], origin: null };
    const alphaOnly: Actor = { ...betaOnly, label: 'token:alpha', projects: ['alpha'] };
    const before = await snapshot();
    for (const [actor, id] of [[betaOnly, ticketId], [op, crypto.randomUUID()], [op, 'nope']] as const) {
      const e = await serviceError(() => updateTicket(h.db, actor, id, { notes: 'probe' }, { expectedUpdatedAt: read.updatedAt }));
      expect([e.code, e.message, e.details]).toEqual(['not_found', 'No such ticket.', [{ field: 'ticketId', message: 'not found' }]]);
      expect((await serviceError(() => getTicket(h.db, actor, id))).code).toBe('not_found');
    }
    expect(await snapshot()).toEqual(before);
    expect((await getTicket(h.db, alphaOnly, ticketId)).id).toBe(ticketId);
  });
});

describe('openTicket', () => {
  it('opens one for a test without an open ticket; a second is a conflict; after it is fixed another may be opened', async () => {
    const t = await openTicket(h.db, op, { testId: plainTestId, owner: '@web', notes: 'watch it' }, new Date(T0 + 9 * DAY));
    expect(t).toMatchObject({ testId: plainTestId, status: 'open', owner: '@web', notes: 'watch it', links: [] });
    expect(await h.db.auditEvent.findFirstOrThrow({ where: { action: 'ticket.open', targetId: t.id } })).toMatchObject({ actorLabel: 'op@example.com', summary: 'Opened a ticket for steady (alpha) for @web', after: { status: 'open', owner: '@web' } });
    expect(await h.db.testEvent.findFirstOrThrow({ where: { testId: plainTestId, kind: 'ticket' } })).toMatchObject({ reason: 'Investigation ticket opened by hand for @web.' });
    const e = await serviceError(() => openTicket(h.db, op, { testId: plainTestId }));
    expect([e.code, e.message]).toEqual(['conflict', 'steady already has an open ticket.']);
    await updateTicket(h.db, op, t.id, { status: 'wontfix' }, { expectedUpdatedAt: t.updatedAt, now: new Date(T0 + 10 * DAY) });
    const again = await openTicket(h.db, op, { testId: plainTestId }, new Date(T0 + 11 * DAY));
    expect(again).toMatchObject({ status: 'open', owner: null });
    expect(await h.db.ticket.count({ where: { testId: plainTestId } })).toBe(2);
  });

  it('two people opening one at once: one ticket, one conflict', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const other = (await send('alpha', T0 + 12 * DAY, 'c9', [{ name: 'lonely' }])).uploads[0]!.id;
    const lonely = (await h.db.testResult.findFirstOrThrow({ where: { uploadId: other } })).testId;
    const r = await Promise.allSettled([openTicket(h.db, op, { testId: lonely }), openTicket(h.db, op, { testId: lonely })]);
    expect(r.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await h.db.ticket.count({ where: { testId: lonely } })).toBe(1);
  });

  it('a token limited to another project cannot open one (not_found); a bad test id is invalid', async () => {
    const betaOnly: Actor = { type: 'token', id: 't2', label: 'token:beta', scopes: ['ingest'], projects: ['beta'], origin: null };
    expect((await serviceError(() => openTicket(h.db, betaOnly, { testId }))).code).toBe('not_found');
    expect((await serviceError(() => openTicket(h.db, op, { testId: 'x' }))).details).toEqual([{ field: 'testId', message: 'is not a test id' }]);
  });
});

describe('one open ticket per test', () => {
  const flakes = (name: string): CaseSpec[] => [{ name, attempts: ['fail', 'pass'] }];
  const openCount = (id: string) => h.db.ticket.count({ where: { testId: id, status: { in: ['open', 'investigating'] } } });

  it('a ticket opened by hand is kept when the test is then auto-quarantined: no second ticket, the quarantine still happens', async () => {
    const first = await send('beta', T0 + 30 * DAY, 'h1', [{ name: 'handheld' }]);
    const id = (await h.db.testResult.findFirstOrThrow({ where: { uploadId: first.uploads[0]!.id } })).testId;
    const hand = await openTicket(h.db, op, { testId: id, owner: '@qa' }, new Date(T0 + 30 * DAY + 1000));
    await send('beta', T0 + 31 * DAY, 'h2', flakes('handheld'));
    const r = await send('beta', T0 + 32 * DAY, 'h3', flakes('handheld'));
    expect(r.evaluation.quarantined).toEqual([id]);
    expect((await h.db.ticket.findMany({ where: { testId: id }, select: { id: true, status: true, owner: true } }))).toEqual([{ id: hand.id, status: 'open', owner: '@qa' }]);
  });

  it('reopening a closed ticket while another is open is a conflict naming status; nothing is written', async () => {
    const first = await send('beta', T0 + 40 * DAY, 'r1', [{ name: 'reopened' }]);
    const id = (await h.db.testResult.findFirstOrThrow({ where: { uploadId: first.uploads[0]!.id } })).testId;
    const old = await openTicket(h.db, op, { testId: id }, new Date(T0 + 40 * DAY + 1));
    const closed = (await updateTicket(h.db, op, old.id, { status: 'fixed' }, { expectedUpdatedAt: old.updatedAt, now: new Date(T0 + 40 * DAY + 2) })).ticket;
    await openTicket(h.db, op, { testId: id }, new Date(T0 + 40 * DAY + 3));
    const audit = await h.db.auditEvent.count();
    const e = await serviceError(() => updateTicket(h.db, op, old.id, { status: 'investigating' }, { expectedUpdatedAt: closed.updatedAt, now: new Date(T0 + 40 * DAY + 4) }));
    expect([e.code, e.details]).toEqual(['conflict', [{ field: 'status', message: 'another ticket is open' }]]);
    expect((await h.db.ticket.findUniqueOrThrow({ where: { id: old.id } })).status).toBe('fixed');
    expect([await openCount(id), await h.db.auditEvent.count()]).toEqual([1, audit]);
  });

  it('the database refuses a second open ticket however it is written (partial unique index)', async () => {
    const row = await h.db.ticket.findFirstOrThrow({ where: { status: 'open' } });
    const now = new Date();
    await expect(h.db.ticket.create({ data: { id: crypto.randomUUID(), testId: row.testId, status: 'investigating', notes: '', links: [], createdAt: now, updatedAt: now } })).rejects.toThrow(/Unique constraint|tickets_one_open_per_test|duplicate key/);
    await h.db.ticket.create({ data: { id: crypto.randomUUID(), testId: row.testId, status: 'fixed', notes: '', links: [], createdAt: now, updatedAt: now } });
  });

  it('a hand-opened ticket racing an auto-quarantine, 12 times: always exactly one open ticket', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    for (let i = 0; i < 12; i++) {
      const name = `race-${i}`;
      const at = T0 + (50 + 3 * i) * DAY;
      const first = await send('beta', at, `q${i}a`, [{ name }]);
      const id = (await h.db.testResult.findFirstOrThrow({ where: { uploadId: first.uploads[0]!.id } })).testId;
      await send('beta', at + DAY, `q${i}b`, flakes(name));
      const [auto, hand] = await Promise.allSettled([send('beta', at + 2 * DAY, `q${i}c`, flakes(name)), openTicket(h.db, op, { testId: id }, new Date(at + 2 * DAY))]);
      expect(auto.status).toBe('fulfilled');
      if (hand.status === 'rejected') expect((hand.reason as { code?: string }).code).toBe('conflict');
      expect((await h.db.testCase.findUniqueOrThrow({ where: { id } })).status).toBe('quarantined');
      expect(await openCount(id)).toBe(1);
    }
  });
});
