/**
 * The ping fast path (lib/server/ping-fast-path.ts) against the route handler it stands in front
 * of, over real HTTP on loopback: two servers, one whose listener hands every request to the
 * route handler the way Next does (Node request → Web Request with a streamed body, the catch-all
 * parameter decoded, next.config.mjs's static headers added), and one with the fast path in front
 * of that same listener. The same requests go to twin checks on each, and the answers (status,
 * text, headers), the stored pings and the checks' state must be the same. Then what only the fast
 * path does: which requests it leaves to Next, the connection after a truncated body, a client
 * that goes away mid-body, a database that fails, and taking over a server from the channel.
 */
process.env.STEWARD_PING_BODY_LIMIT = '64';
process.env.STEWARD_PING_RATE_PER_CHECK = '20';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { BASE, prepareEnv, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const route = await import('@/app/ping/[...path]/route');
const cron = await import('@/lib/services/cron');
const { resetCronSettings } = await import('@/lib/services/cron/settings');
const { API_CSP, STATIC_SECURITY_HEADERS } = await import('@/lib/auth/security-headers');
const { installPeerAddressHook } = await import('@/lib/auth/peer-address');
const fast = await import('@/lib/server/ping-fast-path');
const { pingLimiter } = await import('@/lib/services/cron/ping-limiter');

type Listener = import('@/lib/server/ping-fast-path').RequestListener;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let x: Harness;
const cli: Actor = { type: 'cli', id: null, label: 'cli:fast-path', origin: 'cli' };

/** What `next start` does with a /ping/… request, reduced to what the route sees and sends. */
function nextLike(counter: { hits: number }): Listener {
  return (req, res) => {
    counter.hits++;
    void (async () => {
      const url = new URL(req.url!, BASE);
      const method = req.method!;
      const handler = (route as unknown as Record<string, Handler | undefined>)[method];
      let response: Response;
      if (!url.pathname.startsWith('/ping/')) response = new Response('no such page', { status: 404 });
      else if (!handler) response = new Response(null, { status: 405 });
      else {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) for (const one of Array.isArray(v) ? v : [v!]) headers.append(k, one);
        const body = method === 'GET' || method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
        const request = new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
        const path = url.pathname.slice('/ping/'.length).split('/').filter(Boolean).map(decodeURIComponent);
        response = await handler(request, { params: Promise.resolve({ path }) });
      }
      res.statusCode = response.status;
      for (const h of STATIC_SECURITY_HEADERS) res.setHeader(h.key, h.value);
      res.setHeader('content-security-policy', API_CSP);
      response.headers.forEach((v, k) => res.setHeader(k, v));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  };
}

interface Server {
  port: number;
  counter: { hits: number };
  server: http.Server;
}

async function listen(listener: Listener, counter: { hits: number }): Promise<Server> {
  const server = http.createServer({ keepAlive: true }, listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, counter, server };
}

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** Transport details, not answers: they differ with the body's framing. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** One request with the path sent exactly as given (no URL normalisation). */
function send(port: number, path: string, opts: { method?: string; body?: string | Buffer; headers?: Record<string, string>; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', agent: opts.agent ?? agent, headers: { 'user-agent': 'curl/8.5.0', ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (!TRANSPORT.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
        resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), headers });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

let routeOnly: Server;
let withFastPath: Server;

beforeAll(async () => {
  resetCronSettings();
  x = await startHarness();
  installPeerAddressHook(); // both servers' handlers see the same vouched-for peer address
  routeOnly = await listen(nextLike({ hits: 0 }), { hits: 0 });
  const counter = { hits: 0 };
  withFastPath = await listen(fast.pingFastPath(nextLike(counter)), counter);
  // The route reads the global handle (the harness's database); so does the fast path by default.
});
afterAll(async () => {
  agent.destroy();
  await pingLimiter(x.h.db).flush(); // before the database goes
  for (const s of [routeOnly, withFastPath]) s?.server.close();
  await x?.close();
  for (const k of ['STEWARD_PING_BODY_LIMIT', 'STEWARD_PING_RATE_PER_CHECK']) delete process.env[k];
  resetCronSettings();
});

const makeCheck = (name: string) => cron.createCheck(x.h.db, cli, { name, type: 'ping', schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 }, failureThreshold: 2 }, new Date());

/** What a check's pings say, minus what depends on the moment (ids, times, durations). */
async function stored(checkId: string) {
  const rows = await x.h.db.cronPing.findMany({ where: { checkId }, orderBy: { id: 'asc' } });
  return rows.map((p) => ({ kind: p.kind, exitStatus: p.exitStatus, rid: p.rid, method: p.method, sourceAddress: p.sourceAddress, userAgent: p.userAgent, body: p.body ? Buffer.from(p.body).toString('utf8') : null, bodyTruncated: p.bodyTruncated, hasDuration: p.durationSeconds !== null }));
}
async function checkState(id: string) {
  const c = await x.h.db.cronCheck.findUniqueOrThrow({ where: { id } });
  return { state: c.state, consecutiveFailures: c.consecutiveFailures, lastPingKind: c.lastPingKind, pingCount: c.pingCount, paused: c.paused, lastFinishFailed: c.lastFinishFailed, open: c.openStartAt !== null };
}

describe('the fast path answers as the route does', () => {
  it('every ping form by uuid: methods, kinds, exit statuses, run ids, bodies at and over the limit, HEAD, bad paths and rids', async () => {
    const [a, b] = [await makeCheck('twin-a'), await makeCheck('twin-b')];
    const rid = crypto.randomUUID();
    const script: { path: string; method?: string; body?: string; headers?: Record<string, string> }[] = [
      { path: '' }, { path: '', method: 'POST', body: 'hello' }, { path: '', method: 'PUT', body: 'x'.repeat(64) },
      { path: '', method: 'PATCH', body: 'y'.repeat(65) }, { path: '', method: 'DELETE' }, { path: '', method: 'HEAD' },
      { path: `/start?rid=${rid}` }, { path: '/log', method: 'POST', body: 'step 1' }, { path: `/0?rid=${rid}` },
      { path: '/start' }, { path: '/1' }, { path: '/fail', method: 'POST', body: 'boom' }, { path: '/255' }, { path: '/0' },
      { path: '/256' }, { path: '/nope' }, { path: '/start/extra' }, { path: '?rid=not-a-uuid' }, { path: '?create=1' },
      { path: '', headers: { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'Wget/1.21' } }, { path: '', method: 'HEAD', headers: { 'user-agent': '' } },
      // Healthchecks' URL with its trailing slash: a success ping (real Next would 308 it away; see below).
      { path: '/' }, { path: `/?rid=${rid}`, method: 'POST', body: 'slash' },
    ];
    for (const step of script) {
      const [ra, rb] = [
        await send(routeOnly.port, `/ping/${a.uuid}${step.path}`, step),
        await send(withFastPath.port, `/ping/${b.uuid}${step.path}`, step),
      ];
      expect(rb, `${step.method ?? 'GET'} ${step.path}`).toEqual(ra);
    }
    expect(withFastPath.counter.hits).toBe(0); // every one of them was canonical
    expect(await stored(b.id)).toEqual(await stored(a.id));
    expect(await checkState(b.id)).toEqual(await checkState(a.id));
    expect((await stored(a.id)).length).toBe(19); // the four 400s stored nothing (nor count against the limit)
  });

  it('unknown uuid 404, slug pings with ?create=1 (201 once, then 200), unknown key 404, the per-check rate limit (429 with Retry-After)', async () => {
    const [ka, kb] = [await cron.createPingKey(x.h.db, cli, 'twin-key-a', new Date()), await cron.createPingKey(x.h.db, cli, 'twin-key-b', new Date())];
    const ghost = crypto.randomUUID();
    expect(await send(withFastPath.port, `/ping/${ghost}`)).toEqual(await send(routeOnly.port, `/ping/${ghost}`));
    // 20 pings count against the per-check limit: the 404 too (the bucket is the URL's target), not the 400 (an upper-case slug is refused before).
    const paths = ['/nightly', '/nightly?create=1', '/nightly?create=1', '/nightly/start', '/nightly/0', '/Nightly/fail', ...Array.from({ length: 15 }, () => '/nightly')];
    for (const p of paths) {
      const [ra, rb] = [await send(routeOnly.port, `/ping/${ka.key}${p}`), await send(withFastPath.port, `/ping/${kb.key}${p}`)];
      expect(rb, p).toEqual(ra);
    }
    const [ca, cb] = [await x.h.db.cronCheck.findFirstOrThrow({ where: { pingKeyId: ka.id } }), await x.h.db.cronCheck.findFirstOrThrow({ where: { pingKeyId: kb.id } })];
    expect(await stored(cb.id)).toEqual(await stored(ca.id));
    expect(await checkState(cb.id)).toEqual(await checkState(ca.id));
    // The 21st: refused on both, Retry-After the seconds left in each one's window.
    const [la, lb] = [await send(routeOnly.port, `/ping/${ka.key}/nightly`), await send(withFastPath.port, `/ping/${kb.key}/nightly`)];
    expect([lb.status, lb.text, Number(lb.headers['retry-after']) > 0]).toEqual([429, 'rate limited', true]);
    expect({ ...lb.headers, 'retry-after': la.headers['retry-after'] }).toEqual(la.headers);
    expect((await stored(cb.id)).length).toBe(19);
    expect(await send(withFastPath.port, `/ping/${'x'.repeat(22)}/nightly`)).toEqual(await send(routeOnly.port, `/ping/${'x'.repeat(22)}/nightly`));
  });

  it('carries the static security headers, the API CSP, CORS, no-store and Ping-Body-Limit', async () => {
    const c = await makeCheck('headers');
    const r = await send(withFastPath.port, `/ping/${c.uuid}`);
    expect(r.headers).toEqual({
      ...Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value])),
      'content-security-policy': API_CSP, 'access-control-allow-origin': '*', 'cache-control': 'no-store',
      'content-type': 'text/plain; charset=utf-8', 'ping-body-limit': '64',
    });
  });
});

describe('the Healthchecks one-liners, run for real', () => {
  // The snippets' own command lines (components/cron/snippets.ts), run by the curl and wget
  // binaries against the fast path, as a crontab would: only the host differs from Healthchecks'.
  // Asynchronously: the servers answering them run in this process.
  const sh = (line: string) => promisify(execFile)('/bin/sh', ['-c', line], { timeout: 20_000 });
  it.each([['curl'], ['wget']])('%s: success, start + exit status, the trailing-slash form; each stored as it says', async (tool) => {
    const c = await makeCheck(`real-${tool}`);
    const url = `http://127.0.0.1:${withFastPath.port}/ping/${c.uuid}`;
    const get = (u: string) => (tool === 'curl' ? `curl -fsS -m 10 --retry 5 -o /dev/null ${u}` : `wget -q -T 10 -t 5 -O /dev/null ${u}`);
    await sh(`/bin/true && ${get(url)}`);
    await sh(`${get(`${url}/start`)}; /bin/false; ${get(`${url}/$?`)}`);
    await sh(get(`${url}/`));
    expect((await stored(c.id)).map((p) => [p.kind, p.exitStatus, p.userAgent?.split('/')[0]])).toEqual([
      ['success', null, tool === 'curl' ? 'curl' : 'Wget'], ['start', null, tool === 'curl' ? 'curl' : 'Wget'], ['fail', 1, tool === 'curl' ? 'curl' : 'Wget'], ['success', null, tool === 'curl' ? 'curl' : 'Wget'],
    ]);
    // An unknown check is an error the job's log shows (curl -f and wget exit non-zero on 404).
    await expect(sh(get(`http://127.0.0.1:${withFastPath.port}/ping/${crypto.randomUUID()}`))).rejects.toThrow();
  });
});

describe('what the fast path leaves to Next', () => {
  it('takes exactly the canonical requests', () => {
    const u = crypto.randomUUID();
    for (const [method, url] of [['GET', `/ping/${u}`], ['POST', `/ping/${u}/start?rid=${u}`], ['HEAD', `/ping/${u}/255`], ['DELETE', `/ping/key_-~.x/slug-1/fail?create=1&rid=${u}`], ['GET', `/ping/${'a'.repeat(200)}`], ['GET', '/ping/a.b'], ['GET', `/ping/${u}/`], ['POST', `/ping/${u.toUpperCase()}/?rid=${u}`]] as const) {
      expect(fast.canonicalPing(method, url), `${method} ${url}`).not.toBeNull();
    }
    expect(fast.canonicalPing('GET', `/ping/${u}/log?rid=${u}&create=1`)).toEqual({ path: `${u}/log`, query: `rid=${u}&create=1` });
    expect(fast.canonicalPing('GET', `/ping/${u}/?rid=${u}`)).toEqual({ path: `${u}/`, query: `rid=${u}` });
    for (const [method, url] of [
      ['OPTIONS', `/ping/${u}`], ['TRACE', `/ping/${u}`], ['get', `/ping/${u}`], ['GET', '/ping/'], ['GET', '/ping'], ['GET', `/ping/${u}//`],
      ['GET', `/ping/${u}/start/`], ['GET', '/ping/key/slug/'], ['GET', '/ping/not-a-uuid/'], ['GET', `/ping/${u.slice(0, -1)}/`], ['OPTIONS', `/ping/${u}/`],
      ['GET', `/ping//${u}`], ['GET', `/ping/${u}/start/extra/more`], ['GET', '/ping/%41'], ['GET', `/ping/${u}?rid=a%00b`], ['GET', `/ping/${u}?a=b+c`],
      ['GET', '/ping/a/../b'], ['GET', '/ping/./a'], ['GET', '/ping/..'], ['GET', `/ping/${'a'.repeat(201)}`], ['GET', `/ping/${u}#x`],
      ['GET', `/pingx/${u}`], ['GET', `/api/ping/${u}`], ['GET', `http://evil/ping/${u}`], [undefined, `/ping/${u}`], ['GET', undefined],
    ] as const) {
      expect(fast.canonicalPing(method, url), `${method} ${url}`).toBeNull();
    }
  });

  it('non-canonical requests reach Next\'s listener, unchanged, and get its answer', async () => {
    const c = await makeCheck('fallthrough');
    const before = withFastPath.counter.hits;
    for (const [method, path] of [['OPTIONS', `/ping/${c.uuid}`], ['GET', `/ping/${c.uuid}/start/`], ['GET', '/ping/%41%42'], ['GET', `/ping/${c.uuid}?rid=a%00b`], ['TRACE', `/ping/${c.uuid}`], ['GET', `/ping/${'a'.repeat(201)}`]] as const) {
      expect(await send(withFastPath.port, path, { method }), `${method} ${path}`).toEqual(await send(routeOnly.port, path, { method }));
    }
    expect(withFastPath.counter.hits - before).toBe(6);
  });
});

describe('the connection and failures', () => {
  it('after a body far over the limit the answer comes at once and the same connection serves the next ping', async () => {
    const c = await makeCheck('big-body');
    const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    one.on('free', (s) => sockets.add(s));
    try {
      const big = await send(withFastPath.port, `/ping/${c.uuid}`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 0x61), agent: one });
      expect([big.status, big.text]).toEqual([200, 'OK']);
      const next = await send(withFastPath.port, `/ping/${c.uuid}/start`, { agent: one });
      expect([next.status, next.text]).toEqual([200, 'OK']);
      expect(sockets.size).toBe(1);
    } finally {
      one.destroy();
    }
    const log = await stored(c.id);
    expect(log.map((p) => [p.kind, p.body?.length ?? 0, p.bodyTruncated])).toEqual([['success', 64, true], ['start', 0, false]]);
  });

  it('a client that goes away mid-body still leaves its ping, with what arrived, flagged truncated (as the route does)', async () => {
    const c = await makeCheck('gone');
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: withFastPath.port, path: `/ping/${c.uuid}/fail`, method: 'POST', headers: { 'content-length': '50', 'user-agent': 'curl/8.5.0' } });
      req.on('error', () => resolve());
      req.write('partial', () => setTimeout(() => req.destroy(), 50));
    });
    await expect.poll(() => stored(c.id), { timeout: 5000 }).toEqual([expect.objectContaining({ kind: 'fail', body: 'partial', bodyTruncated: true })]);
  });

  it('a database that fails gives the route\'s 500 envelope with the ping headers, and the details go to the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = await listen(fast.pingFastPath(nextLike({ hits: 0 }), { db: () => Promise.reject(new Error('connection refused')) }), { hits: 0 });
    try {
      const r = await send(broken.port, `/ping/${crypto.randomUUID()}`, { agent: new http.Agent() });
      expect(r.status).toBe(500);
      expect(JSON.parse(r.text)).toEqual({ error: { code: 'internal', message: 'Internal error; the server log has details.', details: [] } });
      expect([r.headers['content-type'], r.headers['ping-body-limit'], r.headers['access-control-allow-origin'], r.headers['content-security-policy']]).toEqual(['application/json', '64', '*', API_CSP]);
      const head = await send(broken.port, `/ping/${crypto.randomUUID()}`, { method: 'HEAD', agent: new http.Agent() });
      expect([head.status, head.text]).toEqual([500, '']);
      expect(log).toHaveBeenCalledWith('[route cron.ping]', expect.objectContaining({ message: 'connection refused' }));
    } finally {
      broken.server.close();
      log.mockRestore();
    }
  });
});

describe('taking over a server', () => {
  it('replaces a server\'s one request listener; a server with none or two is left alone', async () => {
    const none = http.createServer();
    expect(fast.takeOverServer(none)).toBe(false);
    expect(none.listeners('request')).toEqual([]);
    const l1: Listener = () => undefined;
    const l2: Listener = () => undefined;
    const two = http.createServer(l1);
    two.on('request', l2);
    expect(fast.takeOverServer(two)).toBe(false);
    expect(two.listeners('request')).toEqual([l1, l2]);
    const one = http.createServer(l1);
    expect(fast.takeOverServer(one)).toBe(true);
    expect(one.listeners('request')).toHaveLength(1);
    expect(one.listeners('request')[0]).not.toBe(l1);
  });

  // Last in the file: the channel subscription is for the whole process, and from here on every
  // new server in this worker is taken over.
  it('installPingFastPath() takes over a server at its first request, which the fast path already serves; Next gets the rest', async () => {
    const c = await makeCheck('installed');
    const counter = { hits: 0 };
    const server = http.createServer(nextLike(counter));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      fast.installPingFastPath();
      fast.installPingFastPath(); // once per process
      const first = await send(port, `/ping/${c.uuid}`, { agent: new http.Agent() });
      expect([first.status, first.text, counter.hits]).toEqual([200, 'OK', 0]);
      expect(server.listeners('request')).toHaveLength(1);
      const options = await send(port, `/ping/${c.uuid}`, { method: 'OPTIONS', agent: new http.Agent() });
      expect([options.status, counter.hits]).toEqual([204, 1]);
      expect((await stored(c.id)).map((p) => p.kind)).toEqual(['success']);
    } finally {
      server.close();
    }
  });
});
