/**
 * What the hologram benchmarks measure and when CI runs them, for the perf demo (perf-story.ts):
 * decided up front from a fixed seed, as a list of runs with their Steward-JSON sample files.
 * What Steward makes of them (verdicts, regressions, readiness) is left to the real services.
 *
 * - Two testbeds: `perf-metal-16c`, a dedicated 16-core runner (quiet: ±1.5 % run to run), runs
 *   main after each merge; `gha-shared-4c`, a shared 4-core GitHub runner (samples spread half again as
 *   wide, ±2 % run to run), runs the seed's 02:00 nightly on main and every PR push.
 * - Samples per run as the seed configures them: 100 on main and nightly, 20 on PRs.
 * - Changes in the code, by time: `verify` 15 % faster (key cache), `encode` 25 % slower on
 *   16 cores only (lock contention in the zstd context pool), then mostly fixed, then fully.
 */
import crypto from 'node:crypto';
import { seeded } from './random';
import { isDemoWeekend } from './weeks';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Days of perf history; the first 30 precede the project in Steward and are imported on its first day. */
export const PERF_DAYS = 90;
export const PERF_IMPORTED_DAYS = 30;

export const TESTBEDS = {
  metal: { attrs: { runner: 'perf-metal-16c', cpu: 'AMD EPYC 9354P', cores: '16', os: 'linux' }, runSigma: 0.015, sampleSigma: 0.08 },
  shared: { attrs: { runner: 'gha-shared-4c', cpu: 'Intel Xeon Platinum 8370C', cores: '4', os: 'linux' }, runSigma: 0.02, sampleSigma: 0.12 },
} as const;
export type TestbedName = keyof typeof TESTBEDS;

interface MetricPlan {
  name: string;
  measure?: string;
  unit: string;
  /** Judged value on each testbed: p95 for sampled metrics, the figure itself for the others. */
  level: Record<TestbedName, number>;
  /** false: the benchmark reports one figure per run (no samples). */
  sampled: boolean;
}

export const METRICS: MetricPlan[] = [
  { name: 'verify', unit: 'ms', level: { metal: 5.2, shared: 6.6 }, sampled: true },
  { name: 'encode', unit: 'ms', level: { metal: 58, shared: 71 }, sampled: true },
  { name: 'gql', unit: 'ms', level: { metal: 52, shared: 64 }, sampled: true },
  { name: 'quote-fanout', unit: 'ms', level: { metal: 17.5, shared: 24 }, sampled: true },
  { name: 'snapshot-load', unit: 'ms', level: { metal: 232, shared: 305 }, sampled: true },
  { name: 'decode', measure: 'throughput', unit: 'ops/s', level: { metal: 1180, shared: 760 }, sampled: false },
  { name: 'ingest', measure: 'memory', unit: 'MB', level: { metal: 412, shared: 418 }, sampled: false },
];

/**
 * The code changes of the story, in perf days (fractional) since the first day of history. They
 * merge on that day if it is a weekday, else on the Monday after (`landed`).
 */
export const CHANGES = {
  verifyCache: { day: 45 + 10 / 24, commit: 'verify: cache the verifier keys per issuer (#774)' },
  zstdLevel: { day: 66 + 11 / 24, commit: 'encode: zstd level 19 with a shared context pool (#812)' },
  zstdFix: { day: 70 + 14 / 24, commit: 'encode: per-thread zstd contexts, level 9 (#819)' },
  zstdFollowUp: { day: 84 + 13 / 24, commit: 'encode: reuse output buffers across frames (#826)' },
  /** A PR whose GraphQL resolver does N+1 queries: its first push breaks the PR budget. */
  nPlusOne: { day: 52, branch: 'feature/positions-graphql' },
} as const;

/** A working day of the demo's weeks (weeks.ts), for a perf day (the perf history starts PERF_IMPORTED_DAYS before the CI story). */
const isWorkday = (perfDay: number) => !isDemoWeekend(Math.floor(perfDay) - PERF_IMPORTED_DAYS);

/** The perf day (fractional) a change merges: its day, or the Monday after a weekend, at the same hour. */
export function landed(day0: number, day: number): number {
  let d = day;
  while (!isWorkday(d)) d += 1;
  return d;
}

/** The code's effect on a metric at a commit time, as a factor on its level. */
function effect(day0: number, metric: string, testbed: TestbedName, day: number, branch: string): number {
  const since = (c: { day: number }) => day >= landed(day0, c.day);
  let f = 1;
  if (metric === 'verify' && since(CHANGES.verifyCache)) f *= 0.85;
  if (metric === 'encode' && testbed === 'metal' && branch === 'main') {
    if (since(CHANGES.zstdFollowUp)) f *= 1;
    else if (since(CHANGES.zstdFix)) f *= 1.03;
    else if (since(CHANGES.zstdLevel)) f *= 1.25;
  }
  if (metric === 'gql' && branch === CHANGES.nPlusOne.branch) f *= 2.6;
  return f;
}

export interface PlannedRun {
  atMs: number;
  day: number;
  testbed: TestbedName;
  profile: 'main' | 'pr';
  branch: string;
  commit: string;
  ciRunId: string;
  /** The merge that this main run measures, when it is one of the story's changes. */
  change?: string;
  content: string;
}

const PR_BRANCHES = ['feature/risk-limits-v2', 'fix/quote-rounding', 'feature/ws-batching', 'chore/deps-2026-w', 'feature/snapshot-delta', 'fix/encode-header-crc', 'feature/gql-persisted-queries'];

/** Every run of the 90 days, in time order. `day0` is midnight UTC of the first day of history. */
export function planPerfRuns(day0: number): PlannedRun[] {
  const rand = seeded(9090);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sha = (s: string) => crypto.createHash('sha1').update(s).digest('hex');
  const runs: Omit<PlannedRun, 'content'>[] = [];
  let ci = 7_100_000;
  let mainHead = sha('hologram-perf-start');
  for (let d = 0; d < PERF_DAYS; d++) {
    const t = (h: number, m = 0) => day0 + d * DAY + h * HOUR + m * MIN;
    // The seed's nightly: 02:00 UTC on main's head, on the shared runner.
    runs.push({ atMs: t(2, 4), day: d + 2 / 24, testbed: 'shared', profile: 'main', branch: 'main', commit: mainHead, ciRunId: String(ci++) });
    if (!isWorkday(d)) continue;
    const changes = Object.values(CHANGES).flatMap((c) => ('commit' in c && Math.floor(landed(day0, c.day)) === d ? [{ day: landed(day0, c.day), change: c.commit as string | undefined }] : []));
    const merges = [...changes, ...Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({ day: d + (10 + rand() * 7) / 24, change: undefined }))].sort((a, b) => a.day - b.day);
    for (const m of merges) {
      mainHead = sha(`${mainHead}:${m.day}`);
      runs.push({ atMs: day0 + Math.round(m.day * DAY) + 14 * MIN, day: m.day, testbed: 'metal', profile: 'main', branch: 'main', commit: mainHead, ciRunId: String(ci++), change: m.change });
    }
    const prs = d === Math.floor(landed(day0, CHANGES.nPlusOne.day)) ? [CHANGES.nPlusOne.branch, CHANGES.nPlusOne.branch] : rand() < 0.6 ? [PR_BRANCHES[Math.floor(rand() * PR_BRANCHES.length)]!] : [];
    prs.forEach((branch, i) => {
      const at = t(11 + i * 3 + Math.floor(rand() * 3), Math.floor(rand() * 60));
      runs.push({ atMs: at, day: (at - day0) / DAY, testbed: 'shared', profile: 'pr', branch, commit: sha(`${branch}:${at - day0}`), ciRunId: String(ci++) });
    });
  }
  runs.sort((a, b) => a.atMs - b.atMs);
  return runs.map((r) => {
    const tb = TESTBEDS[r.testbed];
    const n = r.profile === 'pr' ? 20 : 100;
    // The N+1 PR is fixed by its second push.
    const pushes = runs.filter((x) => x.branch === r.branch && x.atMs < r.atMs).length;
    const branchForEffect = r.branch === CHANGES.nPlusOne.branch && pushes > 0 ? 'fixed' : r.branch;
    const metrics = METRICS.map((m) => {
      const level = m.level[r.testbed] * effect(day0, m.name, r.testbed, r.day, branchForEffect) * Math.exp(tb.runSigma * normal());
      if (!m.sampled) return { name: m.name, measure: m.measure, unit: m.unit, value: Number(level.toPrecision(5)) };
      // Lognormal samples whose 95th percentile is about `level`.
      const median = level / Math.exp(1.645 * tb.sampleSigma);
      const samples = Array.from({ length: n }, () => Number((median * Math.exp(tb.sampleSigma * normal())).toPrecision(4)));
      return { name: m.name, unit: m.unit, samples };
    });
    return { ...r, content: JSON.stringify({ format: 'steward-perf/1', testbed: tb.attrs, metrics }) };
  });
}
