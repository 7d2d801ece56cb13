/**
 * What the demo's CI does for the flaky-tests story (flaky-story.ts): the two projects, their
 * suites' retries, pushes, branches and each test's trouble windows, decided up front.
 */
import type { DemoTest, Suite } from './flaky-suite';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Days of CI history the demo replays (the artifact story covers the last thirty of them). */
export const DEMO_CI_DAYS = 60;
/** The token the demo's CI uploads with (created by story.ts on the first morning). */
export const CI_TOKEN = 'ci-main (demo)';

/**
 * Something wrong with one test in the code pushed within [from, until), in CI days (fractional)
 * since the first morning. Windows are in commit time, so a re-run of a commit behaves like it.
 */
export type Trouble =
  /** Fails an attempt with probability `rate` (`firefox`: its rate in that variant). */
  | { kind: 'flaky'; ref: string; rate: number; firefox?: number; from?: number; until?: number; message: string; type: string }
  /** Fails every attempt on main: a bad commit, then its fix. */
  | { kind: 'broken'; ref: string; from: number; until: number; message: string; type: string };

export interface ProjectPlan {
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
export const HOLOGRAM: Omit<ProjectPlan, 'tests'> = {
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

export const MM_BOT: Omit<ProjectPlan, 'tests'> = {
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

export const INFRA = { message: 'redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.', type: 'redis.exceptions.ConnectionError' };

/** The on-call's quarantine reviews and manual quarantine, in CI days (after their promotion on day 31). */
export const REVIEW_DAYS = [33.44, 47.44];
export const MANUAL = { day: 36.46, ref: 'e2e/login.spec.ts::login › remembers the session across tabs', days: 10, reason: 'Fails on firefox since the Playwright bump; quarantined while the upstream fix ships.' };
