/**
 * The demo's CI jobs (flaky-story.ts): the schedule of first attempts from a fixed seed, each
 * job's Surefire report from its own seed, and its upload through the real ingest service.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { ingestResults, type IngestResult } from '../flaky/ingest';
import { chunksOf } from '../flaky/read-upload';
import { CI_TOKEN, DAY, DEMO_CI_DAYS, HOUR, INFRA, MIN, type ProjectPlan } from './flaky-plans';
import { isDemoWeekend } from './weeks';
import type { Suite } from './flaky-suite';
import { surefireXml, type WrittenAttempt, type WrittenCase } from './junit-writer';
import { seeded } from './random';
import type { DemoCast } from './story';

export interface Job {
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

export const jobKey = (j: Pick<Job, 'plan' | 'runId' | 'job'>) => `${j.plan.key}/${j.runId}/${j.job}`;

function hash32(s: string): number {
  return crypto.createHash('sha256').update(s).digest().readUInt32BE(0);
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
}

/**
 * The pushes to main on a day a test is broken (see schedule): late morning and mid-afternoon,
 * inside every broken window of the plans (they open by 09:36 and close at 14:24 or later), so a
 * window of one and a half days holds four failing runs and one of three days five or more.
 */
const INCIDENT_HOURS = [11, 15];

/** Every first-attempt job of one project over the window, in time order (re-runs are decided later). */
export function schedule(plan: ProjectPlan, ciDay0: number, seed: number): Job[] {
  const rand = seeded(seed);
  const jobs: Job[] = [];
  let runId = plan.firstRunId;
  let mainHead: { commit: string; atMs: number } | null = null;
  const pytestJobs = [...new Set(plan.tests.filter((t) => t.suite === 'pytest').map((t) => t.job))];
  const pushes: { atMs: number; branch: string; commit: string; runId: number }[] = [];
  // While a test is broken on main, the team pushes fix attempts to main, weekends included: every
  // window then holds the consecutive failing runs that make a test "broken", whatever weekday the
  // demo's 60 days start on (with one or two random pushes a weekday, some windows did not, and the
  // demo's story depended on the day it was loaded).
  const incident = (d: number) => plan.trouble.some((t) => t.kind === 'broken' && d + 1 > (t.from ?? 0) && d < (t.until ?? Infinity));
  for (let d = 0; d <= DEMO_CI_DAYS; d++) {
    const weekday = !isDemoWeekend(d);
    const [lo, hi] = plan.pushes;
    const fixing = incident(d);
    const n = weekday ? lo + Math.floor(rand() * (hi - lo + 1)) : rand() < 0.3 ? 1 : 0;
    // Office hours after the projects exist (09:20 on the first day).
    const times = fixing
      ? INCIDENT_HOURS.map((h) => ciDay0 + d * DAY + h * HOUR)
      : Array.from({ length: n }, () => ciDay0 + d * DAY + 9.5 * HOUR + Math.floor(rand() * 10 * HOUR)).sort((a, b) => a - b);
    for (const t of times) {
      const open = plan.branches.filter((b) => d >= b.from && d < b.until);
      const branch = !fixing && open.length && rand() < 0.45 ? open[Math.floor(rand() * open.length)]!.name : 'main';
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

export async function upload(db: Db, cast: DemoCast, job: Job, now: Date, ciDay0: number): Promise<IngestResult> {
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
export const isRed = (r: IngestResult) => r.failingTotal > r.failing.length || r.failing.some((f) => !f.quarantined);
