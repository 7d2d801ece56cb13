/**
 * The files a soak harness and the nightly E2E / chaos jobs write, for the soak demo (soak-story.ts):
 * decided up front from a fixed seed. What Steward makes of them (the leak fit, the criteria, the
 * success rates) is left to the real services.
 *
 * - `resources.jsonl`: the mm-bot soak harness's resource monitor, one sample a minute for 24 hours
 *   (RSS, CPU, open fds, threads, the cumulative `ws_reconnect_attempts_total`, zombies, artifact
 *   disk usage), and its `resources.analysis.json` summary, worked out the way the runbook's monitor
 *   does (end points, not a fit): the seed's shape.
 * - A leaking build: after the warm-up, order-book snapshots accumulate (~14 MB/h) and each
 *   reconnect leaks a socket, under a small collector sawtooth. A healthy build: a major collection
 *   every 3 hours brings RSS back to its floor (the sawtooth climbs ~15 MB/h between collections).
 * - `npm audit --json` of the bot's dashboard: two moderate findings before the upgrade, none after.
 * - `events.jsonl` of the nightly E2E pipelines and the nightly chaos results JSON.
 */
import { seeded } from './random';

const MIN = 60_000;
const HOUR = 60 * MIN;

export type SoakBuild = 'leaking' | 'healthy';

export interface HarnessFiles {
  samples: string;
  analysis: string;
  audit: string;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** 24 h of resource samples from `startMs`, one a minute (1,441 lines), and the harness's own summary. */
export function soakHarnessFiles(build: SoakBuild, startMs: number, seed: number): HarnessFiles {
  const rand = seeded(seed);
  const noise = (a: number) => (rand() - 0.5) * 2 * a;
  const lines: string[] = [];
  const rss: number[] = [];
  let reconnects = 0;
  let leakedFds = 0;
  let disk = 410;
  for (let m = 0; m <= 24 * 60; m++) {
    const h = m / 60;
    // Warm-up: caches and pools fill over the first half hour (152 → 231 MB).
    const warm = 152 + 79 * (1 - Math.exp(-m / 9));
    let mb: number;
    if (build === 'leaking') {
      const sawtooth = 18 * ((m % 40) / 40);
      mb = warm + 14.2 * Math.max(0, h - 0.5) + sawtooth + noise(4);
    } else {
      const cycle = (m % 180) / 60;
      mb = warm + 15 * cycle + noise(2.5);
    }
    if (rand() < (build === 'leaking' ? 0.07 : 0.04)) {
      reconnects++;
      if (build === 'leaking') leakedFds++;
    }
    disk += 0.9 + rand() * 0.4;
    if (m > 0 && m % 360 === 0) disk -= 330; // the harness rotates its logs every 6 h
    rss.push(mb);
    lines.push(JSON.stringify({
      ts: new Date(startMs + m * MIN).toISOString(),
      rss_mb: r1(mb),
      cpu_pct: r1(Math.max(1, 31 + 9 * Math.sin(h / 3) + noise(6) + (m < 30 ? 25 : 0))),
      open_fds: 52 + leakedFds + Math.round(rand() * 3),
      // The snapshot writer's worker pool adds two threads for ten minutes every two hours.
      threads: 24 + (m % 120 >= 60 && m % 120 < 70 ? 2 : 0),
      ws_reconnect_attempts_total: reconnects,
      zombies: 0,
      disk_mb: r1(disk),
    }));
  }
  const start = rss[0]!;
  const end = rss.at(-1)!;
  const growth = (end - start) / 24;
  const analysis = {
    memory_leak_detected: growth > 10,
    memory_growth_mb_per_hour: r1(growth),
    memory_stats: { rss_start_mb: r1(start), rss_end_mb: r1(end), rss_max_mb: r1(Math.max(...rss)) },
    duration_hours: 24,
  };
  const audit = build === 'leaking'
    ? { auditReportVersion: 2, vulnerabilities: {
        'nth-check': { name: 'nth-check', severity: 'moderate', via: [{ source: 1095141, title: 'Inefficient Regular Expression Complexity in nth-check', url: 'https://github.com/advisories/GHSA-rp65-9cf3-cjxr', severity: 'moderate' }], range: '<2.0.1', fixAvailable: true },
        postcss: { name: 'postcss', severity: 'moderate', via: [{ source: 1094544, title: 'PostCSS line return parsing error', url: 'https://github.com/advisories/GHSA-7fh5-64p2-3v2j', severity: 'moderate' }], range: '<8.4.31', fixAvailable: true },
      }, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 2, high: 0, critical: 0, total: 2 } } }
    : { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } } };
  return { samples: `${lines.join('\n')}\n`, analysis: `${JSON.stringify(analysis, null, 2)}\n`, audit: `${JSON.stringify(audit, null, 2)}\n` };
}

export const E2E_PIPELINES = {
  'publish-install-use': ['build', 'publish', 'ipfs-pin', 'install', 'verify', 'use'],
  'graphql-e2e': ['deploy', 'seed', 'query', 'subscribe', 'teardown'],
} as const;
export type E2ePipeline = keyof typeof E2E_PIPELINES;

/** One nightly run's events.jsonl: steps in order, each started then ok, up to `failAt` (its error). */
export function e2eEvents(pipeline: E2ePipeline, startMs: number, runId: string, rand: () => number, fail?: { step: string; error: string }): { text: string; endMs: number } {
  const lines: string[] = [];
  let t = startMs;
  for (const step of E2E_PIPELINES[pipeline]) {
    lines.push(JSON.stringify({ ts: new Date(t).toISOString(), pipeline, run_id: runId, step, status: 'start' }));
    const ms = Math.round(2_000 + rand() * 40_000);
    t += ms;
    if (fail?.step === step) {
      lines.push(JSON.stringify({ ts: new Date(t).toISOString(), pipeline, run_id: runId, step, status: 'fail', duration_ms: ms, error: fail.error }));
      break;
    }
    lines.push(JSON.stringify({ ts: new Date(t).toISOString(), pipeline, run_id: runId, step, status: 'ok', duration_ms: ms }));
    t += 500;
  }
  return { text: `${lines.join('\n')}\n`, endMs: t };
}

export const CHAOS_SCENARIOS = ['ipfs_restart', 'graphql_latency_tier', 'ctp96_nonce_expiry', 'network_partition'] as const;

/**
 * One night's chaos results (`tests/phase9_chaos` as JSON): one entry per attempt with its recovery
 * time. `partition`: the network-partition scenario, added in the month's chaos enhancement, whose
 * IPFS peer sometimes does not rejoin (a failed attempt) and recovers slowly when it does.
 */
export function chaosResults(rand: () => number, partition: boolean): string {
  const results: { scenario: string; status: 'passed' | 'failed'; recovery_time_s?: number }[] = [];
  const attempt = (scenario: string, n: number, recovery: () => number, failP = 0) => {
    for (let i = 0; i < n; i++) {
      const failed = rand() < failP;
      results.push(failed ? { scenario, status: 'failed' } : { scenario, status: 'passed', recovery_time_s: r1(recovery()) });
    }
  };
  attempt('ipfs_restart', 5, () => 7 + rand() * 8);
  attempt('graphql_latency_tier', 5, () => 1.5 + rand() * 4);
  attempt('ctp96_nonce_expiry', 3, () => 0.4 + rand() * 1.2);
  if (partition) attempt('network_partition', 4, () => 14 + rand() * 30, 0.15);
  return `${JSON.stringify({ suite: 'phase9_chaos', results }, null, 2)}\n`;
}

export { HOUR as SOAK_HOUR };
