/**
 * defineRoute and defineAction, called directly like Next.js would, attacker-style: crafted
 * Authorization headers, cookies, bodies and inputs against a real database and real better-auth
 * sessions. Only `server-only` (it throws outside a React server build) and `next/headers` (the
 * action wrapper reads the request headers from it) are replaced.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ServiceError } from '@/lib/services/errors';
import { createToken, revokeToken } from '@/lib/services/tokens';
import { createUser } from '@/lib/services/users';
import { closeAppDb, openAppDb, prepareAuthEnv, signInCookie } from './auth-helpers';
import type { TestDb } from './helpers';

vi.mock('server-only', () => ({}));
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

// The wrappers reach the database and better-auth through process-wide singletons; point them at
// this file's database and a fixed secret before anything opens them.
await prepareAuthEnv('auth-wrapper-tests-secret-0123456789abcdef');
const { defineRoute } = await import('@/lib/auth/route');
const { defineAction } = await import('@/lib/auth/action');
const { PEER_HEADER, peerHeaderValueForTests } = await import('@/lib/auth/peer-address');

let h: TestDb;
const cli = { type: 'cli', id: null, label: 'cli:auth-test', origin: 'cli' } as const;
const PASSWORD = 'auth-wrapper-pass-1';
const users: Record<'viewer' | 'operator' | 'admin', { id: string; email: string; cookie: string }> = {} as never;
let tokens: Record<'read' | 'ingest' | 'revoked', string>;

const signIn = (email: string) => signInCookie(email, PASSWORD);

beforeAll(async () => {
  h = await openAppDb();
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const email = `${role}-${crypto.randomBytes(3).toString('hex')}@auth.test`;
    const u = await createUser(h.db, cli, { email, name: role, password: PASSWORD, role });
    users[role] = { id: u.id, email, cookie: await signIn(email) };
  }
  const read = await createToken(h.db, cli, { name: 'wr-read', scopes: ['read'] });
  const ingest = await createToken(h.db, cli, { name: 'wr-ingest', scopes: ['ingest'] });
  const revoked = await createToken(h.db, cli, { name: 'wr-revoked', scopes: ['read', 'ingest'] });
  await revokeToken(h.db, cli, revoked.token.id);
  tokens = { read: read.secret, ingest: ingest.secret, revoked: revoked.secret };
});
afterAll(() => closeAppDb(h));
beforeEach(() => {
  requestHeaders.current = new Headers();
});

// ---- routes -------------------------------------------------------------------------------

type Seen = { actor: unknown; body: unknown; params: Record<string, string> };
let seen: Seen[] = [];
beforeEach(() => {
  seen = [];
});
const echo = async (ctx: Seen) => {
  seen.push({ actor: ctx.actor, body: ctx.body, params: ctx.params });
  return { ok: true };
};
const readRoute = defineRoute({ name: 'test.read', access: { role: 'viewer', scope: 'read' } }, echo);
const operatorSessionOnly = defineRoute({ name: 'test.operate', access: { role: 'operator' } }, echo);
const ingestRoute = defineRoute({ name: 'test.ingest', access: { role: 'operator', scope: 'ingest' }, body: z.object({ host: z.string().min(1), n: z.number().int() }), maxBytes: 64 }, echo);
const publicRoute = defineRoute({ name: 'test.public', access: { public: true } }, echo);

const params = (p: Record<string, string | string[]> = {}) => ({ params: Promise.resolve(p) });
/** A request; a signed-in (cookie) call that changes something is sent as the browser would: same Origin, JSON. */
function req(headers: Record<string, string> = {}, body?: BodyInit, method = body === undefined ? 'GET' : 'POST'): Request {
  const h2 = headers.cookie && method !== 'GET' ? { origin: 'http://steward.test', 'content-type': 'application/json', ...headers } : headers;
  return new Request('http://steward.test/api/v1/test', { method, headers: h2, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}
/** The header the server's socket hook stamps with the TCP peer address (forwarded headers are not trusted by default). */
const peer = (address: string) => ({ [PEER_HEADER]: peerHeaderValueForTests(address) });
const bearer = (t: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${t}`, ...extra });
async function call(route: ReturnType<typeof defineRoute>, r: Request, p?: Record<string, string | string[]>) {
  const res = await route(r, params(p));
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { error?: { code: string; message: string; details: { field: string; message: string }[] } } & Record<string, unknown>) : null };
}
const deniedRows = (action: string) => h.db.auditEvent.findMany({ where: { action, outcome: 'denied' }, orderBy: { id: 'asc' } });

describe('defineRoute: authentication (Bearer)', () => {
  it('no credentials → 401 unauthenticated with the envelope; the handler never runs', async () => {
    expect(await call(readRoute, req())).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: 'Send "Authorization: Bearer <token>" or sign in.', details: [] } } });
    expect(seen).toEqual([]);
  });

  it.each([['Token abc'], ['Bearer'], ['Bearer '], ['Bearer a b'], ['Basic dXNlcjpwYXNz'], [`Bearer  ${'x'} y`]])('a malformed Authorization header %j → 401 naming the expected form', async (authz) => {
    expect(await call(readRoute, req({ authorization: authz }))).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: 'Authorization header must be "Bearer <token>".' } } });
    expect(seen).toEqual([]);
  });

  it('an unknown, a tampered and a revoked token → 401; revoked says so', async () => {
    const unknown = await call(readRoute, req(bearer(`stw_${'A'.repeat(32)}`)));
    expect(unknown).toMatchObject({ status: 401, body: { error: { message: 'Unknown or malformed API token.' } } });
    const tampered = tokens.read.slice(0, -1) + (tokens.read.endsWith('A') ? 'B' : 'A');
    expect((await call(readRoute, req(bearer(tampered)))).status).toBe(401);
    expect(await call(readRoute, req(bearer(tokens.revoked)))).toMatchObject({ status: 401, body: { error: { message: 'This API token has been revoked.' } } });
    expect(seen).toEqual([]);
  });

  it('a valid token: the scheme is case-insensitive; the actor carries scopes and the TCP peer, not a forged X-Forwarded-For', async () => {
    // A forged X-Forwarded-For is ignored (no trusted proxy configured): the origin is the TCP peer.
    expect(await call(readRoute, req({ authorization: `bearer ${tokens.read}`, 'x-forwarded-for': ' 192.0.2.66 , 10.0.0.1', ...peer('203.0.113.9') }))).toEqual({ status: 200, body: { ok: true } });
    expect(seen).toEqual([{ actor: { type: 'token', id: expect.any(String), label: 'token:wr-read', scopes: ['read'], projects: [], origin: '203.0.113.9' }, body: undefined, params: {} }]);
  });

  it('a Bearer header wins over a valid session cookie: a bad token is refused even for a signed-in admin', async () => {
    expect((await call(readRoute, req({ authorization: 'Bearer nope', cookie: users.admin.cookie }))).status).toBe(401);
  });
});

describe('defineRoute: authorisation (scope vs role)', () => {
  it('a token without the route scope → 403 naming the scope, audited as denied with the token as actor', async () => {
    const before = (await deniedRows('test.read')).length;
    expect(await call(readRoute, req(bearer(tokens.ingest, { 'x-real-ip': '192.0.2.77', ...peer('198.51.100.4') })))).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'This endpoint needs the "read" scope.', details: [] } } });
    const rows = (await deniedRows('test.read')).slice(before);
    expect(rows.map((r) => [r.actorType, r.actorLabel, r.summary, r.origin])).toEqual([['token', 'token:wr-ingest', 'Refused: test.read needs the "read" scope', '198.51.100.4']]);
    expect(seen).toEqual([]);
  });

  it('a session-only route refuses every token, whatever its scopes', async () => {
    for (const t of [tokens.read, tokens.ingest]) {
      expect(await call(operatorSessionOnly, req(bearer(t), undefined, 'POST'))).toMatchObject({ status: 403, body: { error: { message: 'This endpoint needs a signed-in user.' } } });
    }
    expect(seen).toEqual([]);
  });

  it('a session below the route role → 403 naming the role, audited with the user as actor; at or above the role → runs', async () => {
    const before = (await deniedRows('test.operate')).length;
    expect(await call(operatorSessionOnly, req({ cookie: users.viewer.cookie }, undefined, 'POST'))).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'This endpoint needs the operator role.' } } });
    const rows = (await deniedRows('test.operate')).slice(before);
    expect(rows.map((r) => [r.actorType, r.actorId, r.actorLabel, r.summary])).toEqual([['user', users.viewer.id, users.viewer.email, 'Refused: test.operate needs the operator role']]);
    expect(seen).toEqual([]);
    for (const role of ['operator', 'admin'] as const) expect((await call(operatorSessionOnly, req({ cookie: users[role].cookie }, undefined, 'POST'))).status).toBe(200);
    expect(seen.map((s) => s.actor)).toEqual([
      { type: 'user', id: users.operator.id, label: users.operator.email, role: 'operator', origin: null },
      { type: 'user', id: users.admin.id, label: users.admin.email, role: 'admin', origin: null },
    ]);
  });

  it('an ingest token may call a route whose role is operator when it holds the scope (scope, not role, decides for tokens)', async () => {
    const r = await call(ingestRoute, req(bearer(tokens.ingest, { 'content-type': 'application/json' }), JSON.stringify({ host: 'ci', n: 1 })));
    expect(r).toEqual({ status: 200, body: { ok: true } });
  });

  it('a garbage or forged session cookie → 401', async () => {
    for (const cookie of ['better-auth.session_token=garbage', `better-auth.session_token=${crypto.randomBytes(16).toString('hex')}.${'A'.repeat(43)}%3D`, 'other=1']) {
      expect((await call(readRoute, req({ cookie }))).status, cookie).toBe(401);
    }
  });

  it('the role is re-read on every request: a demoted operator is refused with the same cookie; an unknown stored role is no session', async () => {
    const u = await createUser(h.db, cli, { email: `demote-${crypto.randomBytes(3).toString('hex')}@auth.test`, name: 'D', password: PASSWORD, role: 'operator' });
    const cookie = await signIn(u.email);
    expect((await call(operatorSessionOnly, req({ cookie }, undefined, 'POST'))).status).toBe(200);
    await h.db.user.update({ where: { id: u.id }, data: { role: 'viewer' } });
    expect((await call(operatorSessionOnly, req({ cookie }, undefined, 'POST'))).status).toBe(403);
    expect((await call(readRoute, req({ cookie }))).status).toBe(200);
    await h.db.user.update({ where: { id: u.id }, data: { role: 'no-such-role' } });
    expect((await call(readRoute, req({ cookie }))).status).toBe(401); // an unknown role has no session at all
  });

  it('a disabled user is unauthenticated at once, with a cookie that still exists in the database', async () => {
    const u = await createUser(h.db, cli, { email: `disable-${crypto.randomBytes(3).toString('hex')}@auth.test`, name: 'X', password: PASSWORD, role: 'admin' });
    const cookie = await signIn(u.email);
    expect((await call(readRoute, req({ cookie }))).status).toBe(200);
    await h.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await h.db.session.count({ where: { userId: u.id } })).toBe(1);
    expect(await call(readRoute, req({ cookie }))).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
  });
});

describe('defineRoute: bodies', () => {
  const json = () => bearer(tokens.ingest, { 'content-type': 'application/json' });

  it('a valid body reaches the handler parsed by its schema', async () => {
    expect((await call(ingestRoute, req(json(), JSON.stringify({ host: 'ci-7', n: 3, extra: 'dropped' })))).status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual([{ host: 'ci-7', n: 3 }]);
  });

  it('bad JSON → 400 naming "(body)"; the message carries the parser error', async () => {
    const r = await call(ingestRoute, req(json(), '{"host": "ci", '));
    expect(r.status).toBe(400);
    expect(r.body!.error!.code).toBe('invalid');
    expect(r.body!.error!.message).toMatch(/^Request body is not valid JSON: /);
    expect(r.body!.error!.details).toEqual([{ field: '(body)', message: 'invalid JSON' }]);
    expect(seen).toEqual([]);
  });

  it('a body failing the schema → 400 whose details name each field', async () => {
    const r = await call(ingestRoute, req(json(), JSON.stringify({ host: '', n: 1.5 })));
    expect(r.status).toBe(400);
    expect(r.body!.error!.details.map((d) => d.field)).toEqual(['host', 'n']);
    expect(r.body!.error!.message).toMatch(/^host: .+; n: .+$/);
  });

  it('an empty body → 400 (the schema sees undefined), not a crash', async () => {
    const r = await call(ingestRoute, req(json(), ''));
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'invalid', details: [{ field: '(root)' }] } } });
  });

  it('over the limit by Content-Length → 413 before reading; by streamed bytes without a length → 413', async () => {
    const big = JSON.stringify({ host: 'x'.repeat(100), n: 1 });
    expect(await call(ingestRoute, req({ ...json(), 'content-length': String(big.length) }, big))).toMatchObject({ status: 413, body: { error: { code: 'too_large', message: `Request body is ${big.length} bytes; the limit is 64.` } } });
    const chunks = [new TextEncoder().encode('{"host":"'), new TextEncoder().encode('y'.repeat(80)), new TextEncoder().encode('","n":1}')];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    expect(await call(ingestRoute, req(json(), stream))).toMatchObject({ status: 413, body: { error: { code: 'too_large', message: 'Request body exceeds the limit of 64 bytes.' } } });
    expect(seen).toEqual([]);
  });

  it('a lying Content-Length (small) does not let a large body through', async () => {
    const big = JSON.stringify({ host: 'z'.repeat(100), n: 1 });
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    expect((await call(ingestRoute, req({ ...json(), 'content-length': '10' }, stream))).status).toBe(413);
  });

  it('authentication and authorisation come before the body: an anonymous or wrong-scope oversized body is 401 / 403', async () => {
    const big = 'x'.repeat(10_000);
    expect((await call(ingestRoute, req({ 'content-type': 'application/json' }, big))).status).toBe(401);
    expect((await call(ingestRoute, req(bearer(tokens.read), big))).status).toBe(403);
  });
});

describe('defineRoute: results and errors', () => {
  it('params arrive as strings; catch-all arrays are joined with "/"', async () => {
    await call(readRoute, req(bearer(tokens.read)), { planId: 'p-1', rest: ['a', 'b', 'c'] });
    expect(seen[0]!.params).toEqual({ planId: 'p-1', rest: 'a/b/c' });
  });

  it('a ServiceError maps to its status and envelope; any other error is a 500 that leaks nothing', async () => {
    const notFound = defineRoute({ name: 'test.nf', access: { role: 'viewer', scope: 'read' } }, async () => {
      throw new ServiceError('conflict', 'Plan p is running', [{ field: 'planId', message: 'busy' }]);
    });
    expect(await call(notFound, req(bearer(tokens.read)))).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'Plan p is running', details: [{ field: 'planId', message: 'busy' }] } } });
    const boom = defineRoute({ name: 'test.boom', access: { role: 'viewer', scope: 'read' } }, async () => {
      throw new Error('password=hunter2 at db.internal');
    });
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const r = await call(boom, req(bearer(tokens.read)));
      expect(r).toEqual({ status: 500, body: { error: { code: 'internal', message: 'Internal error; the server log has details.', details: [] } } });
      expect(JSON.stringify(r.body)).not.toContain('hunter2');
      expect(err).toHaveBeenCalledWith('[route test.boom]', expect.any(Error));
    } finally {
      err.mockRestore();
    }
  });

  it('a Response from the handler is passed through untouched', async () => {
    const custom = defineRoute({ name: 'test.custom', access: { role: 'viewer', scope: 'read' } }, async () => new Response('plain', { status: 202, headers: { 'x-k': 'v' } }));
    const res = await custom(req(bearer(tokens.read)), params());
    expect([res.status, res.headers.get('x-k'), await res.text()]).toEqual([202, 'v', 'plain']);
  });

  it('a public route runs with no actor and ignores credentials entirely (even a malformed header)', async () => {
    expect((await call(publicRoute, req({ authorization: 'garbage' }))).status).toBe(200);
    expect(seen).toEqual([{ actor: null, body: undefined, params: {} }]);
  });
});

describe('defineRoute: Bearer parsing at its edges', () => {
  it('more than one space or a tab after "Bearer" is still the token; the scheme in any case', async () => {
    for (const authz of [`Bearer  ${'{t}'}`, `Bearer\t${'{t}'}`, `BEARER ${'{t}'}`]) {
      expect((await call(readRoute, req({ authorization: authz.replace('{t}', tokens.read) }))).status, authz).toBe(200);
    }
  });

  it('"Bearer <token>" must be the whole header: text before the scheme or after the token is malformed, not looked up', async () => {
    for (const authz of [`Token Bearer ${tokens.read}`, `xBearer ${tokens.read}`, `Bearer ${tokens.read} extra`, `Bearer ${tokens.read},Bearer ${tokens.ingest}`]) {
      expect(await call(readRoute, req({ authorization: authz })), authz).toMatchObject({ status: 401, body: { error: { message: 'Authorization header must be "Bearer <token>".' } } });
    }
    expect(seen).toEqual([]);
  });

  it('a token-authenticated POST needs no Origin and no JSON content type (no ambient credential, no CSRF check)', async () => {
    expect((await call(ingestRoute, req(bearer(tokens.ingest, { 'content-type': 'text/plain' }), JSON.stringify({ host: 'ci', n: 2 })))).status).toBe(200);
    expect((await call(ingestRoute, req(bearer(tokens.ingest, { origin: 'http://evil.example' }), JSON.stringify({ host: 'ci', n: 2 })))).status).toBe(200);
  });
});

describe('defineRoute: CSRF on cookie calls', () => {
  it('a cookie POST from another Origin → 403, without Origin → 403, as text/plain → 415; the handler never runs and nothing is audited', async () => {
    const before = await h.db.auditEvent.count();
    const post = (headers: Record<string, string>) => new Request('http://steward.test/api/v1/test', { method: 'POST', headers: { cookie: users.admin.cookie, ...headers } });
    expect(await call(operatorSessionOnly, post({ origin: 'http://evil.example', 'content-type': 'application/json' }))).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'Cross-site request refused: Origin http://evil.example is not this site.', details: [] } } });
    expect(await call(operatorSessionOnly, post({ 'content-type': 'application/json' }))).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await call(operatorSessionOnly, post({ origin: 'http://steward.test', 'content-type': 'text/plain' }))).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    expect(seen).toEqual([]);
    expect(await h.db.auditEvent.count()).toBe(before);
    // The same request from our own page passes; a cookie GET needs no Origin.
    expect((await call(operatorSessionOnly, post({ origin: 'http://steward.test', 'content-type': 'application/json' }))).status).toBe(200);
    expect((await call(operatorSessionOnly, new Request('http://steward.test/api/v1/test', { headers: { cookie: users.admin.cookie } }))).status).toBe(200);
  });

  it('a CSRF refusal comes before authorisation: a viewer cross-site gets 403 cross-site, not a denied audit row', async () => {
    const before = (await deniedRows('test.operate')).length;
    const r = await call(operatorSessionOnly, new Request('http://steward.test/api/v1/test', { method: 'POST', headers: { cookie: users.viewer.cookie, origin: 'http://evil.example', 'content-type': 'application/json' } }));
    expect(r.body!.error!.message).toBe('Cross-site request refused: Origin http://evil.example is not this site.');
    expect((await deniedRows('test.operate')).length).toBe(before);
  });
});

describe('defineRoute: body limits and JSON checks', () => {
  const MB = 1024 * 1024;
  const anyJson = defineRoute({ name: 'test.anyjson', access: { role: 'viewer', scope: 'ingest' }, body: z.unknown() }, echo);
  const bigJson = defineRoute({ name: 'test.bigjson', access: { role: 'viewer', scope: 'ingest' }, body: z.unknown(), maxBytes: 2 * MB }, async () => ({ ok: true }));
  const post = (body: string, headers: Record<string, string> = {}) => req(bearer(tokens.ingest, { 'content-type': 'application/json', ...headers }), body);
  /** `[[],[],…]` holding 100,001 arrays (100,002 containers, over the 100,000 a large body may hold), padded with spaces to `length` characters. */
  const manyContainers = (length: number) => {
    const core = `[${'[],'.repeat(100_000)}[]]`;
    return core + ' '.repeat(length - core.length);
  };

  it('without maxBytes the limit is 1 MiB: exactly 1,048,576 bytes are read, one more is 413 naming the limit', async () => {
    const exact = JSON.stringify({ s: 'x'.repeat(MB - 8) });
    expect(exact.length).toBe(MB);
    expect((await call(anyJson, post(exact, { 'content-length': String(MB) }))).status).toBe(200);
    expect((seen[0]!.body as { s: string }).s.length).toBe(MB - 8);
    const over = JSON.stringify({ s: 'x'.repeat(MB - 7) });
    expect(await call(anyJson, post(over, { 'content-length': String(MB + 1) }))).toMatchObject({ status: 413, body: { error: { code: 'too_large', message: `Request body is ${MB + 1} bytes; the limit is ${MB}.` } } });
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(over)), c.close()) });
    expect(await call(anyJson, req(bearer(tokens.ingest, { 'content-type': 'application/json' }), stream))).toMatchObject({ status: 413, body: { error: { message: `Request body exceeds the limit of ${MB} bytes.` } } });
  });

  it('a body over 1 MiB is scanned for its structure before JSON.parse; one of exactly 1 MiB is not', async () => {
    expect((await call(bigJson, post(manyContainers(MB)))).status).toBe(200);
    // The 100,001st container is the 100,000th inner `[]`, at index 1 + 3 × 99,999.
    expect(await call(bigJson, post(manyContainers(MB + 1)))).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: '(body): line 1, column 299999: holds more than 100000 JSON objects and arrays', details: [{ field: '(body)', message: 'line 1, column 299999: holds more than 100000 JSON objects and arrays' }] } },
    });
  });

  it('a large body nested too deeply is refused by the scan (its message), and a large flat body passes', async () => {
    const deep = `${'['.repeat(65)}"${'d'.repeat(MB)}"${']'.repeat(65)}`;
    expect(await call(bigJson, post(deep))).toMatchObject({ status: 400, body: { error: { message: '(body): line 1, column 65: is nested more than 64 levels deep' } } });
    expect((await call(bigJson, post(JSON.stringify({ s: 'f'.repeat(MB + 10) })))).status).toBe(200);
  });

  it('a NUL in a string or key, or a number beyond 2^53, is 400 naming each field, joined with "; "', async () => {
    const r = await call(anyJson, post('{"a":"x\\u0000y","b":{"k\\u0000":1},"c":[1e300]}'));
    expect(r).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: `a: must not contain a NUL character; b: has a key with a NUL character; c[0]: must be at most ${Number.MAX_SAFE_INTEGER} in size`, details: [
        { field: 'a', message: 'must not contain a NUL character' },
        { field: 'b', message: 'has a key with a NUL character' },
        { field: 'c[0]', message: `must be at most ${Number.MAX_SAFE_INTEGER} in size` },
      ] } },
    });
    expect(seen).toEqual([]);
  });

  it('schema failures are joined with "; " in the message', async () => {
    const r = await call(ingestRoute, post(JSON.stringify({ host: '', n: 'x' })));
    expect(r.body!.error!.message).toBe(r.body!.error!.details.map((d) => `${d.field}: ${d.message}`).join('; '));
    expect(r.body!.error!.details).toHaveLength(2);
  });

  it('a route without a body schema never reads the body (an invalid or oversized one is ignored)', async () => {
    expect((await call(readRoute, req(bearer(tokens.read), '{not json'))).status).toBe(200);
    expect(seen.map((s) => s.body)).toEqual([undefined]);
  });
});

describe('defineRoute: path parameters and query values', () => {
  const at = (url: string, headers: Record<string, string> = bearer(tokens.read)) => new Request(url, { headers });

  it('a control character in a path parameter → 400 naming it; 200 characters pass, 201 do not', async () => {
    expect(await call(readRoute, req(bearer(tokens.read)), { planId: 'a\u0001b' })).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'planId: must not contain control characters', details: [{ field: 'planId', message: 'must not contain control characters' }] } } });
    for (const bad of ['a\u007f', '\u001fz', '\u0000']) expect(await call(readRoute, req(bearer(tokens.read)), { planId: bad }), JSON.stringify(bad)).toMatchObject({ status: 400 });
    expect(await call(readRoute, req(bearer(tokens.read)), { rest: ['a', 'b\u0000'] })).toMatchObject({ status: 400, body: { error: { details: [{ field: 'rest' }] } } });
    expect((await call(readRoute, req(bearer(tokens.read)), { planId: 'p'.repeat(200) })).status).toBe(200);
    expect(seen[0]!.params).toEqual({ planId: 'p'.repeat(200) });
    expect(await call(readRoute, req(bearer(tokens.read)), { planId: 'p'.repeat(201) })).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'planId: must be at most 200 characters', details: [{ field: 'planId', message: 'must be at most 200 characters' }] } } });
    // A catch-all's length is that of the joined path.
    expect((await call(readRoute, req(bearer(tokens.read)), { rest: ['q'.repeat(100), 'q'.repeat(100)] })).status).toBe(400);
  });

  it('every bad parameter is named, joined with "; "; parameters are checked before authentication', async () => {
    expect(await call(readRoute, req(), { a: '\u0002', b: 'x'.repeat(300), c: 'fine' })).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: 'a: must not contain control characters; b: must be at most 200 characters', details: [
        { field: 'a', message: 'must not contain control characters' },
        { field: 'b', message: 'must be at most 200 characters' },
      ] } },
    });
  });

  it('a NUL in a query key or value → 400 naming the key (its NUL written as \\0); other values pass', async () => {
    expect(await call(readRoute, at('http://steward.test/api/v1/test?ok=1&q=a%00b'))).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'q: must not contain a NUL character', details: [{ field: 'q', message: 'must not contain a NUL character' }] } } });
    expect(await call(readRoute, at('http://steward.test/api/v1/test?k%00ey=1&z%00=%00'))).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'k\\0ey: must not contain a NUL character; z\\0: must not contain a NUL character', details: [
      { field: 'k\\0ey', message: 'must not contain a NUL character' },
      { field: 'z\\0', message: 'must not contain a NUL character' },
    ] } } });
    expect((await call(readRoute, at('http://steward.test/api/v1/test?q=%01&r=' + 'x'.repeat(500)))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});

// ---- actions ------------------------------------------------------------------------------

describe('defineAction', () => {
  const calls: unknown[] = [];
  beforeEach(() => {
    calls.length = 0;
  });
  const opAction = defineAction({ name: 'test.action', role: 'operator', input: z.object({ planId: z.string().min(1) }) }, async (input, ctx) => {
    calls.push({ input, actor: ctx.actor, user: ctx.user });
    if (input.planId === 'conflict') throw new ServiceError('conflict', 'already running');
    if (input.planId === 'boom') throw new Error('secret detail');
    if (input.planId === 'redirect') throw Object.assign(new Error('NEXT_REDIRECT'), { digest: 'NEXT_REDIRECT;replace;/login;307;' });
    return { planId: input.planId };
  });
  const as = (role: keyof typeof users, extra: Record<string, string> = {}) => {
    requestHeaders.current = new Headers({ cookie: users[role].cookie, ...extra });
  };

  it('no session → unauthenticated; the function never runs', async () => {
    expect(await opAction({ planId: 'p' })).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
    requestHeaders.current = new Headers({ cookie: 'better-auth.session_token=forged' });
    expect((await opAction({ planId: 'p' })).ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('a viewer is refused (forbidden), audited as denied naming both roles; even with invalid input it is forbidden, not invalid', async () => {
    const before = (await deniedRows('test.action')).length;
    as('viewer', { 'x-forwarded-for': '192.0.2.99', ...peer('192.0.2.50') });
    expect(await opAction({ planId: 'p' })).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    expect(await opAction({ planId: '' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const rows = (await deniedRows('test.action')).slice(before);
    // Two identical refusals in one window are one audit row counting 2 (lib/services/audit.ts).
    expect(rows.map((r) => [r.actorId, r.actorLabel, r.summary, r.origin, r.count])).toEqual([
      [users.viewer.id, users.viewer.email, `Refused: test.action needs the operator role; ${users.viewer.email} is viewer`, '192.0.2.50', 2],
    ]);
    expect(calls).toEqual([]);
  });

  it('an operator with valid input runs with the session user as actor', async () => {
    as('operator', { 'x-forwarded-for': '192.0.2.99', ...peer('192.0.2.51') });
    expect(await opAction({ planId: 'p-9' })).toEqual({ ok: true, data: { planId: 'p-9' } });
    expect(calls).toEqual([{ input: { planId: 'p-9' }, actor: { type: 'user', id: users.operator.id, label: users.operator.email, role: 'operator', origin: '192.0.2.51' }, user: { id: users.operator.id, email: users.operator.email, name: 'operator', role: 'operator' } }]);
  });

  it('invalid input → invalid with details naming the field', async () => {
    as('admin');
    expect(await opAction({ planId: '' })).toEqual({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/^planId: /), details: [{ field: 'planId', message: expect.any(String) }] } });
    expect(await opAction(null as never)).toMatchObject({ ok: false, error: { code: 'invalid', details: [{ field: '(root)' }] } });
    expect(calls).toEqual([]);
  });

  it('a ServiceError is returned as its code; another error is "internal" without its message; a Next redirect is rethrown', async () => {
    as('operator');
    expect(await opAction({ planId: 'conflict' })).toEqual({ ok: false, error: { code: 'conflict', message: 'already running', details: undefined } });
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const r = await opAction({ planId: 'boom' });
      expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong; the server log has details.' } });
      expect(JSON.stringify(r)).not.toContain('secret detail');
    } finally {
      err.mockRestore();
    }
    await expect(opAction({ planId: 'redirect' })).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });

  it('the Origin of an action: our own passes, another site (or the literal "null") is forbidden before the role check; none at all passes', async () => {
    const before = (await deniedRows('test.action')).length;
    as('operator', { origin: 'http://steward.test' });
    expect(await opAction({ planId: 'own' })).toEqual({ ok: true, data: { planId: 'own' } });
    for (const origin of ['http://evil.example', 'null', 'https://steward.test.evil.example']) {
      as('operator', { origin });
      expect(await opAction({ planId: 'x' }), origin).toEqual({ ok: false, error: { code: 'forbidden', message: `Cross-site request refused: Origin ${origin} is not this site.` } });
    }
    as('viewer', { origin: 'http://evil.example' });
    expect(await opAction({ planId: 'x' })).toMatchObject({ error: { message: 'Cross-site request refused: Origin http://evil.example is not this site.' } });
    expect((await deniedRows('test.action')).length).toBe(before);
    as('operator');
    expect((await opAction({ planId: 'no-origin' })).ok).toBe(true);
    expect(calls.map((c) => (c as { input: { planId: string } }).input.planId)).toEqual(['own', 'no-origin']);
  });

  it('an anonymous call from another site is unauthenticated (sign-in comes first)', async () => {
    requestHeaders.current = new Headers({ origin: 'http://evil.example' });
    expect(await opAction({ planId: 'p' })).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
  });

  it('several invalid fields are all named, joined with "; "; ctx.now is the time of the call', async () => {
    const two = defineAction({ name: 'test.two', role: 'viewer', input: z.object({ a: z.string().min(2), b: z.number() }) }, async (_input, ctx) => ctx.now.getTime());
    as('viewer');
    const r = await two({ a: '', b: 'x' } as never);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.details!.map((d) => d.field)).toEqual(['a', 'b']);
    expect(r.error.message).toBe(r.error.details!.map((d) => `${d.field}: ${d.message}`).join('; '));
    const t0 = Date.now();
    const ok = await two({ a: 'aa', b: 1 });
    expect(ok.ok && ok.data >= t0 - 1 && ok.data <= Date.now() + 1).toBe(true);
  });

  it('a ServiceError keeps its details; a thrown null, string or digest-less object is "internal" and logged with the action name', async () => {
    const thrower = defineAction({ name: 'test.throw', role: 'viewer', input: z.object({ kind: z.string() }) }, async ({ kind }) => {
      if (kind === 'service') throw new ServiceError('invalid', 'bad plan', [{ field: 'planId', message: 'unknown' }]);
      throw kind === 'null' ? null : kind === 'string' ? 'digest' : kind === 'undefined' ? undefined : { message: 'no digest' };
    });
    as('viewer');
    expect(await thrower({ kind: 'service' })).toEqual({ ok: false, error: { code: 'invalid', message: 'bad plan', details: [{ field: 'planId', message: 'unknown' }] } });
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const kind of ['null', 'string', 'undefined', 'object']) {
        expect(await thrower({ kind }), kind).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong; the server log has details.' } });
      }
      expect(err.mock.calls.map((c) => c[0])).toEqual(['[action test.throw]', '[action test.throw]', '[action test.throw]', '[action test.throw]']);
    } finally {
      err.mockRestore();
    }
  });

  it('the role is re-read on every call, and a disabled account is unauthenticated', async () => {
    const u = await createUser(h.db, cli, { email: `act-${crypto.randomBytes(3).toString('hex')}@auth.test`, name: 'A', password: PASSWORD, role: 'operator' });
    requestHeaders.current = new Headers({ cookie: await signIn(u.email) });
    expect((await opAction({ planId: 'p' })).ok).toBe(true);
    await h.db.user.update({ where: { id: u.id }, data: { role: 'viewer' } });
    expect(await opAction({ planId: 'p' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await h.db.user.update({ where: { id: u.id }, data: { role: 'operator', disabled: true } });
    expect(await opAction({ planId: 'p' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
