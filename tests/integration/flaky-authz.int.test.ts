/**
 * The flaky-test API routes called by an attacker, in-process against a real database and real
 * sessions: anonymous, a viewer, wrong-scope / revoked / other-project tokens, forged
 * X-Forwarded-For, a foreign Origin riding on a cookie, oversize bodies and bad JSON. Exact statuses
 * and exact audit rows. Decision pinned here: a project, test or ticket the caller may not see is
 * 404 with the same body as one that does not exist (never 403, which would confirm it exists);
 * a refusal by role or scope (which does not depend on the target) is 403 and audited as denied.
 * The server actions are in flaky-authz-actions.int.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, peerHeaderValueForTests } from '@/lib/auth/peer-address';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { openTicket } from '@/lib/services/flaky/tickets';
import { bytes, junitXml } from '../support/junit-xml';
import { auditFacts, BASE, prepareEnv, send, type Handler, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const ingest = await import('@/app/api/v1/test-results/route');
const projects = await import('@/app/api/v1/projects/route');
const quarantineList = await import('@/app/api/v1/projects/[key]/quarantine/route');
const quarantine = await import('@/app/api/v1/tests/[testId]/quarantine/route');
const ticket = await import('@/app/api/v1/tickets/[ticketId]/route');
const openTicketRoute = await import('@/app/api/v1/tests/[testId]/ticket/route');

let x: Harness;
const ci: Actor = { type: 'token', id: 'seed', label: 'token:seed', scopes: ['ingest'], origin: null };
let alphaTest = '';
let alphaTicket = '';
let betaTest = '';
let betaTicket = '';
const xml = (name = 'fresh') => junitXml([{ name }]);

const peer = (a: string) => ({ [PEER_HEADER]: peerHeaderValueForTests(a) });
const bearer = (t: keyof Harness['tokens'], extra: Record<string, string> = {}) => ({ authorization: `Bearer ${x.tokens[t]}`, ...extra });
/** A cookie call as our own page makes it (same Origin, JSON), unless `extra` says otherwise. */
const cookie = (role: keyof Harness['users'], extra: Record<string, string> = {}) => ({ cookie: x.users[role].cookie, origin: BASE, 'content-type': 'application/json', ...extra });
const state = async () => ({
  tests: await x.h.db.testCase.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, version: true } }),
  tickets: await x.h.db.ticket.findMany({ orderBy: { id: 'asc' } }),
  projects: await x.h.db.project.count(),
  uploads: await x.h.db.testUpload.count(),
});

beforeAll(async () => {
  x = await startHarness();
  const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
  for (const key of ['alpha', 'beta']) await createProject(x.h.db, cli, { key, name: key });
  const up = (project: string, commit: string, cases: Parameters<typeof junitXml>[0]) =>
    ingestResults(x.h.db, ci, { project, meta: { commit, runId: commit }, files: [{ name: 'j.xml', chunks: chunksOf(bytes(junitXml(cases))) }] });
  await up('alpha', 'c1', [{ name: 'wobbly', attempts: ['fail', 'pass'] }]);
  alphaTest = (await up('alpha', 'c2', [{ name: 'wobbly', attempts: ['fail', 'pass'] }])).evaluation.quarantined[0]!;
  alphaTicket = (await x.h.db.ticket.findFirstOrThrow({ where: { testId: alphaTest } })).id;
  await up('beta', 'b1', [{ name: 'bsteady' }]);
  betaTest = (await x.h.db.testCase.findFirstOrThrow({ where: { name: 'bsteady' } })).id;
  betaTicket = (await openTicket(x.h.db, cli, { testId: betaTest })).id;
});
afterAll(async () => {
  await x?.close();
});
beforeEach(async () => {
  await x.h.db.auditEvent.deleteMany();
});

const patchBody = async (id = alphaTicket) => JSON.stringify({ expectedUpdatedAt: (await x.h.db.ticket.findUniqueOrThrow({ where: { id } })).updatedAt, notes: 'edited' });
/** The session-only mutations, each with a valid body and the least role it needs. */
const mutations = (): { name: string; handler: Handler; method: string; path: string; params: Record<string, string>; body: () => Promise<string>; role: 'operator' | 'admin'; limit: number }[] => [
  { name: 'projects.create', handler: projects.POST, method: 'POST', path: '/api/v1/projects', params: {}, body: async () => JSON.stringify({ key: 'gamma', name: 'G' }), role: 'admin', limit: 8 * 1024 },
  { name: 'test.quarantine', handler: quarantine.POST, method: 'POST', path: `/api/v1/tests/${betaTest}/quarantine`, params: { testId: betaTest }, body: async () => JSON.stringify({ reason: 'r' }), role: 'operator', limit: 8 * 1024 },
  { name: 'test.unquarantine', handler: quarantine.DELETE, method: 'DELETE', path: `/api/v1/tests/${alphaTest}/quarantine`, params: { testId: alphaTest }, body: async () => '{}', role: 'operator', limit: 8 * 1024 },
  { name: 'ticket.update', handler: ticket.PATCH, method: 'PATCH', path: `/api/v1/tickets/${alphaTicket}`, params: { ticketId: alphaTicket }, body: () => patchBody(), role: 'operator', limit: 64 * 1024 },
  { name: 'ticket.open', handler: openTicketRoute.POST, method: 'POST', path: `/api/v1/tests/${alphaTest}/ticket`, params: { testId: alphaTest }, body: async () => '{}', role: 'operator', limit: 64 * 1024 },
];
const ANON = { status: 401, error: { code: 'unauthenticated', message: 'Send "Authorization: Bearer <token>" or sign in.', details: [] } };

describe('session-only mutations (projects.create, quarantine, unquarantine, ticket edit and open)', () => {
  it('anonymous → 401; revoked token → 401; no audit row; nothing changes', async () => {
    const before = await state();
    for (const m of mutations()) {
      const anon = await send(m.handler, { ...m, headers: { 'content-type': 'application/json' }, body: await m.body() });
      expect({ status: anon.status, error: anon.body.error }, m.name).toEqual(ANON);
      expect((await send(m.handler, { ...m, headers: bearer('revoked'), body: await m.body() })).body.error?.message).toBe('This API token has been revoked.');
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('any token, whatever its scope → 403 "needs a signed-in user", one denied row each with the TCP peer as origin', async () => {
    const before = await state();
    for (const m of mutations()) for (const t of ['read', 'ingest'] as const) {
      const r = await send(m.handler, { ...m, headers: bearer(t, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.250', ...peer('198.51.100.7') }), body: await m.body() });
      expect([r.status, r.body.error?.message], m.name).toEqual([403, 'This endpoint needs a signed-in user.']);
    }
    expect(await auditFacts(x.h)).toEqual(mutations().flatMap((m) => ['read', 'ingest'].map((t) => ({ action: m.name, outcome: 'denied', actor: `token:${t}`, summary: `Refused: ${m.name} needs a signed-in user`, origin: '198.51.100.7', count: 1 }))));
    expect(await state()).toEqual(before);
  });

  it('a session below the role → 403 naming the role, audited with the user and the peer (not X-Forwarded-For)', async () => {
    const before = await state();
    const expected = [];
    for (const m of mutations()) for (const role of m.role === 'admin' ? (['viewer', 'operator'] as const) : (['viewer'] as const)) {
      const r = await send(m.handler, { ...m, headers: cookie(role, { 'x-forwarded-for': '10.9.9.9', ...peer('192.0.2.31') }), body: await m.body() });
      expect([r.status, r.body.error], `${m.name} as ${role}`).toEqual([403, { code: 'forbidden', message: `This endpoint needs the ${m.role} role.`, details: [] }]);
      expected.push({ action: m.name, outcome: 'denied', actor: x.users[role].email, summary: `Refused: ${m.name} needs the ${m.role} role`, origin: '192.0.2.31', count: 1 });
    }
    expect(await auditFacts(x.h)).toEqual(expected);
    expect(await state()).toEqual(before);
  });

  it('a foreign or missing Origin with an admin cookie → 403, a text/plain body → 415; no audit row, nothing changes', async () => {
    const before = await state();
    for (const m of mutations()) {
      const evil = await send(m.handler, { ...m, headers: cookie('admin', { origin: 'http://evil.example' }), body: await m.body() });
      expect([evil.status, evil.body.error?.message], m.name).toEqual([403, 'Cross-site request refused: Origin http://evil.example is not this site.']);
      const sibling = await send(m.handler, { ...m, headers: cookie('admin', { origin: 'http://steward.test.evil.example' }), body: await m.body() });
      expect(sibling.status, m.name).toBe(403);
      const { origin: _drop, ...noOrigin } = cookie('admin');
      expect((await send(m.handler, { ...m, headers: noOrigin, body: await m.body() })).status, m.name).toBe(403);
      const form = await send(m.handler, { ...m, headers: cookie('admin', { 'content-type': 'text/plain' }), body: await m.body() });
      expect([form.status, form.body.error?.code], m.name).toEqual([415, 'unsupported_media_type']);
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('bad JSON → 400 naming (body); an oversize body → 413 by Content-Length and by streamed bytes; nothing changes', async () => {
    const before = await state();
    for (const m of mutations()) {
      const bad = await send(m.handler, { ...m, headers: cookie('admin'), body: '{"reason": ' });
      expect([bad.status, bad.body.error?.details], m.name).toEqual([400, [{ field: '(body)', message: 'invalid JSON' }]]);
      const big = JSON.stringify({ notes: 'n'.repeat(m.limit), reason: 'r', key: 'k', name: 'n' });
      const declared = await send(m.handler, { ...m, headers: cookie('admin', { 'content-length': String(big.length) }), body: big });
      expect([declared.status, declared.body.error?.message], m.name).toEqual([413, `Request body is ${big.length} bytes; the limit is ${m.limit}.`]);
      const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes(big)), c.close()) });
      expect((await send(m.handler, { ...m, headers: cookie('admin'), body: stream })).status, m.name).toBe(413);
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });
});

describe('reads (projects, quarantine list, ticket)', () => {
  const reads = (): { name: string; handler: Handler; path: string; params: Record<string, string> }[] => [
    { name: 'projects.list', handler: projects.GET, path: '/api/v1/projects', params: {} },
    { name: 'tests.quarantine.list', handler: quarantineList.GET, path: '/api/v1/projects/alpha/quarantine', params: { key: 'alpha' } },
    { name: 'ticket.read', handler: ticket.GET, path: `/api/v1/tickets/${alphaTicket}`, params: { ticketId: alphaTicket } },
  ];

  it('anonymous / revoked → 401 unaudited; an ingest-only token → 403 audited; viewer and read token → 200', async () => {
    for (const r of reads()) {
      expect((await send(r.handler, { ...r, method: 'GET' })).status, r.name).toBe(401);
      expect((await send(r.handler, { ...r, method: 'GET', headers: bearer('revoked') })).status, r.name).toBe(401);
      const wrong = await send(r.handler, { ...r, method: 'GET', headers: bearer('ingest', peer('198.51.100.8')) });
      expect([wrong.status, wrong.body.error?.message], r.name).toEqual([403, 'This endpoint needs the "read" scope.']);
      expect((await send(r.handler, { ...r, method: 'GET', headers: { cookie: x.users.viewer.cookie } })).status, r.name).toBe(200);
      expect((await send(r.handler, { ...r, method: 'GET', headers: bearer('read') })).status, r.name).toBe(200);
    }
    expect(await auditFacts(x.h)).toEqual(reads().map((r) => ({ action: r.name, outcome: 'denied', actor: 'token:ingest', summary: `Refused: ${r.name} needs the "read" scope`, origin: '198.51.100.8', count: 1 })));
  });

  it('a token limited to beta: lists only beta; alpha\'s quarantine list and ticket are 404 exactly as for ones that do not exist', async () => {
    const list = await send(projects.GET, { method: 'GET', path: '/api/v1/projects', headers: bearer('readBeta') });
    expect((list.body.projects as { key: string }[]).map((p) => p.key)).toEqual(['beta']);
    const q = (key: string) => send(quarantineList.GET, { method: 'GET', path: `/api/v1/projects/${key}/quarantine`, params: { key }, headers: bearer('readBeta') });
    const [other, none] = [await q('alpha'), await q('zeta')];
    expect([other.status, other.body.error?.code, none.status]).toEqual([404, 'not_found', 404]);
    expect(other.body.error?.details).toEqual(none.body.error?.details);
    expect((await q('beta')).status).toBe(200);
    const t = (id: string) => send(ticket.GET, { method: 'GET', path: `/api/v1/tickets/${id}`, params: { ticketId: id }, headers: bearer('readBeta') });
    const [foreign, missing] = [await t(alphaTicket), await t(crypto.randomUUID())];
    expect(foreign).toEqual({ ...missing, text: missing.text });
    expect(foreign.body.error).toEqual({ code: 'not_found', message: 'No such ticket.', details: [{ field: 'ticketId', message: 'not found' }] });
    expect(((await t(betaTicket)).body.ticket as { project: string }).project).toBe('beta');
    expect(await auditFacts(x.h)).toEqual([]);
  });
});

describe('POST /api/v1/test-results', () => {
  const post = (headers: Record<string, string>, project = 'alpha', body: BodyInit = xml()) => send(ingest.POST, { method: 'POST', path: `/api/v1/test-results?project=${project}&commit=z&run_id=${crypto.randomUUID()}`, headers, body });

  it('anonymous / revoked → 401; read token → 403; sessions (even admin) → 403; all audited but the 401s; nothing stored', async () => {
    const before = await state();
    expect((await post({})).status).toBe(401);
    expect((await post(bearer('revoked'))).body.error?.message).toBe('This API token has been revoked.');
    expect((await post(bearer('read', peer('198.51.100.9')))).body.error?.message).toBe('This endpoint needs the "ingest" scope.');
    expect((await post(cookie('viewer', peer('192.0.2.41')))).body.error?.message).toBe('This endpoint needs the admin role.');
    const admin = await post(cookie('admin', peer('192.0.2.42')));
    expect([admin.status, admin.body.error?.message]).toEqual([403, 'This endpoint needs an API token with the "ingest" scope; in the browser, use Flaky tests → Upload.']);
    expect((await post(cookie('admin', { origin: 'http://evil.example' }))).status).toBe(403);
    expect(await auditFacts(x.h)).toEqual([
      { action: 'tests.ingest', outcome: 'denied', actor: 'token:read', summary: 'Refused: tests.ingest needs the "ingest" scope', origin: '198.51.100.9', count: 1 },
      { action: 'tests.ingest', outcome: 'denied', actor: x.users.viewer.email, summary: 'Refused: tests.ingest needs the admin role', origin: '192.0.2.41', count: 1 },
      { action: 'tests.ingest', outcome: 'denied', actor: x.users.admin.email, summary: 'Refused: tests.ingest needs an API token with the "ingest" scope', origin: '192.0.2.42', count: 1 },
    ]);
    expect(await state()).toEqual(before);
  });

  it('a token limited to alpha → 404 for beta (as for no such project), unaudited; its alpha upload is audited with the TCP peer, not X-Forwarded-For', async () => {
    const before = await state();
    const other = await post(bearer('ingestAlpha'), 'beta');
    const none = await post(bearer('ingestAlpha'), 'zeta');
    expect([other.status, other.body.error?.message, none.body.error?.message]).toEqual([404, 'No project "beta".', 'No project "zeta".']);
    expect(await state()).toEqual(before);
    const ok = await post(bearer('ingestAlpha', { 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.2', ...peer('198.51.100.10') }), 'alpha', xml('via-limited'));
    expect(ok.status).toBe(201);
    expect(await auditFacts(x.h)).toEqual([{ action: 'tests.ingest', outcome: 'ok', actor: 'token:ingest-alpha', summary: 'Stored 1 results file(s) for alpha: 1 tests, 0 failed, 0 flaky', origin: '198.51.100.10', count: 1 }]);
  });

  it('bad XML → 400 naming the file and line; a multipart body over the limit → 413 by Content-Length and by counted (chunked) bytes', async () => {
    const before = await state();
    const bad = await post(bearer('ingest'), 'alpha', '<testsuite><testcase name="x"></testsuite>');
    expect([bad.status, bad.body.error?.details?.[0]?.field]).toEqual([400, 'results.xml']);
    const huge = await post(bearer('ingest', { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(300 * 1024 * 1024) }), 'alpha', '--b--');
    expect([huge.status, huge.body.error?.code]).toEqual([413, 'too_large']);
    const { uploadRequest } = await import('@/lib/services/flaky/upload-request');
    const part = `--b\r\nContent-Disposition: form-data; name="f"; filename="j.xml"\r\nContent-Type: application/xml\r\n\r\n${'x'.repeat(5000)}\r\n--b--\r\n`;
    const chunked = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes(part)), c.close()) });
    const req = new Request(`${BASE}/api/v1/test-results?project=alpha`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: chunked, duplex: 'half' } as RequestInit);
    await expect(uploadRequest(req, { maxMultipartBytes: 1024 })).rejects.toMatchObject({ code: 'too_large' });
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
  });
});

describe('operators act, and the audit row names them and their TCP peer', () => {
  it('quarantine, edit the ticket (stale → 409, javascript: → 400 naming the field), unquarantine', async () => {
    const h = cookie('operator', { 'x-forwarded-for': '203.0.113.77', ...peer('192.0.2.60') });
    const q = await send(quarantine.POST, { method: 'POST', path: '', params: { testId: betaTest }, headers: h, body: JSON.stringify({ reason: 'noisy' }) });
    expect([q.status, q.body]).toEqual([200, { id: betaTest, status: 'quarantined' }]);
    const unknown = await send(quarantine.POST, { method: 'POST', path: '', params: { testId: crypto.randomUUID() }, headers: h, body: JSON.stringify({ reason: 'x' }) });
    expect([unknown.status, unknown.body.error?.message]).toEqual([404, 'No such test.']);
    const body = JSON.parse(await patchBody(betaTicket)) as Record<string, unknown>;
    const evil = await send(ticket.PATCH, { method: 'PATCH', path: '', params: { ticketId: betaTicket }, headers: h, body: JSON.stringify({ ...body, links: [{ label: 'x', url: 'javascript:alert(1)' }] }) });
    expect([evil.status, evil.body.error?.details]).toEqual([400, [{ field: 'links[0].url', message: 'must be an http:// or https:// URL' }]]);
    const ok = await send(ticket.PATCH, { method: 'PATCH', path: '', params: { ticketId: betaTicket }, headers: h, body: JSON.stringify({ ...body, status: 'investigating' }) });
    expect([ok.status, (ok.body.ticket as { status: string }).status, ok.body.changed]).toEqual([200, 'investigating', true]);
    const stale = await send(ticket.PATCH, { method: 'PATCH', path: '', params: { ticketId: betaTicket }, headers: h, body: JSON.stringify({ ...body, status: 'fixed' }) });
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'conflict']);
    const un = await send(quarantine.DELETE, { method: 'DELETE', path: '', params: { testId: betaTest }, headers: h, body: '{}' });
    expect(un.status).toBe(200);
    const op = x.users.operator.email;
    expect(await auditFacts(x.h)).toEqual([
      { action: 'test.quarantine', outcome: 'ok', actor: op, summary: 'Quarantined bsteady (beta): noisy', origin: '192.0.2.60', count: 1 },
      { action: 'ticket.update', outcome: 'ok', actor: op, summary: 'Ticket for bsteady (beta): status open → investigating; notes edited', origin: '192.0.2.60', count: 1 },
      { action: 'test.unquarantine', outcome: 'ok', actor: op, summary: 'Unquarantined bsteady (beta): Unquarantined.', origin: '192.0.2.60', count: 1 },
    ]);
  });
});
