/**
 * The perf API routes called by an attacker, in-process against a real database and real sessions
 * (as flaky-authz.int.test.ts does for the flaky routes, with the same decisions): anonymous, a
 * viewer, an operator or admin session on the token-only ingest, wrong-scope / revoked / suspended /
 * other-project tokens, forged X-Forwarded-For and a forged peer header, a foreign Origin riding on a
 * cookie, oversize bodies, bad JSON and a hostile perf file. Exact statuses and exact audit rows;
 * nothing in the perf tables changes on a refused call. A project or run the caller may not see is
 * 404 with the same body as one that does not exist. The server actions are in
 * perf-authz-actions.int.test.ts.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, peerHeaderValueForTests } from '@/lib/auth/peer-address';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { MAX_PERF_BODY_BYTES } from '@/lib/services/perf/run-input';
import { createToken } from '@/lib/services/tokens';
import { createUser, updateUser } from '@/lib/services/users';
import { auditFacts, BASE, prepareEnv, send, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const results = await import('@/app/api/v1/perf-results/route');
const runs = await import('@/app/api/v1/perf-runs/[id]/route');

let x: Harness;
let suspended = '';
let limited = '';
let alphaRun = '';
let betaRun = '';
const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
const seed = (v: number) => JSON.stringify({ verify_p95_ms: v });
const body = (project = 'alpha', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ project, profile: 'main', branch: 'main', ciRunId: crypto.randomUUID(), testbed: { runner: 'gha' }, files: [{ name: 'perf.json', content: seed(6) }], ...extra });

const peer = (a: string) => ({ [PEER_HEADER]: peerHeaderValueForTests(a) });
const bearer = (t: keyof Harness['tokens'] | 'suspended' | 'limited', extra: Record<string, string> = {}) => ({ authorization: `Bearer ${t === 'suspended' ? suspended : t === 'limited' ? limited : x.tokens[t]}`, 'content-type': 'application/json', ...extra });
const cookie = (role: keyof Harness['users'], extra: Record<string, string> = {}) => ({ cookie: x.users[role].cookie, origin: BASE, 'content-type': 'application/json', ...extra });
const post = (headers: Record<string, string>, b: BodyInit = body()) => send(results.POST, { method: 'POST', path: '/api/v1/perf-results', headers, body: b });
const getRun = (id: string, headers: Record<string, string> = {}) => send(runs.GET, { method: 'GET', path: `/api/v1/perf-runs/${id}`, params: { id }, headers });

/** Every perf table, whole (rows, not counts: an update would not change a count). */
const state = async () => ({
  runs: await x.h.db.perfRun.findMany({ orderBy: { id: 'asc' } }),
  results: await x.h.db.perfResult.findMany({ orderBy: [{ runId: 'asc' }, { metricId: 'asc' }] }),
  metrics: await x.h.db.perfMetric.findMany({ orderBy: { id: 'asc' } }),
  testbeds: await x.h.db.perfTestbed.findMany({ orderBy: { id: 'asc' } }),
  baselines: await x.h.db.perfBaseline.count(),
  regressions: await x.h.db.perfRegression.findMany({ orderBy: { id: 'asc' } }),
  budgets: await x.h.db.perfBudget.count(),
  notifications: await x.h.db.notificationDelivery.count(),
});

beforeAll(async () => {
  x = await startHarness();
  for (const key of ['alpha', 'beta']) await createProject(x.h.db, cli, { key, name: key });
  const ci: Actor = { type: 'token', id: 'seed', label: 'token:seed', scopes: ['ingest'], origin: null };
  alphaRun = (await ingestPerfRun(x.h.db, ci, { project: 'alpha', profile: 'main', branch: 'main', ciRunId: 'a1', files: [{ name: 'p.json', content: seed(6) }] })).id;
  betaRun = (await ingestPerfRun(x.h.db, ci, { project: 'beta', profile: 'main', branch: 'main', ciRunId: 'b1', files: [{ name: 'p.json', content: seed(7) }] })).id;
  // A token whose owner is disabled: suspended, whatever its scopes (lib/services/tokens.ts).
  const owner = await createUser(x.h.db, cli, { email: 'owner@authz.test', name: 'owner', password: 'owner-password-1', role: 'admin' });
  const ownerActor: Actor = { type: 'user', id: owner.id, label: owner.email, role: 'admin' };
  suspended = (await createToken(x.h.db, ownerActor, { name: 'suspended', scopes: ['ingest', 'read'] })).secret;
  await updateUser(x.h.db, cli, { userId: owner.id, disabled: true });
  // A token whose owner was demoted to viewer: it keeps "read" but not "ingest" (lib/engine/token-scopes.ts).
  const demoted = await createUser(x.h.db, cli, { email: 'demoted@authz.test', name: 'demoted', password: 'demoted-password-1', role: 'admin' });
  limited = (await createToken(x.h.db, { type: 'user', id: demoted.id, label: demoted.email, role: 'admin' }, { name: 'demoted-ci', scopes: ['ingest', 'read'] })).secret;
  await updateUser(x.h.db, cli, { userId: demoted.id, role: 'viewer' });
});
afterAll(async () => {
  await x?.close();
});
beforeEach(async () => {
  await x.h.db.auditEvent.deleteMany();
});

const ANON = { code: 'unauthenticated', message: 'Send "Authorization: Bearer <token>" or sign in.', details: [] };

describe('POST /api/v1/perf-results', () => {
  it('anonymous, revoked, suspended, malformed Authorization → 401, unaudited; nothing stored', async () => {
    const before = await state();
    const anon = await post({ 'content-type': 'application/json' });
    expect([anon.status, anon.body.error]).toEqual([401, ANON]);
    const revoked = await post(bearer('revoked'));
    expect([revoked.status, revoked.body.error?.message]).toEqual([401, 'This API token has been revoked.']);
    const susp = await post(bearer('suspended'));
    expect([susp.status, susp.body.error?.message]).toEqual([401, 'This API token is suspended: owner disabled.']);
    const forged = await post(bearer('ingest', { authorization: `Bearer ${x.tokens.ingest}x` }));
    expect(forged.status).toBe(401);
    const basic = await post({ authorization: 'Basic YTpi', 'content-type': 'application/json' });
    expect([basic.status, basic.body.error?.message]).toEqual([401, 'Authorization header must be "Bearer <token>".']);
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('a read token → 403 by scope; viewer and operator sessions → 403 by role; an admin session → 403 (token only); each audited with the TCP peer, not X-Forwarded-For', async () => {
    const before = await state();
    const xff = { 'x-forwarded-for': '203.0.113.250', 'x-real-ip': '203.0.113.251' };
    const read = await post(bearer('read', { ...xff, ...peer('198.51.100.20') }));
    expect([read.status, read.body.error]).toEqual([403, { code: 'forbidden', message: 'This endpoint needs the "ingest" scope.', details: [] }]);
    const readBeta = await post(bearer('readBeta', { ...xff, ...peer('198.51.100.21') }), body('beta'));
    expect([readBeta.status, readBeta.body.error?.message]).toEqual([403, 'This endpoint needs the "ingest" scope.']);
    for (const role of ['viewer', 'operator'] as const) {
      const r = await post(cookie(role, { ...xff, ...peer('192.0.2.20') }));
      expect([r.status, r.body.error?.message], role).toEqual([403, 'This endpoint needs the admin role.']);
    }
    const admin = await post(cookie('admin', { ...xff, ...peer('192.0.2.21') }));
    expect([admin.status, admin.body.error]).toEqual([403, { code: 'forbidden', message: 'This endpoint needs an API token with the "ingest" scope.', details: [] }]);
    expect(await auditFacts(x.h)).toEqual([
      { action: 'perf.ingest', outcome: 'denied', actor: 'token:read', summary: 'Refused: perf.ingest needs the "ingest" scope', origin: '198.51.100.20', count: 1 },
      { action: 'perf.ingest', outcome: 'denied', actor: 'token:read-beta', summary: 'Refused: perf.ingest needs the "ingest" scope', origin: '198.51.100.21', count: 1 },
      { action: 'perf.ingest', outcome: 'denied', actor: x.users.viewer.email, summary: 'Refused: perf.ingest needs the admin role', origin: '192.0.2.20', count: 1 },
      { action: 'perf.ingest', outcome: 'denied', actor: x.users.operator.email, summary: 'Refused: perf.ingest needs the admin role', origin: '192.0.2.20', count: 1 },
      { action: 'perf.ingest', outcome: 'denied', actor: x.users.admin.email, summary: 'Refused: perf.ingest needs an API token with the "ingest" scope', origin: '192.0.2.21', count: 1 },
    ]);
    expect(await state()).toEqual(before);
  });

  it('a token whose owner was demoted to viewer keeps read, loses ingest: 403 audited; it still reads a run', async () => {
    const before = await state();
    const r = await post(bearer('limited', peer('198.51.100.23')));
    expect([r.status, r.body.error?.message]).toEqual([403, 'This endpoint needs the "ingest" scope.']);
    expect((await getRun(alphaRun, bearer('limited'))).status).toBe(200);
    expect(await auditFacts(x.h)).toEqual([{ action: 'perf.ingest', outcome: 'denied', actor: 'token:demoted-ci', summary: 'Refused: perf.ingest needs the "ingest" scope', origin: '198.51.100.23', count: 1 }]);
    expect(await state()).toEqual(before);
  });

  it('a foreign, sibling or missing Origin on an admin cookie → 403; a text/plain body → 415; unaudited; nothing stored', async () => {
    const before = await state();
    const evil = await post(cookie('admin', { origin: 'http://evil.example' }));
    expect([evil.status, evil.body.error?.message]).toEqual([403, 'Cross-site request refused: Origin http://evil.example is not this site.']);
    expect((await post(cookie('admin', { origin: 'http://steward.test.evil.example' }))).status).toBe(403);
    expect((await post(cookie('admin', { origin: 'null' }))).status).toBe(403);
    const { origin: _drop, ...noOrigin } = cookie('admin');
    const none = await post(noOrigin);
    expect([none.status, none.body.error?.message]).toEqual([403, 'Cross-site request refused: a signed-in request that changes something must carry this site\'s Origin header.']);
    const form = await post(cookie('admin', { 'content-type': 'text/plain' }));
    expect([form.status, form.body.error?.code]).toEqual([415, 'unsupported_media_type']);
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('a token limited to alpha → 404 for beta exactly as for a project that does not exist, unaudited; its alpha run is audited with the TCP peer', async () => {
    const before = await state();
    const other = await post(bearer('ingestAlpha'), body('beta'));
    const none = await post(bearer('ingestAlpha'), body('zeta'));
    expect([other.status, other.body.error]).toEqual([404, { code: 'not_found', message: 'No project "beta".', details: [{ field: 'project', message: 'not found' }] }]);
    expect([none.status, none.body.error]).toEqual([404, { code: 'not_found', message: 'No project "zeta".', details: [{ field: 'project', message: 'not found' }] }]);
    // A hostile file for a project the token may not see is not even parsed: the same 404.
    const hostile = await post(bearer('ingestAlpha'), body('beta', { files: [{ name: 'bomb.json', content: '['.repeat(100_000) }] }));
    expect([hostile.status, hostile.body.error?.message]).toEqual([404, 'No project "beta".']);
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
    const ok = await post(bearer('ingestAlpha', { 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.3', ...peer('198.51.100.22') }));
    expect([ok.status, ok.body.status]).toEqual([201, 'pass']);
    const facts = await auditFacts(x.h);
    expect(facts).toEqual([{ action: 'perf.ingest', outcome: 'ok', actor: 'token:ingest-alpha', summary: 'Perf run for "alpha" (main, main): 1 metric(s), pass', origin: '198.51.100.22', count: 1 }]);
  });

  it('a peer header the client wrote itself (no process nonce) is ignored: the audit row has no origin', async () => {
    const r = await post(bearer('read', { 'x-forwarded-for': '203.0.113.9', [PEER_HEADER]: '203.0.113.10' }));
    expect(r.status).toBe(403);
    expect((await auditFacts(x.h)).map((f) => f.origin)).toEqual([null]);
  });

  it('bad JSON, a wrong shape, a NUL in the body → 400 naming the field; nothing stored, unaudited', async () => {
    const before = await state();
    const bad = await post(bearer('ingest'), '{"project": ');
    expect([bad.status, bad.body.error?.code, bad.body.error?.details]).toEqual([400, 'invalid', [{ field: '(body)', message: 'invalid JSON' }]]);
    const empty = await post(bearer('ingest'), '');
    expect([empty.status, empty.body.error?.code]).toEqual([400, 'invalid']);
    const shape = await post(bearer('ingest'), JSON.stringify({ project: 'alpha', files: [] }));
    expect([shape.status, shape.body.error?.details]).toEqual([400, [{ field: 'files', message: 'needs at least one file' }]]);
    const nul = await post(bearer('ingest'), body('alpha', { branch: 'ma\u0000in' }));
    expect([nul.status, nul.body.error?.details]).toEqual([400, [{ field: 'branch', message: 'must not contain a NUL character' }]]);
    const deepBody = await post(bearer('ingest'), `{"project":"alpha","files":[{"name":"a","content":"x"}],"testbed":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect([deepBody.status, deepBody.body.error?.code]).toEqual([400, 'invalid']);
    expect(deepBody.body.error?.details?.[0]?.message).toBe('is nested too deeply');
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
  });

  it('a large body that is a width bomb (30 MB of `{},`: 10 M objects, ~600 MB of heap once parsed) → 400 before JSON.parse', async () => {
    const before = await state();
    const head = `{"project":"alpha","files":[{"name":"a.json","content":${JSON.stringify(seed(6))}}],"x":[`;
    const t = Date.now();
    const r = await post(bearer('ingest'), `${head}${'{},'.repeat(10_000_000)}{}]}`);
    expect(Date.now() - t).toBeLessThan(5000);
    // head opens 4 containers (the body, files, files[0] and x): the 100,001st is the 99,997th `{}`.
    expect([r.status, r.body.error?.details]).toEqual([400, [{ field: '(body)', message: `line 1, column ${head.length + 1 + 3 * 99_996}: holds more than 100000 JSON objects and arrays` }]]);
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
  });

  it('an oversize body → 413 by Content-Length and by counted (chunked) bytes, before anything is parsed; nothing stored', async () => {
    const before = await state();
    const declared = await post(bearer('ingest', { 'content-length': String(MAX_PERF_BODY_BYTES + 1) }), '{}');
    expect([declared.status, declared.body.error]).toEqual([413, { code: 'too_large', message: `Request body is ${MAX_PERF_BODY_BYTES + 1} bytes; the limit is ${MAX_PERF_BODY_BYTES}.`, details: [] }]);
    const mb = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ <= MAX_PERF_BODY_BYTES / mb.length ? c.enqueue(mb) : c.close()) });
    const chunked = await post(bearer('ingest'), stream);
    expect([chunked.status, chunked.body.error?.message]).toEqual([413, `Request body exceeds the limit of ${MAX_PERF_BODY_BYTES} bytes.`]);
    // Reading stopped at the limit (the stream is pulled one chunk ahead), not at the body's end.
    expect(sent).toBeLessThanOrEqual(MAX_PERF_BODY_BYTES / mb.length + 2);
    // Unauthenticated, the body is never read.
    const anon = await post({ 'content-type': 'application/json', 'content-length': String(MAX_PERF_BODY_BYTES + 1) }, '{}');
    expect(anon.status).toBe(401);
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
  });

  it('a hostile perf file (a depth bomb in files[].content) → 400 with the envelope naming the file; nothing stored', async () => {
    const before = await state();
    const bomb = `{"format":"steward-perf/1","metrics":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    const r = await post(bearer('ingest'), body('alpha', { files: [{ name: 'ok.json', content: seed(6) }, { name: 'bomb.json', content: bomb }] }));
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: 'invalid',
      message: 'files[1] line 1, column 101: bomb.json: line 1, column 101: is nested more than 64 levels deep',
      details: [{ field: 'files[1] line 1, column 101', message: 'bomb.json: line 1, column 101: is nested more than 64 levels deep' }],
    });
    expect(await state()).toEqual(before);
    expect(await auditFacts(x.h)).toEqual([]);
  });

  it('a file whose testbed, unit and names carry NUL and control characters is stored cleaned (201), never a database error', async () => {
    const content = JSON.stringify({ format: 'steward-perf/1', testbed: { cpu: 'EPYC\u00007763', 'OS Name': 'linux\u0007' }, metrics: [{ name: 'dec\u0000ode\u202e', unit: 'sc\u0000ore', value: 1 }] });
    const r = await post(bearer('ingest'), body('alpha', { testbed: {}, files: [{ name: 'odd.json', content }] }));
    expect([r.status, r.body.testbed, (r.body.metrics as { name: string; unit: string }[]).map((m) => [m.name, m.unit])]).toEqual([201, 'EPYC 7763', [['dec ode', 'sc ore']]]);
    const testbed = await x.h.db.perfTestbed.findFirstOrThrow({ where: { label: 'EPYC 7763' } });
    expect(testbed.attrs).toEqual({ cpu: 'EPYC 7763', 'os-name': 'linux' });
  });

  it('a value that overflows its unit (1e308 s) → 400 naming the file and field, not Infinity stored', async () => {
    const before = await state();
    const content = JSON.stringify({ format: 'steward-perf/1', metrics: [{ name: 'big', unit: 's', samples: [1, 1e308] }] });
    const r = await post(bearer('ingest'), body('alpha', { files: [{ name: 'big.json', content }] }));
    expect([r.status, r.body.error?.details]).toEqual([400, [{ field: 'files[0] metrics[0][1]', message: 'big.json: metrics[0][1]: 1e+308 s is out of range (at most 1000000000000000 ms once converted)' }]]);
    expect(await state()).toEqual(before);
  });

  it('other methods → 405 with Allow', async () => {
    const r = await send(results.GET as never, { method: 'GET', path: '/api/v1/perf-results' });
    expect([r.status, r.body.error?.code]).toEqual([405, 'method_not_allowed']);
    const d = await send(results.DELETE as never, { method: 'DELETE', path: '/api/v1/perf-results', headers: bearer('ingest') });
    expect(d.status).toBe(405);
  });
});

describe('GET /api/v1/perf-runs/:id', () => {
  it('anonymous / revoked / suspended → 401 unaudited; an ingest-only token → 403 audited with the peer; viewer and read token → 200', async () => {
    expect([(await getRun(alphaRun)).status, (await getRun(alphaRun)).body.error]).toEqual([401, ANON]);
    expect((await getRun(alphaRun, bearer('revoked'))).status).toBe(401);
    expect((await getRun(alphaRun, bearer('suspended'))).body.error?.message).toBe('This API token is suspended: owner disabled.');
    const wrong = await getRun(alphaRun, bearer('ingest', { 'x-forwarded-for': '203.0.113.5', ...peer('198.51.100.30') }));
    expect([wrong.status, wrong.body.error?.message]).toEqual([403, 'This endpoint needs the "read" scope.']);
    const viewer = await getRun(alphaRun, { cookie: x.users.viewer.cookie });
    expect([viewer.status, viewer.body.id]).toEqual([200, alphaRun]);
    // A read needs no Origin: it changes nothing, and another site cannot read the answer (no CORS).
    expect((await getRun(alphaRun, { cookie: x.users.viewer.cookie, origin: 'http://evil.example' })).status).toBe(200);
    expect((await getRun(alphaRun, bearer('read'))).status).toBe(200);
    expect(await auditFacts(x.h)).toEqual([{ action: 'perf.run', outcome: 'denied', actor: 'token:ingest', summary: 'Refused: perf.run needs the "read" scope', origin: '198.51.100.30', count: 1 }]);
  });

  it('a token limited to beta: alpha\'s run is 404 exactly as a run that does not exist; a malformed or control-character id is 404 / 400', async () => {
    const [foreign, missing] = [await getRun(alphaRun, bearer('readBeta')), await getRun(crypto.randomUUID(), bearer('readBeta'))];
    expect(foreign.status).toBe(404);
    expect(foreign.text.replace(alphaRun, '<id>')).toBe(missing.text.replace(/[0-9a-f-]{36}/, '<id>'));
    expect(foreign.body.error).toEqual({ code: 'not_found', message: `No perf run "${alphaRun}".`, details: [] });
    expect((await getRun(betaRun, bearer('readBeta'))).status).toBe(200);
    expect((await getRun('not-a-uuid', bearer('read'))).status).toBe(404);
    const ctl = await getRun('a\u0000b', bearer('read'));
    expect([ctl.status, ctl.body.error?.details]).toEqual([400, [{ field: 'id', message: 'must not contain control characters' }]]);
    expect((await getRun('x'.repeat(201), bearer('read'))).status).toBe(400);
    expect(await auditFacts(x.h)).toEqual([]);
  });
});
