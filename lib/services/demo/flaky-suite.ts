/**
 * The test suites of the demo's two CI projects: Hologram (pytest in three shards, plus a
 * Playwright-style end-to-end suite run in chromium and firefox) and the MM bot (pytest, two jobs).
 * Names are generated from a fixed seed, so every machine gets the same tests; the tests the flaky
 * story gives a character (flaky, broken) are written out by name in `NAMED`.
 */
import { seeded } from './random';

export type Suite = 'pytest' | 'e2e';

export interface DemoTest {
  /** `file::name`, how the story refers to a test. */
  ref: string;
  classname: string;
  name: string;
  file: string;
  suite: Suite;
  /**
   * The CI job that runs it: Hologram's pytest shards (`pytest (1/3)`…, by file, as pytest-split
   * keeps a file together), the MM bot's `unit` and `integration` jobs, `e2e` (run once per browser).
   */
  job: string;
  /** Typical duration in ms; each result varies around it. */
  baseMs: number;
  /** `always`: skipped everywhere (with the reason); `branches`: skipped except on main (`no_ci`). */
  skip: { when: 'always' | 'branches'; reason: string } | null;
}

interface FileSpec {
  file: string;
  topic: string;
  count: number;
  ms: [number, number];
  named?: string[];
  skipBranches?: string;
}

const VERBS = ['handles', 'rejects', 'computes', 'rounds', 'caches', 'retries', 'emits', 'parses', 'validates', 'merges', 'replays', 'clamps', 'reports', 'restores'];
const QUALIFIERS = ['', 'when_empty', 'on_reconnect', 'under_load', 'with_stale_data', 'after_restart', 'at_boundary', 'for_negative_values'];
const PARAMS = ['binance', 'kraken', 'coinbase', 'okx'];
const UI_VERBS = ['shows', 'filters', 'sorts', 'exports', 'updates', 'hides', 'paginates', 'highlights'];

/** Test names for one file: `named` first, then generated ones, unique within the file. */
function names(rand: () => number, spec: FileSpec, ui: boolean): string[] {
  const out = new Set(spec.named ?? []);
  const nouns = spec.topic.split(',');
  for (let i = 0; out.size < spec.count && i < spec.count * 20; i++) {
    const noun = nouns[Math.floor(rand() * nouns.length)]!;
    if (ui) {
      out.add(`${spec.file.replace(/^e2e\/|\.spec\.ts$/g, '')} › ${UI_VERBS[Math.floor(rand() * UI_VERBS.length)]} ${noun.replace(/_/g, ' ')}${rand() < 0.4 ? ` ${['on mobile', 'after reload', 'for a viewer', 'with no data'][Math.floor(rand() * 4)]}` : ''}`);
      continue;
    }
    const q = QUALIFIERS[Math.floor(rand() * QUALIFIERS.length)]!;
    const base = `test_${VERBS[Math.floor(rand() * VERBS.length)]}_${noun}${q ? `_${q}` : ''}`;
    out.add(rand() < 0.25 ? `${base}[${PARAMS[Math.floor(rand() * PARAMS.length)]}]` : base);
  }
  return [...out];
}

/**
 * The tests of some files. `skipped`: the last test of each of the last `files` files is always
 * skipped with `reason` (named tests come first, so they are never the skipped ones).
 */
function build(seed: number, suite: Suite, files: FileSpec[], jobOf: (file: string, index: number) => string, skipped: { reason: string; files: number }): DemoTest[] {
  const rand = seeded(seed);
  const tests: DemoTest[] = [];
  files.forEach((spec, i) => {
    const ui = suite === 'e2e';
    const classname = ui ? spec.file : spec.file.replace(/\.py$/, '').replace(/\//g, '.');
    const list = names(rand, spec, ui);
    list.forEach((name, j) => {
      const [lo, hi] = spec.ms;
      const always = i >= files.length - skipped.files && j === list.length - 1 ? skipped.reason : null;
      tests.push({
        ref: `${spec.file}::${name}`, classname, name, file: spec.file, suite, job: jobOf(spec.file, i),
        baseMs: Math.round(lo * Math.pow(hi / lo, rand())),
        skip: always ? { when: 'always', reason: always } : spec.skipBranches ? { when: 'branches', reason: spec.skipBranches } : null,
      });
    });
  });
  return tests;
}

/** pytest files of one directory: [file, nouns, tests (× scale), duration range ms, named tests]. */
const dir = (d: string, scale: number, topics: [string, string, number, [number, number], string[]?][], skipBranches?: string): FileSpec[] =>
  topics.map(([f, topic, count, ms, named]) => ({ file: `tests/${d}/${f}.py`, topic, count: Math.round(count * scale), ms, named, skipBranches }));

const HOLOGRAM_SCALE = 1.25;
const MM_BOT_SCALE = 1.07;

const NO_CI = 'no_ci: chaos tests run on main only';

/** Hologram: ~1,100 pytest tests in three shards and ~100 end-to-end tests. */
export function hologramSuite(): DemoTest[] {
  const py = [
    ...dir('phase1_config', HOLOGRAM_SCALE, [['test_profiles', 'profile,override,env_var', 40, [3, 40], ['test_config_reload_is_atomic']], ['test_schema', 'schema,secret_ref,default', 35, [2, 20]], ['test_loader', 'yaml_file,include,env_var', 30, [3, 30]]]),
    ...dir('phase2_ingest', HOLOGRAM_SCALE, [['test_order_book', 'order_book,snapshot,level', 45, [5, 120], ['test_snapshot_matches_incremental_book']], ['test_trades', 'trade,sequence,gap', 40, [4, 80]], ['test_ticks', 'tick,timestamp,venue_clock', 40, [3, 60]]]),
    ...dir('phase3_pricing', HOLOGRAM_SCALE, [['test_spread', 'spread,skew,quote', 50, [2, 40]], ['test_fair_value', 'fair_value,mid_price,microprice', 45, [3, 60]], ['test_tick_size', 'tick_size,lot_size,price_band', 40, [1, 15], ['test_clamps_quote_to_tick_size[kraken]']]]),
    ...dir('phase4_risk', HOLOGRAM_SCALE, [['test_limits', 'position_cap,exposure,limit', 45, [2, 50], ['test_max_position_respects_new_cap']], ['test_kill_switch', 'kill_switch,drawdown,circuit', 35, [5, 90], ['test_kill_switch_trips_on_drawdown']], ['test_margin', 'margin,collateral,haircut', 35, [2, 40]]]),
    ...dir('phase5_api', HOLOGRAM_SCALE, [['test_graphql', 'graphql_query,pagination,schema_field', 50, [8, 150]], ['test_websocket', 'websocket,subscription,heartbeat', 40, [10, 300], ['test_reconnects_websocket_after_server_restart']], ['test_auth', 'auth_token,rate_limit,session', 40, [5, 80]]]),
    ...dir('phase6_perf', HOLOGRAM_SCALE, [['test_latency', 'p95_latency,p99_latency,tail_latency', 30, [400, 6000], ['test_p95_latency_under_budget[graphql]']], ['test_throughput', 'throughput,batch_size,backpressure', 30, [500, 8000], ['test_throughput_sustains_10k_ticks_per_second']], ['test_memory', 'memory_growth,gc_pause,rss', 25, [800, 9000]]]),
    ...dir('phase7_recovery', HOLOGRAM_SCALE, [['test_checkpoint', 'checkpoint,replay_log,snapshot_file', 35, [50, 900], ['test_replays_log_after_checkpoint']], ['test_failover', 'failover,leader,standby', 30, [100, 1500]]]),
    ...dir('phase8_e2e', HOLOGRAM_SCALE, [['test_order_flow', 'order_flow,fill,cancel', 40, [200, 3000]], ['test_settlement', 'settlement,report,reconciliation', 30, [150, 2500]]]),
    ...dir('phase9_chaos', HOLOGRAM_SCALE, [['test_network', 'network_partition,packet_loss,dns_failure', 25, [1000, 12000]], ['test_resources', 'disk_full,oom,clock_skew', 20, [1000, 10000]]], NO_CI),
  ];
  const e2e: FileSpec[] = [
    { file: 'e2e/dashboard.spec.ts', topic: 'live_pnl,positions,latency_chart,alerts', count: 25, ms: [1500, 9000], named: ['dashboard › streams live PnL updates'] },
    { file: 'e2e/orders.spec.ts', topic: 'order_blotter,open_orders,fills,order_form', count: 25, ms: [1200, 8000], named: ['orders › cancels an open order from the blotter'] },
    { file: 'e2e/risk.spec.ts', topic: 'limits_page,kill_switch_banner,exposure_table', count: 20, ms: [1000, 6000] },
    { file: 'e2e/login.spec.ts', topic: 'login_form,session,sso_button', count: 15, ms: [800, 4000], named: ['login › remembers the session across tabs'] },
    { file: 'e2e/reports.spec.ts', topic: 'daily_report,csv_export,edge_report', count: 15, ms: [1500, 7000] },
  ];
  return [
    ...build(9001, 'pytest', py, (_, i) => `pytest (${(i % 3) + 1}/3)`, { reason: 'needs a GPU runner (CUDA pricing kernel)', files: 6 }),
    ...build(9002, 'e2e', e2e, () => 'e2e', { reason: 'test.fixme: the CSV export moved to the API', files: 1 }),
  ];
}

/** MM bot: ~800 pytest tests in two jobs (unit; integration and backtest), no retries (a red job is re-run by hand). */
export function mmBotSuite(): DemoTest[] {
  const py = [
    ...dir('unit/strategy', MM_BOT_SCALE, [['test_quoting', 'quote,spread_band,inventory_skew', 70, [1, 25], ['test_places_quotes_within_spread_band']], ['test_inventory', 'inventory,hedge,target', 60, [1, 20]], ['test_signals', 'signal,ema,volatility', 60, [2, 30]]]),
    ...dir('unit/exchange', MM_BOT_SCALE, [['test_order_book', 'order_book,depth,checksum', 70, [2, 40], ['test_resyncs_order_book_after_gap']], ['test_fees', 'fee_schedule,rebate,tier', 50, [1, 15], ['test_fee_schedule_matches_venue[binance]']], ['test_funding', 'funding_rate,mark_price,index', 50, [1, 20], ['test_funding_rate_parser_handles_negative']]]),
    ...dir('unit/risk', MM_BOT_SCALE, [['test_limits', 'limit,kill_switch,exposure', 60, [1, 20]], ['test_rate_limiter', 'rate_limiter,token_bucket,weight', 45, [2, 60], ['test_rate_limiter_backs_off']]]),
    ...dir('integration/exchange', MM_BOT_SCALE, [['test_ws_streams', 'fill_stream,ticker_stream,user_stream', 60, [80, 2500], ['test_fill_stream_reconnects']], ['test_rest_client', 'rest_client,signature,retry', 55, [30, 900], ['test_cancels_stale_orders_on_shutdown']]]),
    ...dir('integration/storage', MM_BOT_SCALE, [['test_sqlite', 'fill_log,snapshot_table,migration', 50, [10, 400], ['test_persists_fills_to_sqlite']], ['test_redis', 'cache,pubsub,lock', 45, [5, 300]]]),
    ...dir('backtest', MM_BOT_SCALE, [['test_golden', 'golden_pnl,replay,slippage', 45, [500, 6000], ['test_backtest_matches_golden_pnl']], ['test_scenarios', 'flash_crash,gap_open,thin_book', 30, [800, 7000]]]),
  ];
  return build(9003, 'pytest', py, (file) => (file.startsWith('tests/unit/') ? 'unit' : 'integration'), { reason: 'venue sandbox decommissioned', files: 5 });
}
