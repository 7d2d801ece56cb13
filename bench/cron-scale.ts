/**
 * Bench (issue 11): 10,000 cron checks with pings every minute.
 *
 * - Pings: POSTs through the real `/ping/<uuid>` route handler (defineRoute, rate limits, the
 *   check's row lock, the ping row, the evaluation and its compare-and-set) from `CONCURRENCY`
 *   clients for `SECONDS` seconds; then every ping sent is counted in the database ("nothing
 *   lost"). Reference, in the same run: the same number of bare single-row INSERTs into
 *   cron_pings at the same concurrency (the least a stored ping costs).
 * - With BENCH_HTTP=1 (after `npm run build`), the same pings over HTTP to a real `next start`
 *   on the same database (keep-alive clients; the server's own CPU is on the same two cores):
 *   first with the ping fast path (lib/server/ping-fast-path.ts, the default), then, as the
 *   reference in the same run, a server with STEWARD_PING_FAST_PATH=off (every ping through
 *   Next's router and the route handler); BENCH_HTTP_ROUNDS=N alternates the two N times.
 * - The alert loop's pass with nothing overdue and with 1 % overdue, and the checks page's query
 *   (listChecks, first page and a deep keyset page), p50 / p95 over repeated runs.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test [BENCH_HTTP=1 [BENCH_HTTP_TOOL=wrk]] npx tsx --conditions react-server bench/cron-scale.ts [checks=10000] [seconds=20] [concurrency=16]
 */
import crypto from 'node:crypto';
import { benchActors, pct, withFreshDatabase } from './support/fresh-db';
import { startNextServer } from './support/next-server';
import type { Db } from '@/lib/db/client';

const N = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 20);
const CONCURRENCY = Number(process.argv[4] ?? 16);
// One bench client is one source address: its bucket would refuse it; the per-check one stays on.
process.env.STEWARD_PING_RATE_PER_SOURCE = '0';

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main(): Promise<void> {
  const { GET: _g, POST } = await import('@/app/ping/[...path]/route');
  const { listChecks, runAlertPass } = await import('@/lib/services/cron');
  await withFreshDatabase(async (h, dbUrl) => {
    const g = globalThis as unknown as { __stewardDb?: Promise<unknown> };
    g.__stewardDb = Promise.resolve(h);
    const now = new Date();
    const HOUR = 3_600_000;
    const ids: { id: string; uuid: string }[] = Array.from({ length: N }, () => ({ id: crypto.randomUUID(), uuid: crypto.randomUUID() }));
    // Setup in bulk SQL: every check last pinged a minute ago, period 1 minute + 5 minutes grace
    // (nothing due), except the first 1 % whose deadline has passed.
    for (let i = 0; i < N; i += 1000) {
      await h.db.cronCheck.createMany({
        data: ids.slice(i, i + 1000).map((c, j) => {
          const k = i + j;
          const due = k < N / 100;
          return {
            id: c.id, uuid: c.uuid, name: `job-${String(k).padStart(5, '0')}`, type: 'ping', tags: [`team-${k % 20}`], scheduleKind: k % 2 ? 'period' : 'cron',
            periodSeconds: k % 2 ? 60 : null, cronExpression: k % 2 ? null : '* * * * *', timezone: k % 2 ? null : 'Europe/Riga', graceSeconds: 300,
            lastFinishAt: new Date(now.getTime() - (due ? HOUR : 60_000)), lastPingAt: new Date(now.getTime() - 60_000), lastPingKind: 'success', state: 'up',
            nextChangeAt: new Date(due ? now.getTime() - 1000 : now.getTime() + 4 * 60_000), createdAt: now, updatedAt: now,
          };
        }),
      });
    }
    await h.db.$executeRawUnsafe('ANALYZE');
    console.log(`${N.toLocaleString('en-US')} checks (half period, half cron in Europe/Riga); ${CONCURRENCY} concurrent clients, ${SECONDS} s per phase`);

    // Alert pass, nothing overdue (the first 1 % are overdue: take them out of the way first).
    const overdue = ids.slice(0, N / 100).map((c) => c.id);
    await h.db.cronCheck.updateMany({ where: { id: { in: overdue } }, data: { nextChangeAt: new Date(now.getTime() + HOUR) } });
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) idle.push((await timed(() => runAlertPass(h.db, new Date())))[0]);
    const busy: number[] = [];
    let flipped = 0;
    for (let i = 0; i < 10; i++) {
      await h.db.cronCheck.updateMany({ where: { id: { in: overdue } }, data: { state: 'up', downSince: null, lastFinishAt: new Date(Date.now() - HOUR), nextChangeAt: new Date(Date.now() - 1000) } });
      const [ms, r] = await timed(() => runAlertPass(h.db, new Date()));
      busy.push(ms);
      flipped += r.flipped;
    }
    console.log(`alert pass, nothing overdue: p50 ${pct(idle, 0.5).toFixed(1)} ms, p95 ${pct(idle, 0.95).toFixed(1)} ms`);
    console.log(`alert pass, 1 % overdue (${overdue.length} checks flip to down, with flips and outbox): p50 ${pct(busy, 0.5).toFixed(0)} ms, p95 ${pct(busy, 0.95).toFixed(0)} ms (${flipped} flips in ${busy.length} passes)`);

    // The checks page's query.
    const viewer = benchActors.cli;
    const first: number[] = [];
    const deep: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const [ms, r] = await timed(() => listChecks(h.db, viewer, { limit: 50 }, new Date()));
      first.push(ms);
      cursor = r.nextCursor;
    }
    for (let i = 0; i < 20 && cursor; i++) {
      const [ms, r] = await timed(() => listChecks(h.db, viewer, { limit: 50, cursor }, new Date()));
      deep.push(ms);
      cursor = r.nextCursor ?? cursor;
    }
    console.log(`checks page query (listChecks, 50 rows, counts and tags over ${N.toLocaleString('en-US')}): first page p50 ${pct(first, 0.5).toFixed(0)} ms, p95 ${pct(first, 0.95).toFixed(0)} ms; next pages p50 ${pct(deep, 0.5).toFixed(0)} ms, p95 ${pct(deep, 0.95).toFixed(0)} ms`);

    // Pings through the route handler.
    const before = await h.db.cronPing.count();
    let sent = 0;
    let bad = 0;
    const lat: number[] = [];
    const stopAt = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
      let k = w;
      while (performance.now() < stopAt) {
        const c = ids[(k = (k * 7919 + 104_729) % N)]!;
        const s = performance.now();
        const res = await POST(new Request(`http://bench/ping/${c.uuid}`, { method: 'POST', body: 'ok', headers: { 'user-agent': 'curl/8.5.0' } }), { params: Promise.resolve({ path: [c.uuid] }) });
        lat.push(performance.now() - s);
        if (res.status === 200) sent++;
        else bad++;
        await res.arrayBuffer();
      }
    }));
    const pingMs = performance.now() - t0;
    const stored = (await h.db.cronPing.count()) - before;
    const rate = sent / (pingMs / 1000);
    console.log(`pings through the route: ${sent.toLocaleString('en-US')} in ${(pingMs / 1000).toFixed(1)} s = ${rate.toFixed(0)} pings/s (latency p50 ${pct(lat, 0.5).toFixed(0)} ms, p95 ${pct(lat, 0.95).toFixed(0)} ms); ${bad} refused; stored ${stored.toLocaleString('en-US')} — ${stored === sent ? 'nothing lost' : `MISMATCH (${sent - stored} lost)`}`);

    // Reference: bare INSERTs of the same rows, same concurrency.
    let done = 0;
    const r0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let k = w; k < sent; k += CONCURRENCY) {
        const c = ids[(k * 7919) % N]!;
        await h.db.$executeRaw`INSERT INTO "cron_pings" ("checkId", "at", "kind", "method", "userAgent", "body") VALUES (${c.id}, ${new Date()}, 'success', 'POST', 'curl/8.5.0', ${Buffer.from('ok')})`;
        done++;
      }
    }));
    const refMs = performance.now() - r0;
    const refRate = done / (refMs / 1000);
    console.log(`reference, bare single-row INSERTs: ${done.toLocaleString('en-US')} in ${(refMs / 1000).toFixed(1)} s = ${refRate.toFixed(0)} inserts/s`);
    console.log(`ratio: a ping costs ${(refRate / rate).toFixed(2)}x a bare insert`);
    if (process.env.BENCH_HTTP) {
      await pagesOverHttp(dbUrl, h.db, ids);
      for (let round = 0; round < Number(process.env.BENCH_HTTP_ROUNDS ?? 1); round++) {
        for (const fastPath of ['on', 'off'] as const) await overHttp(dbUrl, ids, h, fastPath);
      }
    }
    g.__stewardDb = undefined;
  });
}

/**
 * The Cron pages' server time over HTTP, rendered by a real `next start` for a signed-in viewer:
 * the list's first page, the list filtered to down checks, a later page, and one check's page.
 * Timed from request to the last byte of the HTML on localhost, after three warm-up loads each.
 */
async function pagesOverHttp(dbUrl: string, db: Db, ids: { id: string; uuid: string }[]): Promise<void> {
  const { createUser } = await import('@/lib/services/users');
  const server = await startNextServer(dbUrl, 3990, { STEWARD_LOGIN_MAX_ATTEMPTS: '1000' });
  try {
    const base = server.base;
    const email = `bench-${crypto.randomBytes(3).toString('hex')}@bench.test`;
    await createUser(db, benchActors.cli, { email, name: 'bench viewer', password: 'bench-viewer-password', role: 'viewer' });
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email, password: 'bench-viewer-password' }) });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const load = async (url: string) => {
      const s = performance.now();
      const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
      return [performance.now() - s, html] as const;
    };
    const [, firstHtml] = await load('/cron');
    const next = /href="(\/cron\?[^"]*cursor=[^"]+)"/.exec(firstHtml)?.[1]?.replace(/&amp;/g, '&');
    const pages: [string, string][] = [['/cron (first page of 50)', '/cron'], ['/cron?state=down', '/cron?state=down'], ...(next ? [['/cron, next page', next] as [string, string]] : []), ['/cron/<id> (a check page)', `/cron/${ids[500]!.id}`]];
    console.log(`--- Cron pages over HTTP (next start, a signed-in viewer, ${ids.length.toLocaleString('en-US')} checks; request to last byte)`);
    for (const [label, url] of pages) {
      for (let i = 0; i < 3; i++) await load(url);
      const times: number[] = [];
      for (let i = 0; i < 20; i++) times.push((await load(url))[0]);
      console.log(`   ${label.padEnd(30)} p50 ${pct(times, 0.5).toFixed(0).padStart(4)} ms   p95 ${pct(times, 0.95).toFixed(0).padStart(4)} ms`);
    }
  } finally {
    server.stop();
    for (let i = 0; i < 100 && (await fetch(`${server.base}/api/health`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/** The same pings over HTTP to a real server (next start, worker off) on the bench database. */
async function overHttp(dbUrl: string, ids: { id: string; uuid: string }[], h: { db: { cronPing: { count: () => Promise<number> } } }, fastPath: 'on' | 'off'): Promise<void> {
  // BENCH_SERVER_NODE_OPTIONS goes to the server as NODE_OPTIONS; a CPU profile of the server:
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses those).
  console.log(`--- over HTTP, ping fast path ${fastPath}${fastPath === 'off' ? ' (every ping through Next\'s router and the route handler)' : ''}`);
  const server = await startNextServer(dbUrl, 3990, { STEWARD_PING_RATE_PER_SOURCE: '0', STEWARD_PING_FAST_PATH: fastPath, ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
  try {
    const base = server.base;
    // Warm-up: the first requests compile nothing, but load the route's modules.
    for (let i = 0; i < 50; i++) await (await fetch(`${base}/ping/${ids[i]!.uuid}`, { method: 'POST', body: 'warm' })).arrayBuffer();
    if (process.env.BENCH_HTTP_TOOL === 'wrk') {
      await withWrk(base, ids, h);
      return;
    }
    const before = await h.db.cronPing.count();
    let sent = 0;
    let bad = 0;
    const lat: number[] = [];
    const stopAt = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
      let k = w + 100;
      while (performance.now() < stopAt) {
        const c = ids[(k = (k * 7919 + 104_729) % ids.length)]!;
        const s = performance.now();
        const res = await fetch(`${base}/ping/${c.uuid}`, { method: 'POST', body: 'ok', headers: { 'user-agent': 'curl/8.5.0' } });
        await res.arrayBuffer();
        lat.push(performance.now() - s);
        if (res.status === 200) sent++;
        else bad++;
      }
    }));
    const ms = performance.now() - t0;
    const stored = (await h.db.cronPing.count()) - before;
    // Reference on the same server: GET /api/health (one SELECT 1), the floor of a route that
    // touches the database, at the same concurrency for the same time.
    let healthy = 0;
    const hStop = performance.now() + SECONDS * 1000;
    const h0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < hStop) {
        const res = await fetch(`${base}/api/health`);
        await res.arrayBuffer();
        if (res.ok) healthy++;
      }
    }));
    const healthRate = healthy / ((performance.now() - h0) / 1000);
    console.log(`reference over HTTP, GET /api/health (one SELECT 1): ${healthRate.toFixed(0)} requests/s; a ping costs ${(healthRate / (sent / (ms / 1000))).toFixed(2)}x a health check`);
    console.log(`pings over HTTP (next start, ${CONCURRENCY} keep-alive clients): ${sent.toLocaleString('en-US')} in ${(ms / 1000).toFixed(1)} s = ${(sent / (ms / 1000)).toFixed(0)} pings/s (latency p50 ${pct(lat, 0.5).toFixed(0)} ms, p95 ${pct(lat, 0.95).toFixed(0)} ms); ${bad} refused; stored ${stored.toLocaleString('en-US')} — ${stored === sent ? 'nothing lost' : `MISMATCH (${sent - stored} lost)`}`);
  } finally {
    server.stop();
    // The next round starts a server on the same port: wait until this one has let it go.
    for (let i = 0; i < 100 && (await fetch(`${server.base}/api/health`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * BENCH_HTTP_TOOL=wrk: the load from wrk (C, one thread per core it is given: `apt-get install
 * wrk`) instead of Node fetch clients, which take much of the two cores from the server they
 * measure. Same pings (POST /ping/<uuid>, body "ok", curl's user agent, the checks in a spread
 * order), same concurrency; then /api/health the same way; every 200 counted in the database.
 */
async function withWrk(base: string, ids: { uuid: string }[], h: { db: { cronPing: { count: () => Promise<number> } } }): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cron-bench-'));
  fs.writeFileSync(path.join(dir, 'uuids.txt'), ids.slice(100).map((c) => c.uuid).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'ping.lua'), `
local uuids = {}
for line in io.lines("${path.join(dir, 'uuids.txt')}") do uuids[#uuids + 1] = line end
local n, threads = 0, {}
function setup(thread) thread:set("tid", #threads); table.insert(threads, thread) end
function init() n = tid * 1000003 end
request = function()
  n = n + 1
  return wrk.format("POST", "/ping/" .. uuids[(n * 7919) % #uuids + 1], { ["User-Agent"] = "curl/8.5.0", ["Content-Type"] = "text/plain" }, "ok")
end
ok = 0
response = function(status) if status == 200 then ok = ok + 1 end end
done = function(summary, latency)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("ok") end
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f\\n", summary.requests, total, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
`);
  const threads = String(Math.min(2, CONCURRENCY));
  const run = (args: string[]) => execFileSync('wrk', ['-t', threads, '-c', String(CONCURRENCY), '-d', `${SECONDS}s`, ...args], { encoding: 'utf8' });
  const before = await h.db.cronPing.count();
  const out = run(['-s', path.join(dir, 'ping.lua'), base]);
  const [, total, ok, secs, p50, p95] = /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(out)!.map(Number);
  // wrk stops at the deadline with requests in flight; the server finishes (and stores) them.
  await new Promise((r) => setTimeout(r, 2000));
  const stored = (await h.db.cronPing.count()) - before;
  const health = run([`${base}/api/health`]);
  const healthRate = Number(/Requests\/sec:\s+([\d.]+)/.exec(health)![1]);
  const rate = ok! / secs!;
  console.log(`reference over HTTP (wrk), GET /api/health (one SELECT 1): ${healthRate.toFixed(0)} requests/s; a ping costs ${(healthRate / rate).toFixed(2)}x a health check`);
  console.log(`pings over HTTP (next start, wrk -t${threads} -c${CONCURRENCY}): ${ok!.toLocaleString('en-US')} answered 200 of ${total!.toLocaleString('en-US')} in ${secs!.toFixed(1)} s = ${rate.toFixed(0)} pings/s (latency p50 ${p50!.toFixed(0)} ms, p95 ${p95!.toFixed(0)} ms); ${total! - ok!} refused; stored ${stored.toLocaleString('en-US')} — ${stored >= ok! && stored <= total! + CONCURRENCY ? 'nothing lost' : `MISMATCH (${ok! - stored} lost)`}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
