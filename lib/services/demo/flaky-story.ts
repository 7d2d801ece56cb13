/**
 * Sixty days of CI for the flaky-tests capability, told by the real services on the demo's clock:
 * the admin creates two projects and sets their CODEOWNERS, then every CI job uploads its Surefire
 * report through `ingestResults` as the "ci-main (demo)" token, at the time the job finished. The
 * policy engine decides the rest (flakes, auto-quarantine with tickets, broken, recovered,
 * eligible); the on-call operator reviews the quarantine list twice and releases what is eligible,
 * and quarantines one test by hand with an expiry.
 *
 * What the CI does is decided up front from a fixed seed (pushes, branches, commits, which tests
 * flake when); what happens next is the product's: a job whose failures are not all quarantined is
 * red (the `steward test` rule, read from ingest's answer) and is re-run once as attempt 2.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { ingestResults, type IngestResult } from '../flaky/ingest';
import { updateProjectSettings } from '../flaky/project-settings';
import { createProject } from '../flaky/projects';
import { quarantineTest, unquarantineTest } from '../flaky/quarantine';
import { chunksOf } from '../flaky/read-upload';
import type { SimClock } from './clock';
import { hologramSuite, mmBotSuite, type DemoTest, type Suite } from './flaky-suite';
import { surefireXml, type WrittenAttempt, type WrittenCase } from './junit-writer';
import { seeded } from './random';
import type { DemoCast, DemoEvent } from './story';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Days of CI history the demo replays (the artifact story covers the last thirty of them). */
export const DEMO_CI_DAYS = 60;
/** The token the demo's CI uploads with (created by story.ts on the first morning). */
export const CI_TOKEN = 'ci-main (demo)';

/**
 * Something wrong with one test in the code pushed within [from, until), in CI days (fractional)
 * since the first morning. Windows are in commit time, so a re-run of a commit behaves like it.
 */
type Trouble =
  /** Fails an attempt with probability `rate` (`firefox`: its rate in that variant). */
  | { kind: 'flaky'; ref: string; rate: number; firefox?: number; from?: number; until?: number; message: string; type: string }
  /** Fails every attempt on main: a bad commit, then its fix. */
  | { kind: 'broken'; ref: string; from: number; until: number; message: string; type: string };

interface ProjectPlan {
  key: string;
  name: string;
  codeowners: string;
  tests: DemoTest[];
  /** Reruns of a failed test within the job (pytest-rerunfailures, Playwright retries). */
  retries: Record<Suite, number>;
  /** Pushes on a weekday: [min, max]. */
  pushes: [number, number];
  /** Minutes a job takes: [min, max]. */
  jobMinutes: [number, number];
  /** Nightly end-to-end run of main's head in chromium and firefox. */
  nightlyE2e: boolean;
  branches: { name: string; from: number; until: number }[];
  firstRunId: number;
  /** CI day on which the first job of the day hits a dead service container. */
  infraDay?: number;
  trouble: Trouble[];
}

const ASSERT = 'AssertionError';
const HOLOGRAM: Omit<ProjectPlan, 'tests'> = {
  key: 'hologram',
  name: 'Hologram',
  codeowners: [
    '# Hologram: owners of the test suites (GitHub syntax; the last match wins)',
    '*                        @hologram/core',
    '/tests/phase2_ingest/    @hologram/market-data',
    '/tests/phase3_pricing/   @hologram/pricing',
    '/tests/phase4_risk/      @hologram/risk',
    '/tests/phase5_api/       @hologram/api',
    '/tests/phase6_perf/      @hologram/perf',
    '/tests/phase9_chaos/     @hologram/sre',
    '/e2e/                    @hologram/frontend',
    '',
  ].join('\n'),
  retries: { pytest: 2, e2e: 1 },
  pushes: [1, 2],
  jobMinutes: [6, 10],
  nightlyE2e: true,
  branches: [
    { name: 'feat/graphql-latency-tiers', from: 3, until: 14 },
    { name: 'fix/ws-reconnect', from: 18, until: 27 },
    { name: 'feat/risk-cap-v2', from: 30, until: 41 },
    { name: 'chore/bump-playwright', from: 33, until: 36 },
    { name: 'feat/edge-report-v3', from: 44, until: 60 },
  ],
  firstRunId: 8_812_000,
  trouble: [
    { kind: 'flaky', ref: 'tests/phase5_api/test_websocket.py::test_reconnects_websocket_after_server_restart', rate: 0.18, until: 26.5, message: 'TimeoutError: websocket did not reconnect within 5.0s', type: 'TimeoutError' },
    { kind: 'flaky', ref: 'tests/phase6_perf/test_latency.py::test_p95_latency_under_budget[graphql]', rate: 0.12, message: 'assert p95_ms < 250.0 (p95_ms = 287.4)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/phase6_perf/test_throughput.py::test_throughput_sustains_10k_ticks_per_second', rate: 0.09, from: 20, message: 'assert 9412.0 >= 10000 (ticks/s over the 30 s window)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/phase7_recovery/test_checkpoint.py::test_replays_log_after_checkpoint', rate: 0.06, message: 'FileNotFoundError: [Errno 2] No such file or directory: \'/tmp/ckpt/segment-000042.log\'', type: 'FileNotFoundError' },
    { kind: 'flaky', ref: 'tests/phase2_ingest/test_order_book.py::test_snapshot_matches_incremental_book', rate: 0.03, message: 'assert book.levels(10) == snapshot.levels(10) (bid level 3: 104.25 != 104.20)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/phase1_config/test_profiles.py::test_config_reload_is_atomic', rate: 0.01, message: 'KeyError: \'spread_bps\' (read during reload)', type: 'KeyError' },
    { kind: 'flaky', ref: 'e2e/orders.spec.ts::orders › cancels an open order from the blotter', rate: 0.02, firefox: 0.15, message: 'locator.click: Timeout 5000ms exceeded waiting for getByRole(\'button\', { name: \'Cancel\' })', type: 'TimeoutError' },
    { kind: 'flaky', ref: 'e2e/dashboard.spec.ts::dashboard › streams live PnL updates', rate: 0.2, from: 35, until: 51.5, message: 'expect(locator).toHaveText: expected "+1,204.50" received "+1,198.10"', type: 'Error' },
    { kind: 'flaky', ref: 'e2e/login.spec.ts::login › remembers the session across tabs', rate: 0.01, firefox: 0.2, from: 34, message: 'expect(page).toHaveURL: expected "/dashboard" received "/login"', type: 'Error' },
    { kind: 'broken', ref: 'tests/phase3_pricing/test_tick_size.py::test_clamps_quote_to_tick_size[kraken]', from: 12.4, until: 14.6, message: 'assert 0.015 == 0.01 (tick size read from the old venue table)', type: ASSERT },
    { kind: 'broken', ref: 'tests/phase4_risk/test_kill_switch.py::test_kill_switch_trips_on_drawdown', from: 40.4, until: 41.7, message: 'assert switch.tripped (drawdown 5.2 % over the 5 % limit)', type: ASSERT },
  ],
};

const MM_BOT: Omit<ProjectPlan, 'tests'> = {
  key: 'mm-bot',
  name: 'MM bot',
  codeowners: [
    '# MM bot',
    '*                          @mm-bot/maintainers',
    '/tests/unit/strategy/      @mm-bot/quant',
    '/tests/backtest/           @mm-bot/quant',
    'tests/**/exchange/         @mm-bot/connectivity',
    '/tests/integration/storage/ @mm-bot/platform',
    '',
  ].join('\n'),
  retries: { pytest: 0, e2e: 0 },
  pushes: [1, 2],
  jobMinutes: [4, 7],
  nightlyE2e: false,
  branches: [
    { name: 'feat/adaptive-spread', from: 2, until: 16 },
    { name: 'fix/order-book-resync', from: 20, until: 26 },
    { name: 'feat/binance-ws-v2', from: 38, until: 52 },
    { name: 'chore/py312', from: 54, until: 60 },
  ],
  firstRunId: 431_000,
  infraDay: 23,
  trouble: [
    { kind: 'flaky', ref: 'tests/unit/exchange/test_order_book.py::test_resyncs_order_book_after_gap', rate: 0.1, message: 'assert book.seq == 1042 (book.seq = 1040: resync raced the next diff)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/unit/strategy/test_quoting.py::test_places_quotes_within_spread_band', rate: 0.05, message: 'assert 12.6 <= 12.5 (spread_bps above the band after a volatility tick)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/integration/exchange/test_ws_streams.py::test_fill_stream_reconnects', rate: 0.15, from: 10, until: 30, message: 'asyncio.TimeoutError: no fill within 3.0s after reconnect', type: 'asyncio.TimeoutError' },
    { kind: 'flaky', ref: 'tests/integration/storage/test_sqlite.py::test_persists_fills_to_sqlite', rate: 0.02, message: 'sqlite3.OperationalError: database is locked', type: 'sqlite3.OperationalError' },
    { kind: 'flaky', ref: 'tests/backtest/test_golden.py::test_backtest_matches_golden_pnl', rate: 0.04, message: 'assert 10231.44 == 10231.40 ± 0.01 (pnl differs from the golden file)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/unit/risk/test_rate_limiter.py::test_rate_limiter_backs_off', rate: 0.12, from: 40, until: 51, message: 'assert 0.48 >= 0.5 (backoff shorter than the venue asks)', type: ASSERT },
    { kind: 'flaky', ref: 'tests/integration/exchange/test_rest_client.py::test_cancels_stale_orders_on_shutdown', rate: 0.01, message: 'httpx.ReadTimeout: cancel-all did not answer within 2.0s', type: 'httpx.ReadTimeout' },
    { kind: 'broken', ref: 'tests/unit/exchange/test_fees.py::test_fee_schedule_matches_venue[binance]', from: 44.4, until: 46.5, message: 'assert Decimal(\'0.00075\') == Decimal(\'0.001\') (VIP tier table out of date)', type: ASSERT },
    { kind: 'broken', ref: 'tests/unit/exchange/test_funding.py::test_funding_rate_parser_handles_negative', from: 58.4, until: 99, message: 'ValueError: could not convert string to float: \'-0.0001%\'', type: 'ValueError' },
  ],
};

const INFRA = { message: 'redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.', type: 'redis.exceptions.ConnectionError' };

/** The on-call's quarantine reviews and manual quarantine, in CI days (after their promotion on day 31). */
const REVIEW_DAYS = [33.44, 47.44];
const MANUAL = { day: 36.46, ref: 'e2e/login.spec.ts::login › remembers the session across tabs', days: 10, reason: 'Fails on firefox since the Playwright bump; quarantined while the upstream fix ships.' };

interface Job {
  plan: ProjectPlan;
  atMs: number;
  runId: number;
  commit: string;
  branch: string;
  /** When the commit under test was pushed: trouble windows are in commit time. */
  codeAtMs: number;
  job: string;
  suite: Suite;
  variant: string | null;
  attempt: number;
  infra: boolean;
}

const jobKey = (j: Pick<Job, 'plan' | 'runId' | 'job'>) => `${j.plan.key}/${j.runId}/${j.job}`;

function hash32(s: string): number {
  return crypto.createHash('sha256').update(s).digest().readUInt32BE(0);
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
}

/** Every first-attempt job of one project over the window, in time order (re-runs are decided later). */
function schedule(plan: ProjectPlan, ciDay0: number, seed: number): Job[] {
  const rand = seeded(seed);
  const jobs: Job[] = [];
  let runId = plan.firstRunId;
  let mainHead: { commit: string; atMs: number } | null = null;
  const pytestJobs = [...new Set(plan.tests.filter((t) => t.suite === 'pytest').map((t) => t.job))];
  const pushes: { atMs: number; branch: string; commit: string; runId: number }[] = [];
  for (let d = 0; d <= DEMO_CI_DAYS; d++) {
    const weekday = ![0, 6].includes(new Date(ciDay0 + d * DAY + 12 * HOUR).getUTCDay());
    const [lo, hi] = plan.pushes;
    const n = weekday ? lo + Math.floor(rand() * (hi - lo + 1)) : rand() < 0.3 ? 1 : 0;
    // Office hours after the projects exist (09:20 on the first day).
    const times = Array.from({ length: n }, () => ciDay0 + d * DAY + 9.5 * HOUR + Math.floor(rand() * 10 * HOUR)).sort((a, b) => a - b);
    for (const t of times) {
      const open = plan.branches.filter((b) => d >= b.from && d < b.until);
      const branch = open.length && rand() < 0.45 ? open[Math.floor(rand() * open.length)]!.name : 'main';
      pushes.push({ atMs: t, branch, commit: hex(rand, 40), runId: 0 });
    }
  }
  const nightly: { atMs: number }[] = plan.nightlyE2e ? Array.from({ length: DEMO_CI_DAYS }, (_, i) => ({ atMs: ciDay0 + (i + 1) * DAY + 2 * HOUR })) : [];
  const starts = [...pushes.map((p) => ({ ...p, nightly: false })), ...nightly.map((n) => ({ atMs: n.atMs, branch: 'main', commit: '', runId: 0, nightly: true }))].sort((a, b) => a.atMs - b.atMs);
  let infraPending = plan.infraDay;
  for (const p of starts) {
    runId += 1 + Math.floor(rand() * 7);
    const [jlo, jhi] = plan.jobMinutes;
    const took = () => p.atMs + (jlo + rand() * (jhi - jlo)) * MIN;
    const base = { plan, runId, branch: p.branch, attempt: 1, infra: false };
    if (p.nightly) {
      if (!mainHead) continue;
      for (const variant of ['chromium', 'firefox']) jobs.push({ ...base, atMs: p.atMs + (12 + rand() * 8) * MIN, commit: mainHead.commit, codeAtMs: mainHead.atMs, job: `e2e (${variant})`, suite: 'e2e', variant });
      continue;
    }
    if (p.branch === 'main') mainHead = { commit: p.commit, atMs: p.atMs };
    // The first job of the infra day finds its redis service container dead.
    const infra = infraPending !== undefined && p.atMs >= ciDay0 + infraPending * DAY;
    if (infra) infraPending = undefined;
    pytestJobs.forEach((job, i) => jobs.push({ ...base, atMs: took(), commit: p.commit, codeAtMs: p.atMs, job, suite: 'pytest', variant: null, infra: infra && i === 0 }));
  }
  return jobs.sort((a, b) => a.atMs - b.atMs);
}

/** The Surefire report of one job: each test's attempts, from the job's own seed. */
function report(job: Job, ciDay0: number): string {
  const rand = seeded(hash32(`${jobKey(job)}#${job.attempt}`));
  const day = (job.codeAtMs - ciDay0) / DAY;
  const trouble = new Map(job.plan.trouble.filter((t) => day >= (t.from ?? 0) && day < (t.until ?? Infinity)).map((t) => [t.ref, t]));
  const retries = job.plan.retries[job.suite];
  const cases: WrittenCase[] = [];
  for (const t of job.plan.tests) {
    if (t.suite !== job.suite || (job.suite === 'pytest' && t.job !== job.job)) continue;
    const ms = () => Math.round(t.baseMs * (0.8 + rand() * 0.45));
    const c: WrittenCase = { classname: t.classname, name: t.name, file: t.file, attempts: [] };
    cases.push(c);
    if (t.skip && (t.skip.when === 'always' || job.branch !== 'main')) {
      c.attempts.push({ kind: 'skip', ms: 0, message: t.skip.reason });
      continue;
    }
    if (job.infra && rand() < 0.97) {
      c.attempts.push({ kind: 'error', ms: Math.round(rand() * 30), ...INFRA, message: `failed on setup with "${INFRA.message}"` });
      continue;
    }
    const tr = trouble.get(t.ref);
    const fail = (): WrittenAttempt => ({ kind: 'fail', ms: Math.round(ms() * 1.6), message: tr!.message, type: tr!.type, stack: `${t.file}:${40 + (hash32(t.ref) % 300)}: in ${t.name.replace(/\[.*$/, '')}\n    ${tr!.message}\nE   ${tr!.type}: ${tr!.message}` });
    if (tr?.kind === 'broken' && job.branch === 'main') {
      for (let i = 0; i <= retries; i++) c.attempts.push(fail());
      continue;
    }
    const rate = tr?.kind === 'flaky' ? (job.variant === 'firefox' && tr.firefox !== undefined ? tr.firefox : tr.rate) : 0;
    for (let i = 0; i <= retries; i++) {
      if (rand() < rate) c.attempts.push(fail());
      else {
        c.attempts.push({ kind: 'pass', ms: ms() });
        break;
      }
    }
  }
  return surefireXml(job.suite === 'e2e' ? 'playwright' : 'pytest', cases);
}

async function upload(db: Db, cast: DemoCast, job: Job, now: Date, ciDay0: number): Promise<IngestResult> {
  const xml = report(job, ciDay0);
  const name = job.suite === 'e2e' ? `test-results/junit-${job.variant}.xml` : `reports/junit-${job.job.replace(/\W+/g, '-').replace(/-$/, '')}.xml`;
  return ingestResults(
    db,
    cast.token(CI_TOKEN),
    {
      project: job.plan.key,
      meta: { commit: job.commit, branch: job.branch, runId: String(job.runId), runUrl: `https://ci.example.com/${job.plan.key}/actions/runs/${job.runId}/attempts/${job.attempt}`, job: job.job, attempt: job.attempt, variant: job.variant },
      files: [{ name, chunks: chunksOf(new TextEncoder().encode(xml)) }],
    },
    { now },
  );
}

/** The `steward test` rule: a job is red when one of its failures is not a quarantined test. */
const isRed = (r: IngestResult) => r.failingTotal > r.failing.length || r.failing.some((f) => !f.quarantined);

export interface FlakyStoryInput {
  db: Db;
  clock: SimClock;
  /** Midnight UTC of the first CI day. */
  ciDay0: number;
}

/** The flaky story's events, for story.ts to play in time order with its own. */
export function flakyEvents(s: FlakyStoryInput): (cast: DemoCast) => DemoEvent[] {
  return (cast) => {
    const { db, clock, ciDay0 } = s;
    const now = () => clock.now();
    const at = (day: number) => ciDay0 + Math.round(day * DAY);
    const plans: ProjectPlan[] = [{ ...HOLOGRAM, tests: hologramSuite() }, { ...MM_BOT, tests: mmBotSuite() }];
    const red = new Set<string>();
    const decide = seeded(4242);
    const events: DemoEvent[] = [];

    plans.forEach((plan, i) => {
      events.push({ atMs: ciDay0 + 9 * HOUR + (20 + 5 * i) * MIN, tree: false, run: () => createProject(db, cast.admin(), { key: plan.key, name: plan.name }, now()) });
      events.push({ atMs: ciDay0 + 9 * HOUR + (21 + 5 * i) * MIN, tree: false, run: () => setCodeowners(db, cast, plan, now()) });
      for (const job of schedule(plan, ciDay0, 100 + i)) {
        events.push({
          atMs: job.atMs,
          tree: false,
          run: async () => {
            if (isRed(await upload(db, cast, job, now(), ciDay0))) red.add(jobKey(job));
          },
        });
        // Someone re-runs a red job within the hour (most of the time); nightly runs are left alone.
        if (job.suite === 'e2e') continue;
        const rerunAt = job.atMs + (15 + decide() * 40) * MIN;
        // An infrastructure failure is always re-run (someone restarts the dead service); the draw is
        // taken anyway, so the other jobs' choices do not depend on which day the demo starts.
        const draw = decide();
        const wanted = job.infra || draw < 0.85;
        events.push({
          atMs: rerunAt,
          tree: false,
          run: async () => {
            if (!wanted || !red.has(jobKey(job))) return;
            await upload(db, cast, { ...job, atMs: rerunAt, attempt: 2, infra: false }, now(), ciDay0);
          },
        });
      }
    });

    for (const day of REVIEW_DAYS) events.push({ atMs: at(day), tree: false, run: () => reviewQuarantine(db, cast, clock) });
    events.push({
      atMs: at(MANUAL.day),
      tree: false,
      run: async () => {
        const [file, name] = MANUAL.ref.split('::') as [string, string];
        const t = await db.testCase.findFirst({ where: { project: { key: 'hologram' }, file, name } });
        // The operator quarantines it only if the policy has not already.
        if (!t || t.status !== 'active') return;
        const n = now();
        await quarantineTest(db, cast.oncall(), { testId: t.id, reason: MANUAL.reason, expiresAt: new Date(n.getTime() + MANUAL.days * DAY) }, n);
      },
    });
    return events;
  };
}

/** The admin sets the project's CODEOWNERS through the settings service, as on the page. */
async function setCodeowners(db: Db, cast: DemoCast, plan: ProjectPlan, now: Date): Promise<void> {
  await updateProjectSettings(db, cast.admin(), { key: plan.key, codeowners: plan.codeowners }, now);
}

/** The on-call reads each quarantine list and releases the tests that are eligible, a minute apart. */
async function reviewQuarantine(db: Db, cast: DemoCast, clock: SimClock): Promise<void> {
  const eligible = await db.testCase.findMany({ where: { status: 'quarantined', eligibleAt: { not: null }, project: { key: { in: [HOLOGRAM.key, MM_BOT.key] } } }, orderBy: [{ eligibleAt: 'asc' }, { id: 'asc' }] });
  for (const t of eligible) {
    clock.advanceTo(clock.nowMs() + MIN);
    await unquarantineTest(db, cast.oncall(), { testId: t.id, note: `Fix merged; ${t.greenStreak} consecutive greens since, releasing.` }, clock.now());
  }
}

export interface FlakySummary {
  projects: number;
  tests: number;
  uploads: number;
  results: number;
  quarantined: number;
  eligible: number;
}

/** What the flaky story left in the database, counted there. */
export async function flakySummary(db: Db): Promise<FlakySummary> {
  const ids = (await db.project.findMany({ where: { key: { in: [HOLOGRAM.key, MM_BOT.key] } }, select: { id: true } })).map((p) => p.id);
  const projectId = { in: ids };
  // One after the other: inside the demo's transaction there is one connection anyway.
  return {
    projects: ids.length,
    tests: await db.testCase.count({ where: { projectId } }),
    uploads: await db.testUpload.count({ where: { projectId } }),
    results: await db.testResult.count({ where: { projectId } }),
    quarantined: await db.testCase.count({ where: { projectId, status: 'quarantined' } }),
    eligible: await db.testCase.count({ where: { projectId, status: 'quarantined', eligibleAt: { not: null } } }),
  };
}
