/**
 * Bench: one JUnit file of N cases (default 100,000; 3 % failing, 2 % flaky with a retry, 1 %
 * skipped) ingested end to end as the API does it (a streamed request body → uploadRequest →
 * ingestResults: parse, upload row, test upsert, results, daily aggregate, policy evaluation) into
 * PostgreSQL, against psql `\copy` of the same test and result rows into the same tables, measured
 * in the same run on the same database. Prints cases/s, the ratio to COPY and peak RSS.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/flaky-ingest.ts [cases=100000]
 *
 * The auth wrapper (one token lookup) is left out: it is per request, not per case. A fresh
 * database is created and dropped for the run.
 *
 * BENCH_HTTP=1 (after `npm run build`): the file is uploaded instead to a real `next start` (worker
 * off) as CI does it, `POST /api/v1/test-results` with an ingest token, streamed from disk; the
 * peak RSS reported is then the server process's own (VmHWM, reset after a warm-up upload), not
 * the bench's. BENCH_SERVER_NODE_OPTIONS is passed to the server as NODE_OPTIONS (e.g.
 * `--max-old-space-size=160`). BENCH_RSS_TRACE=<file>: the server's VmRSS and VmHWM every 100 ms
 * during the upload, with what the bench database is running at that moment (from
 * pg_stat_activity), as tab-separated lines — to see which phase the peak is in.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { openDatabase } from '@/lib/db/client';
import { makeIdentity } from '@/lib/engine/flaky/junit';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { uploadRequest } from '@/lib/services/flaky/upload-request';
import { createToken } from '@/lib/services/tokens';
import { startNextServer } from './support/next-server';

const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const n = Number(process.argv[2] ?? 100_000);

function xml(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'];
  for (let s = 0; s < n / 100; s++) {
    lines.push(`<testsuite name="pkg${s}" tests="100">\n`);
    for (let i = 0; i < 100; i++) {
      const k = s * 100 + i;
      const attrs = `classname="com.acme.pkg${s}.Suite${i % 7}Test" name="test_case_${k}[param-${k % 13}]" time="0.${(k % 997).toString().padStart(3, '0')}"`;
      if (k % 100 < 3) lines.push(`<testcase ${attrs}><failure message="expected 200 but was 500" type="AssertionError">at com.acme.Suite.test(Suite.java:${k % 400})</failure></testcase>\n`);
      else if (k % 100 < 5) lines.push(`<testcase ${attrs}><flakyFailure message="timeout after 30s" type="TimeoutException"/></testcase>\n`);
      else if (k % 100 < 6) lines.push(`<testcase ${attrs}><skipped/></testcase>\n`);
      else lines.push(`<testcase ${attrs}/>\n`);
    }
    lines.push('</testsuite>\n');
    if (lines.length > 2000) out.write(lines.splice(0).join(''));
  }
  lines.push('</testsuites>\n');
  return new Promise((resolve, reject) => out.on('error', reject).end(lines.join(''), resolve));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flaky-'));
  const file = path.join(dir, 'junit.xml');
  // Wait for the writer to finish: a large file is still being flushed long after the last write.
  await xml(file);
  const bytes = fs.statSync(file).size;
  const name = `steward_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const h = await openDatabase({ url: url.toString(), poolSize: 4 });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const cli = { type: 'cli' as const, id: null, label: 'cli:bench', origin: 'cli' as const };
    await createProject(h.db, cli, { key: 'bench', name: 'bench' });
    const p2 = await createProject(h.db, cli, { key: 'copy', name: 'copy' });
    const heapLimit = (await import('node:v8')).getHeapStatistics().heap_size_limit;

    // Steward: the request body is streamed from the file, as a CI upload arrives.
    const { ms: steward, stored, evaluated, peakIngest, base0 } = process.env.BENCH_HTTP ? await overHttp(h.db, url.toString(), file) : await inProcess(h.db, file, () => peak);
    if (stored !== n) throw new Error(`stored ${stored} results, expected ${n}`);
    console.log(`steward ingest${process.env.BENCH_HTTP ? ' over HTTP' : ''}: ${(steward / 1000).toFixed(2)} s, peak RSS of the ${process.env.BENCH_HTTP ? 'server' : 'bench'} process during it ${(peakIngest / 1048576).toFixed(0)} MiB (before ${(base0 / 1048576).toFixed(0)} MiB)`);

    // Reference: \copy of the same rows (tests, then results) for another project.
    const upload = crypto.randomUUID();
    await h.db.$executeRawUnsafe(`INSERT INTO "test_uploads" ("id","projectId","fileName","format","producer","dedupeKey","startedAt","receivedAt","uploadedBy","tests","passed","failed","errors","skipped","flaky","attempts") VALUES ($1,$2,'x','junit','x','x',now(),now(),'x',0,0,0,0,0,0,0)`, upload, p2.id);
    const testsCsv = path.join(dir, 'tests.csv');
    const resultsCsv = path.join(dir, 'results.csv');
    const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
    // Written as generated, in blocks: the rows of a 2-million-case file do not fit in one string,
    // and holding them all would make this reference, not the ingest, the process's peak.
    const now = new Date().toISOString();
    const tfd = fs.openSync(testsCsv, 'w');
    const rfd = fs.openSync(resultsCsv, 'w');
    let tl: string[] = [];
    let rl: string[] = [];
    for (let k = 0; k < n; k++) {
      const s = Math.floor(k / 100);
      const id = makeIdentity({ suites: [`pkg${s}`], classname: `com.acme.pkg${s}.Suite${(k % 100) % 7}Test`, name: `test_case_${k}[param-${k % 13}]`, file: null });
      const tid = crypto.randomUUID();
      tl.push([tid, p2.id, q(id.key), q(id.suite), q(id.classname), q(id.name), '', now, now].join(','));
      const o = k % 100 < 3 ? 'failed' : k % 100 < 5 ? 'flaky' : k % 100 < 6 ? 'skipped' : 'passed';
      rl.push([p2.id, tid, upload, now, 'abc', 'main', '', '1', o, o === 'flaky' ? 2 : 1, o === 'failed' || o === 'flaky' ? 1 : 0, k % 997, 0, o === 'failed' ? q('expected 200 but was 500') : '', 'f', 'f'].join(','));
      if (tl.length === 50_000 || k === n - 1) {
        fs.writeSync(tfd, `${tl.join('\n')}\n`);
        fs.writeSync(rfd, `${rl.join('\n')}\n`);
        tl = [];
        rl = [];
      }
    }
    fs.closeSync(tfd);
    fs.closeSync(rfd);
    const c0 = performance.now();
    for (const [table, cols, csv] of [
      ['tests', '"id","projectId","key","suite","classname","name","file","firstSeenAt","lastSeenAt"', testsCsv],
      ['test_results', '"projectId","testId","uploadId","at","commit","branch","variant","runKey","outcome","attempts","failedAttempts","durationMs","retryMs","message","infra","synthetic"', resultsCsv],
    ] as const) {
      const p = spawnSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy "${table}" (${cols}) FROM '${csv}' WITH (FORMAT csv)`], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`psql: ${p.stderr}`);
    }
    const copy = performance.now() - c0;

    console.log(`file: ${n.toLocaleString('en-US')} cases, ${(bytes / 1048576).toFixed(1)} MiB`);
    console.log(`steward ingest (stream → parse → store → evaluate): ${(steward / 1000).toFixed(2)} s = ${Math.round(n / (steward / 1000)).toLocaleString('en-US')} cases/s`);
    console.log(`psql \\copy of the same rows:                        ${(copy / 1000).toFixed(2)} s (from prepared CSV, psql start included)`);
    console.log(`ratio steward / copy: ${(steward / copy).toFixed(2)}x`);
    console.log(process.env.BENCH_HTTP
      ? `peak RSS of the server during the upload ${(peakIngest / 1048576).toFixed(0)} MiB (before it ${(base0 / 1048576).toFixed(0)} MiB, NODE_OPTIONS "${process.env.BENCH_SERVER_NODE_OPTIONS ?? ''}"); evaluated ${evaluated} tests`
      : `peak RSS during the ingest ${(peakIngest / 1048576).toFixed(0)} MiB (before it ${(base0 / 1048576).toFixed(0)} MiB, V8 heap limit ${(heapLimit / 1048576).toFixed(0)} MiB); evaluated ${evaluated} tests`);
  } finally {
    clearInterval(sampler);
    await h.close();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured { ms: number; stored: number; evaluated: number; peakIngest: number; base0: number }
type Db = Awaited<ReturnType<typeof openDatabase>>['db'];
const total = (t: { passed: number; failed: number; errors: number; skipped: number; flaky: number }) => t.passed + t.failed + t.errors + t.skipped + t.flaky;

async function inProcess(db: Db, file: string, peak: () => number): Promise<Measured> {
  const actor = { type: 'token' as const, id: 'bench', label: 'token:bench', scopes: ['ingest' as const], origin: null };
  const base0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const body = Readable.toWeb(fs.createReadStream(file, { highWaterMark: 1 << 16 })) as ReadableStream<Uint8Array>;
  const req = new Request('http://bench/api/v1/test-results?project=bench&commit=abc&branch=main&run_id=1', { method: 'POST', body, headers: { 'content-type': 'application/xml' }, duplex: 'half' } as RequestInit);
  const r = await ingestResults(db, actor, await uploadRequest(req), { now: new Date() });
  return { ms: performance.now() - t0, stored: total(r.totals), evaluated: r.evaluation.evaluated, peakIngest: peak(), base0 };
}

/** The same file through the API of a real server, streamed from disk; the server's own memory. */
async function overHttp(db: Db, dbUrl: string, file: string): Promise<Measured> {
  const cli = { type: 'cli' as const, id: null, label: 'cli:bench', origin: 'cli' as const };
  const { secret } = await createToken(db, cli, { name: 'bench-ingest', scopes: ['ingest'] });
  const env: Record<string, string> = process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {};
  const server = await startNextServer(dbUrl, 3992, env);
  try {
    // node:http, not fetch: fetch gives up on a response that takes over 300 s (undici's headers
    // timeout), and a 2-million-case upload is stored in about that long.
    const post = (q: string, body: string | fs.ReadStream) =>
      new Promise<{ totals: Parameters<typeof total>[0]; evaluation: { evaluated: number } }>((resolve, reject) => {
        const req = http.request(`${server.base}/api/v1/test-results?project=bench&commit=${q}&branch=main&run_id=${q}`, {
          method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/xml' },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('error', reject).on('end', () => {
            if (res.statusCode !== 201) return reject(new Error(`upload answered ${res.statusCode}: ${text.slice(0, 500)}`));
            resolve(JSON.parse(text));
          });
        });
        req.on('error', reject);
        if (typeof body === 'string') req.end(body);
        else body.pipe(req);
      });
    // Warm-up: a small upload loads the route's modules, as on a server that has been running.
    await post('warm', '<testsuite name="warm"><testcase classname="w" name="w"/></testsuite>');
    const base0 = server.rss();
    server.resetPeak();
    const t0 = performance.now();
    const trace = process.env.BENCH_RSS_TRACE ? await traceServer(server.pid, dbUrl, process.env.BENCH_RSS_TRACE) : null;
    const r = await post('abc', fs.createReadStream(file, { highWaterMark: 1 << 16 })).finally(() => trace?.stop());
    const ms = performance.now() - t0;
    return { ms, stored: total(r.totals), evaluated: r.evaluation.evaluated, peakIngest: server.peakRss(), base0 };
  } finally {
    server.stop();
  }
}

/**
 * Samples the server's memory every 100 ms (ms since start, VmRSS MiB, VmHWM MiB, the bench
 * database's non-idle sessions: state and the first 100 characters of the query) into `file`.
 */
async function traceServer(pid: number, dbUrl: string, file: string): Promise<{ stop(): Promise<void> }> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, 'ms\trss_mib\thwm_mib\tsessions\n');
  const mib = (field: string, status: string) => (Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024).toFixed(0);
  const t0 = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      let status: string;
      try {
        status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        break; // the server is gone
      }
      const q = await c.query<{ s: string }>(`SELECT string_agg(state || ': ' || regexp_replace(left(query, 100), '\\s+', ' ', 'g'), ' | ') AS s
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`);
      fs.writeSync(out, `${Math.round(at - t0)}\t${mib('VmRSS', status)}\t${mib('VmHWM', status)}\t${q.rows[0]?.s ?? ''}\n`);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - at))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      fs.closeSync(out);
      await c.end();
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
