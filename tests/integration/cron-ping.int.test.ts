/**
 * The public ping endpoint through its real route handler (app/ping/[...path]/route.ts), as curl
 * would call it: every Healthchecks URL form, any method, run ids pairing overlapping runs, the
 * body limit and its header, `?create=1`, the rate limits (429 with Retry-After), hostile paths
 * and bodies (never a 500), a paused check resumed, down → up with its flip and `cron.up` in the
 * outbox, and the ping log pruned to the newest N.
 */
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
process.env.STEWARD_PING_BODY_LIMIT = '64';
process.env.STEWARD_PINGS_KEPT = '10';
import crypto from 'node:crypto';
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
const { createChannel } = await import('@/lib/services/notifications/channels');
const { createRule } = await import('@/lib/services/notifications/rules');

let x: Harness;
const cli: Actor = { type: 'cli', id: null, label: 'cli:cron-ping', origin: 'cli' };
type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `curl -X <method> <BASE>/ping/<path>` through the route; returns status, text and headers. */
async function curl(path: string, opts: { method?: Method; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const method = opts.method ?? 'GET';
  const url = new URL(`${BASE}/ping/${path}`);
  const segments = url.pathname.slice('/ping/'.length).split('/').filter(Boolean).map(decodeURIComponent);
  const handler = route[method] as (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
  const init = { method, headers: { 'user-agent': 'curl/8.5.0', ...opts.headers }, body: opts.body, ...(opts.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit;
  const res = await handler(new Request(url, init), { params: Promise.resolve({ path: segments }) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const makeCheck = async (name: string, over: Partial<Parameters<typeof cron.createCheck>[2]> = {}) =>
  cron.createCheck(x.h.db, cli, { name, type: 'ping', schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 }, ...over }, new Date());
const pings = (checkId: string) => x.h.db.cronPing.findMany({ where: { checkId }, orderBy: { id: 'asc' } });
const row = (id: string) => x.h.db.cronCheck.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  resetCronSettings();
  x = await startHarness();
  const channel = await createChannel(x.h.db, cli, { type: 'webhook', name: 'cron-hook', url: 'http://127.0.0.1:9/cron' });
  await createRule(x.h.db, cli, { channelId: channel.id, kinds: ['cron.*'] });
});
afterAll(async () => {
  await x?.close();
  for (const k of ['STEWARD_PING_BODY_LIMIT', 'STEWARD_PINGS_KEPT', 'STEWARD_PING_RATE_PER_CHECK', 'STEWARD_PING_RATE_PER_SOURCE']) delete process.env[k];
  resetCronSettings();
});

describe('ping URLs by uuid', () => {
  it('/ping/<uuid> with any method is 200 text/plain "OK" and the check is up; the ping keeps method, user agent and body', async () => {
    const c = await makeCheck('backup');
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const r = await curl(c.uuid, { method, body: method === 'GET' ? undefined : `hello from ${method}` });
      expect([r.status, r.text, r.headers.get('content-type'), r.headers.get('ping-body-limit')]).toEqual([200, 'OK', 'text/plain; charset=utf-8', '64']);
    }
    const head = await curl(c.uuid, { method: 'HEAD' });
    expect([head.status, head.text, head.headers.get('ping-body-limit')]).toEqual([200, '', '64']);
    const log = await pings(c.id);
    expect(log.map((p) => [p.method, p.kind])).toEqual([['GET', 'success'], ['POST', 'success'], ['PUT', 'success'], ['PATCH', 'success'], ['DELETE', 'success'], ['HEAD', 'success']]);
    expect(log[1]!.userAgent).toBe('curl/8.5.0');
    expect(Buffer.from(log[1]!.body!).toString()).toBe('hello from POST');
    expect(log[0]!.body).toBeNull();
    const d = await cron.getCheck(x.h.db, cli, c.id, new Date());
    expect(d.state).toBe('up');
    expect(d.pings[0]!.body).toBeNull();
    expect(d.pings.find((p) => p.method === 'POST')!.body).toBe('hello from POST');
  });

  it('/start, /fail, /log and /<exit status>: started, failures counted, down after the threshold; 0 is a success; 256 is 400', async () => {
    const c = await makeCheck('etl', { failureThreshold: 2 });
    expect((await curl(`${c.uuid}/start`)).text).toBe('OK');
    expect((await row(c.id)).state).toBe('started');
    expect((await curl(`${c.uuid}/log`, { method: 'POST', body: 'step 1 of 3' })).status).toBe(200);
    expect((await row(c.id)).state).toBe('started');
    await curl(`${c.uuid}/1`);
    expect((await row(c.id)).consecutiveFailures).toBe(1);
    await curl(`${c.uuid}/fail`);
    expect((await row(c.id)).state).toBe('down');
    await curl(`${c.uuid}/0`);
    expect(await row(c.id)).toMatchObject({ state: 'up', consecutiveFailures: 0 });
    const r = await curl(`${c.uuid}/256`);
    expect(r.status).toBe(400);
    expect(r.headers.get('ping-body-limit')).toBe('64');
    expect((await pings(c.id)).map((p) => `${p.kind}:${p.exitStatus ?? '-'}`)).toEqual(['start:-', 'log:-', 'fail:1', 'fail:-', 'success:0']);
  });

  it('an unknown uuid is 404 "not found"; malformed paths are 400 or 404, never 500', async () => {
    const r = await curl(crypto.randomUUID());
    expect([r.status, r.text]).toEqual([404, 'not found']);
    for (const path of ['', 'not-a-uuid', `${crypto.randomUUID()}/nope`, `${crypto.randomUUID()}/start/extra`, '%00', `${'a'.repeat(500)}`, 'x/y/z/w', '..%2F..%2Fetc%2Fpasswd', `${crypto.randomUUID()}/-1`, `${crypto.randomUUID()}/1e2`]) {
      const res = await curl(path);
      expect([400, 404], `${path}: ${res.status} ${res.text}`).toContain(res.status);
      expect(res.headers.get('ping-body-limit')).toBe('64');
    }
    const nul = await curl(`${crypto.randomUUID()}?rid=a%00b`);
    expect(nul.status).toBe(400);
  });
});

describe('ping URLs by ping key and slug', () => {
  it('/ping/<key>/<slug> pings, ?create=1 creates (201 "Created", period 1 d, grace 1 h) once, unknown key or slug is 404', async () => {
    const key = await cron.createPingKey(x.h.db, cli, 'ops', new Date());
    expect(key.key).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect((await curl(`${key.key}/nightly-report`)).status).toBe(404);
    const created = await curl(`${key.key}/nightly-report?create=1`);
    expect([created.status, created.text]).toEqual([201, 'Created']);
    const c = await x.h.db.cronCheck.findUniqueOrThrow({ where: { name: 'nightly-report' } });
    expect(c).toMatchObject({ slug: 'nightly-report', pingKeyId: key.id, scheduleKind: 'period', periodSeconds: 86_400, graceSeconds: 3_600, state: 'up' });
    expect((await curl(`${key.key}/nightly-report?create=1`)).status).toBe(200);
    expect((await curl(`${key.key}/nightly-report/start`)).status).toBe(200);
    expect((await row(c.id)).state).toBe('started');
    expect((await curl(`${key.key}/nightly-report/0`)).status).toBe(200);
    expect((await curl(`${key.key}/nightly-report/fail`)).status).toBe(200);
    expect((await curl(`${'x'.repeat(22)}/nightly-report?create=1`)).status).toBe(404);
    expect((await pings(c.id)).map((p) => p.kind)).toEqual(['success', 'success', 'start', 'success', 'fail']);
    const bad = await curl(`${key.key}/Bad%20Slug!?create=1`);
    expect([400, 404]).toContain(bad.status);
    expect(await x.h.db.cronCheck.count({ where: { pingKeyId: key.id } })).toBe(1);
  });

  it('concurrent ?create=1 for one slug make one check', async () => {
    const key = await cron.createPingKey(x.h.db, cli, 'race', new Date());
    const rs = await Promise.all(Array.from({ length: 6 }, () => curl(`${key.key}/race-slug?create=1`)));
    expect(rs.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(rs.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const checks = await x.h.db.cronCheck.findMany({ where: { pingKeyId: key.id } });
    expect(checks.length).toBe(1);
    expect(await x.h.db.cronPing.count({ where: { checkId: checks[0]!.id } })).toBe(6);
  });
});

describe('run ids', () => {
  it('overlapping runs pair by rid: each finish gets its own start\'s duration; without rid the newest start', async () => {
    // The route reads the wall clock: only Date is faked (timers and I/O stay real), so the
    // durations are exact whatever the machine's load.
    const t0 = Date.now();
    const at = (ms: number) => vi.setSystemTime(t0 + ms);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      at(0);
      const c = await makeCheck('overlap');
      const a = crypto.randomUUID(), b = crypto.randomUUID();
      at(1_000);
      await curl(`${c.uuid}/start?rid=${a}`);
      at(31_000);
      await curl(`${c.uuid}/start?rid=${b}`);
      at(61_000);
      await curl(`${c.uuid}?rid=${a}`); // a finishes first, while b (the newest start) still runs
      // The engine counts a start as open only when no finish came after it (lib/engine/cron/state.ts).
      expect(await row(c.id)).toMatchObject({ state: 'up', openStartAt: expect.any(Date) });
      at(66_000);
      await curl(`${c.uuid}/fail?rid=${b}`);
      expect(await row(c.id)).toMatchObject({ state: 'down', openStartAt: null, openStarts: {} }); // failure threshold 1
      const log = await pings(c.id);
      expect(log.find((p) => p.rid === a && p.kind === 'success')!.durationSeconds).toBe(60);
      expect(log.find((p) => p.rid === b && p.kind === 'fail')!.durationSeconds).toBe(35);
      const d = await cron.getCheck(x.h.db, cli, c.id, new Date());
      expect(d.runs.map((r) => [r.rid, r.outcome])).toEqual(expect.arrayContaining([[a, 'success'], [b, 'fail']]));
      // No rid: the newest start.
      at(70_000);
      await curl(`${c.uuid}/start`);
      at(72_500);
      await curl(`${c.uuid}/0`);
      expect((await pings(c.id)).at(-1)!.durationSeconds).toBe(2.5);
      expect(await row(c.id)).toMatchObject({ state: 'up', openStarts: {} });
      // A finish whose rid never started has no duration.
      at(80_000);
      await curl(`${c.uuid}?rid=${crypto.randomUUID()}`);
      expect((await pings(c.id)).at(-1)!.durationSeconds).toBeNull();
      expect((await curl(`${c.uuid}?rid=not-a-uuid`)).status).toBe(400);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('bodies', () => {
  it('a body over the limit is stored truncated to the limit and flagged, never refused (chunked or not)', async () => {
    const c = await makeCheck('logs');
    const big = 'x'.repeat(70) + 'TAIL';
    const r = await curl(c.uuid, { method: 'POST', body: big });
    expect([r.status, r.text, r.headers.get('ping-body-limit')]).toEqual([200, 'OK', '64']);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 50; i++) ctl.enqueue(new TextEncoder().encode('0123456789'));
        ctl.close();
      },
    });
    expect((await curl(`${c.uuid}/log`, { method: 'PUT', body: stream })).status).toBe(200);
    const exact = 'y'.repeat(64);
    await curl(`${c.uuid}/log`, { method: 'POST', body: exact });
    const binary = new Uint8Array([0, 255, 254, 0, 10]);
    await curl(`${c.uuid}/log`, { method: 'POST', body: binary });
    const log = await pings(c.id);
    expect(log.map((p) => [p.body?.byteLength ?? 0, p.bodyTruncated])).toEqual([[64, true], [64, true], [64, false], [5, false]]);
    expect(Buffer.from(log[0]!.body!).toString()).toBe('x'.repeat(64));
    expect(Array.from(log[3]!.body!)).toEqual([0, 255, 254, 0, 10]);
    const d = await cron.getCheck(x.h.db, cli, c.id, new Date());
    expect(typeof d.pings[0]!.body).toBe('string'); // invalid UTF-8 is shown, never thrown
  });
});

describe('pause, flips and notifications', () => {
  it('a ping resumes a paused check; a check that went down flips back up with cron.up in the outbox', async () => {
    const c = await makeCheck('resume-me', { schedule: { kind: 'period', periodSeconds: 60, graceSeconds: 60 } });
    await curl(c.uuid);
    await cron.setCheckPaused(x.h.db, cli, c.id, true, new Date());
    expect((await row(c.id)).state).toBe('paused');
    await curl(c.uuid);
    expect(await row(c.id)).toMatchObject({ paused: false, state: 'up' });
    // Its last ping was an hour ago: the alert loop turns it down and announces it.
    const hourAgo = new Date(Date.now() - 3_600_000);
    await x.h.db.cronCheck.update({ where: { id: c.id }, data: { lastFinishAt: hourAgo, nextChangeAt: hourAgo } });
    await cron.runAlertPass(x.h.db, new Date());
    expect((await row(c.id)).state).toBe('down');
    await curl(c.uuid);
    expect(await row(c.id)).toMatchObject({ state: 'up', downSince: null });
    const flips = await x.h.db.cronFlip.findMany({ where: { checkId: c.id }, orderBy: { id: 'asc' } });
    expect(flips.map((f) => `${f.from}>${f.to}`)).toEqual(['up>paused', 'paused>up', 'up>down', 'down>up']);
    const deliveries = await x.h.db.notificationDelivery.findMany({ where: { subjectId: c.id }, orderBy: { createdAt: 'asc' } });
    expect(deliveries.map((d) => d.kind)).toEqual(['cron.down', 'cron.up']);
    expect(deliveries.map((d) => d.eventId).sort()).toEqual(flips.flatMap((f) => (f.eventId ? [f.eventId] : [])).sort());
    const payload = deliveries[1]!.payload as { subject: { type: string; id: string }; url: string };
    expect(payload.subject).toMatchObject({ type: 'check', id: c.id });
    expect(payload.url).toBe(`${BASE}/cron/${c.id}`);
    const d = await cron.getCheck(x.h.db, cli, c.id, new Date());
    expect(d.notifications.map((n) => n.kind).sort()).toEqual(['cron.down', 'cron.up']);
  });

  it('a freshness check cannot be pinged (409)', async () => {
    const f = await cron.createCheck(x.h.db, cli, { name: 'artifact', type: 'freshness', schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 0 }, artifactPath: 'reports/x.json', maxAgeSeconds: 3600 }, new Date());
    expect((await curl(f.uuid)).status).toBe(409);
  });
});

describe('limits', () => {
  it('keeps the newest STEWARD_PINGS_KEPT pings per check (pruned every 100th ping)', async () => {
    process.env.STEWARD_PING_RATE_PER_CHECK = '0';
    resetCronSettings();
    const c = await makeCheck('chatty');
    for (let i = 0; i < 99; i++) await curl(`${c.uuid}/log`, { method: 'POST', body: String(i) });
    expect(await x.h.db.cronPing.count({ where: { checkId: c.id } })).toBe(99);
    await curl(`${c.uuid}/log`, { method: 'POST', body: '99' });
    const left = await pings(c.id);
    expect(left.map((p) => Buffer.from(p.body!).toString())).toEqual(['90', '91', '92', '93', '94', '95', '96', '97', '98', '99']);
  });

  it('per check: beyond the limit in a minute is 429 "rate limited" with Retry-After, and nothing is stored', async () => {
    process.env.STEWARD_PING_RATE_PER_CHECK = '5';
    resetCronSettings();
    const c = await makeCheck('flood');
    const rs = [];
    for (let i = 0; i < 8; i++) rs.push(await curl(c.uuid));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(rs[5]!.text).toBe('rate limited');
    expect(Number(rs[5]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rs[5]!.headers.get('ping-body-limit')).toBe('64');
    expect(await x.h.db.cronPing.count({ where: { checkId: c.id } })).toBe(5);
    // Another check is not affected.
    expect((await curl((await makeCheck('calm')).uuid)).status).toBe(200);
  });

  it('per source address (the TCP peer; a forged X-Forwarded-For is ignored without trusted proxies)', async () => {
    process.env.STEWARD_PING_RATE_PER_CHECK = '0';
    process.env.STEWARD_PING_RATE_PER_SOURCE = '3';
    resetCronSettings();
    // What instrumentation's peer hook would set (lib/auth/peer-address.ts).
    (globalThis as unknown as { __stewardPeerNonce?: string }).__stewardPeerNonce = 'test-nonce';
    const c = await makeCheck('per-source');
    const from = (ip: string, forged?: string) => curl(c.uuid, { headers: { 'x-steward-peer': `test-nonce ${ip}`, ...(forged ? { 'x-forwarded-for': forged } : {}) } });
    const rs = [];
    for (let i = 0; i < 5; i++) rs.push((await from('10.1.2.3', `192.0.2.${i}`)).status);
    expect(rs).toEqual([200, 200, 200, 429, 429]);
    expect((await from('10.9.9.9')).status).toBe(200);
    const stored = await pings(c.id);
    expect(new Set(stored.map((p) => p.sourceAddress))).toEqual(new Set(['10.1.2.3', '10.9.9.9']));
    delete (globalThis as unknown as { __stewardPeerNonce?: string }).__stewardPeerNonce;
    delete process.env.STEWARD_PING_RATE_PER_SOURCE;
    resetCronSettings();
  });

  it('OPTIONS is a CORS preflight, not a ping', async () => {
    const res = await route.OPTIONS();
    expect([res.status, res.headers.get('access-control-allow-origin'), res.headers.get('ping-body-limit')]).toEqual([204, '*', '64']);
  });
});
