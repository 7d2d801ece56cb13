/**
 * The flaky-test server actions called by an attacker (the routes are in flaky-authz.int.test.ts):
 * no session, a viewer (and an operator on admin actions), a foreign Origin riding on a cookie,
 * forged X-Forwarded-For. Exact results and exact audit rows; nothing changes on a refusal.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, peerHeaderValueForTests } from '@/lib/auth/peer-address';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { bytes, junitXml } from '../support/junit-xml';
import { auditFacts, BASE, prepareEnv, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const actions = await import('@/lib/actions/flaky');

let x: Harness;
let testId = '';
let ticketId = '';
let uploadId = '';
const as = (role: keyof Harness['users'] | null, extra: Record<string, string> = {}) => {
  requestHeaders.current = new Headers({ ...(role ? { cookie: x.users[role].cookie } : {}), origin: BASE, ...extra });
};
const peer = (a: string) => ({ [PEER_HEADER]: peerHeaderValueForTests(a) });
const state = async () => ({
  tests: await x.h.db.testCase.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, pinned: true, version: true } }),
  tickets: await x.h.db.ticket.findMany({ orderBy: { id: 'asc' } }),
  projects: await x.h.db.project.findMany({ orderBy: { key: 'asc' }, select: { key: true, policy: true, codeowners: true } }),
  uploads: await x.h.db.testUpload.findMany({ orderBy: { id: 'asc' }, omit: { raw: true } }),
  results: await x.h.db.testResult.count(),
});

beforeAll(async () => {
  x = await startHarness();
  const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
  await createProject(x.h.db, cli, { key: 'alpha', name: 'alpha' });
  const ci: Actor = { type: 'token', id: 't', label: 'token:seed', scopes: ['ingest'], origin: null };
  for (const c of ['c1', 'c2']) {
    const r = await ingestResults(x.h.db, ci, { project: 'alpha', meta: { commit: c, runId: c }, files: [{ name: 'j.xml', chunks: chunksOf(bytes(junitXml([{ name: 'wobbly', attempts: ['fail', 'pass'] }, { name: 'steady' }]))) }] });
    testId = r.evaluation.quarantined[0] ?? testId;
    uploadId = r.uploads[0]!.id;
  }
  ticketId = (await x.h.db.ticket.findFirstOrThrow({ where: { testId } })).id;
});
afterAll(async () => {
  await x?.close();
});
beforeEach(async () => {
  requestHeaders.current = new Headers();
  await x.h.db.auditEvent.deleteMany();
});

const file = () => new File([junitXml([{ name: 'from-browser' }])], 'junit.xml');
/** Each flaky action with a valid input and the least role it needs. */
const calls = async () => {
  const updatedAt = (await x.h.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).updatedAt.toISOString();
  return [
    { name: 'project.create', role: 'admin', run: () => actions.createProjectAction({ key: 'gamma', name: 'G' }) },
    { name: 'project.update', role: 'admin', run: () => actions.updateProjectSettingsAction({ key: 'alpha', codeowners: '* @x', policy: {} }) },
    { name: 'tests.ingest', role: 'operator', run: () => actions.uploadResultsAction({ project: 'alpha', meta: {}, files: [file()] }) },
    { name: 'test.quarantine', role: 'operator', run: () => actions.quarantineAction({ testId, reason: 'r' }) },
    { name: 'test.unquarantine', role: 'operator', run: () => actions.unquarantineAction({ testId, note: '' }) },
    { name: 'test.pin', role: 'operator', run: () => actions.pinAction({ testId, pinned: true, note: '' }) },
    { name: 'ticket.update', role: 'operator', run: () => actions.updateTicketAction({ ticketId, expectedUpdatedAt: updatedAt, status: 'fixed' }) },
    { name: 'ticket.open', role: 'operator', run: () => actions.openTicketAction({ testId, notes: '' }) },
    { name: 'tests.reparse', role: 'admin', run: () => actions.reparseUploadAction({ uploadId }) },
  ] as const;
};

describe('flaky server actions', () => {
  it('no session (or a forged cookie) → unauthenticated, unaudited; nothing changes', async () => {
    const before = await state();
    for (const c of await calls()) {
      as(null);
      expect(await c.run(), c.name).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
      as(null, { cookie: 'better-auth.session_token=forged.sig' });
      expect((await c.run()).ok, c.name).toBe(false);
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('below the role → forbidden, one denied row each naming both roles, the origin is the TCP peer; nothing changes', async () => {
    const before = await state();
    const expected = [];
    for (const c of await calls()) for (const role of c.role === 'admin' ? (['viewer', 'operator'] as const) : (['viewer'] as const)) {
      as(role, { 'x-forwarded-for': '203.0.113.5', ...peer('192.0.2.70') });
      expect(await c.run(), `${c.name} as ${role}`).toEqual({ ok: false, error: { code: 'forbidden', message: `This needs the ${c.role} role.` } });
      expected.push({ action: c.name, outcome: 'denied', actor: x.users[role].email, summary: `Refused: ${c.name} needs the ${c.role} role; ${x.users[role].email} is ${role}`, origin: '192.0.2.70', count: 1 });
    }
    expect(await auditFacts(x.h)).toEqual(expected);
    expect(await state()).toEqual(before);
  });

  it('a foreign Origin with an admin cookie → forbidden before anything runs; unaudited; nothing changes', async () => {
    const before = await state();
    for (const c of await calls()) for (const origin of ['http://evil.example', 'null', 'http://steward.test.evil.example']) {
      as('admin', { origin });
      expect(await c.run(), `${c.name} from ${origin}`).toEqual({ ok: false, error: { code: 'forbidden', message: `Cross-site request refused: Origin ${origin} is not this site.` } });
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('an operator\'s edit is audited with the TCP peer, not X-Forwarded-For; invalid input names the field', async () => {
    as('operator', { 'x-forwarded-for': '203.0.113.9', ...peer('192.0.2.71') });
    const updatedAt = (await x.h.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).updatedAt.toISOString();
    expect(await actions.updateTicketAction({ ticketId, expectedUpdatedAt: updatedAt, links: [{ label: 'x', url: 'data:text/html,hi' }] })).toEqual({
      ok: false, error: { code: 'invalid', message: 'links[0].url: must be an http:// or https:// URL', details: [{ field: 'links[0].url', message: 'must be an http:// or https:// URL' }] },
    });
    const r = await actions.updateTicketAction({ ticketId, expectedUpdatedAt: updatedAt, owner: '@web' });
    expect(r).toMatchObject({ ok: true, data: { changed: true } });
    expect(await actions.updateTicketAction({ ticketId, expectedUpdatedAt: updatedAt, owner: '@other' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await auditFacts(x.h)).toEqual([{ action: 'ticket.update', outcome: 'ok', actor: x.users.operator.email, summary: 'Ticket for wobbly (alpha): owner @web', origin: '192.0.2.71', count: 1 }]);
  });
});
