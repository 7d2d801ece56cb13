/**
 * The demo's cron checks and the pings their jobs send (cron-story.ts plays them). Each check's
 * crontab or CI step pings as a real one would: a start with a run id when the job runs long, the
 * finish (with an exit status from `curl …/$?` for the E2E job), a log line with the job's output.
 * Fire times come from the engine's schedule (croner, in the check's time zone), so a ping is
 * always a few seconds or minutes after the slot it belongs to.
 */
import { nextExpected } from '@/lib/engine/cron/schedule';
import type { PingKind, Schedule, SentinelTaskResult } from '@/lib/engine/cron/types';
import type { CheckInput } from '../cron/dto';
import { seeded } from './random';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface PlannedCheck { input: CheckInput }

export interface PlannedPing {
  atMs: number;
  check: string;
  kind: PingKind;
  exitStatus?: number;
  rid?: string;
  body?: string;
  method?: string;
  source: string;
  userAgent?: string;
  /** Pinged as /ping/<ping-key>/<slug> instead of by uuid (with `?create=1` when `create`). */
  bySlug?: string;
  create?: boolean;
}

const cron = (expression: string, timezone: string, graceSeconds: number): Schedule => ({ kind: 'cron', expression, timezone, graceSeconds });
const period = (periodSeconds: number, graceSeconds: number): Schedule => ({ kind: 'period', periodSeconds, graceSeconds });

export const CRON_CHECKS: PlannedCheck[] = [
  { input: { name: 'nightly-backup', type: 'ping', tags: ['backup', 'db'], schedule: cron('15 2 * * *', 'Europe/Riga', 3_600), maxRuntimeSeconds: 2 * 3_600 } },
  { input: { name: 'artifact-rotation', type: 'ping', tags: ['artifacts'], schedule: cron('0 3 * * *', 'UTC', 1_800) } },
  { input: { name: 'cert-renewal', type: 'ping', tags: ['tls'], schedule: period(86_400, 2 * 3_600) } },
  { input: { name: 'metrics-export', type: 'ping', tags: ['observability'], schedule: period(3_600, 600) } },
  { input: { name: 'log-shipper', type: 'ping', tags: ['observability'], schedule: period(900, 300) } },
  { input: { name: 'nightly-e2e', type: 'ping', tags: ['ci', 'hologram'], schedule: cron('0 2 * * *', 'UTC', 3_600), maxRuntimeSeconds: 3_600 } },
  { input: { name: 'search-reindex', type: 'ping', tags: ['search'], schedule: period(3_600, 1_800) } },
  { input: { name: 'billing-sync', type: 'ping', tags: ['billing'], schedule: cron('*/30 * * * *', 'UTC', 600) } },
  { input: { name: 'legacy-report', type: 'ping', tags: ['reports'], schedule: period(7 * 86_400, 3_600) } },
  { input: { name: 'db-vacuum', type: 'ping', tags: ['db'], schedule: cron('30 3 * * *', 'UTC', 3_600), minRuntimeSeconds: 60, failureThreshold: 2 } },
  { input: { name: 'queue-drain', type: 'ping', tags: ['queues'], schedule: period(6 * 3_600, 1_800), maxRuntimeSeconds: 3_600 } },
];

const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const rid = (rand: () => number) => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;

/** Every slot of `s` from `fromMs` (exclusive) up to `toMs`. */
function slots(s: Schedule, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = nextExpected(s, new Date(fromMs)).getTime(); t < toMs; t = nextExpected(s, new Date(t)).getTime()) out.push(t);
  return out;
}

const scheduleOf = (name: string) => CRON_CHECKS.find((c) => c.input.name === name)!.input.schedule;

/**
 * The pings from the checks' creation (`setupMs`) to the end of the story (`endMs`), in no
 * particular order (the story sorts every event by time).
 */
export function cronPings(setupMs: number, endMs: number): PlannedPing[] {
  const rand = seeded(1211);
  const out: PlannedPing[] = [];
  const jitter = (maxMs: number) => Math.floor(rand() * maxMs);
  const lastDay = Math.floor(endMs / DAY) * DAY;

  // nightly-backup: pg_dump wrapped by start/finish with a run id, 18–26 minutes, output as the body.
  for (const t of slots(scheduleOf('nightly-backup'), setupMs, endMs)) {
    const id = rid(rand);
    const start = t + 4 * SEC + jitter(6 * SEC);
    const end = start + 18 * MIN + jitter(8 * MIN);
    out.push({ atMs: start, check: 'nightly-backup', kind: 'start', rid: id, source: '10.20.1.15' });
    out.push({ atMs: end, check: 'nightly-backup', kind: 'success', rid: id, method: 'POST', source: '10.20.1.15', body: `pg_dump: wrote ${(11 + rand() * 2).toFixed(1)} GiB to s3://backups/hologram/${new Date(t).toISOString().slice(0, 10)}.dump` });
  }
  // artifact-rotation: a success ping from the host a minute after 03:00.
  for (const t of slots(scheduleOf('artifact-rotation'), setupMs, endMs)) out.push({ atMs: t + 50 * SEC + jitter(30 * SEC), check: 'artifact-rotation', kind: 'success', source: '10.20.3.2', userAgent: 'Wget/1.21.3' });
  // cert-renewal: certbot's daily timer around 06:00.
  for (let d = setupMs + DAY; d < endMs; d += DAY) {
    const at = Math.floor(d / DAY) * DAY + 6 * HOUR + jitter(20 * MIN);
    if (at < endMs) out.push({ atMs: at, check: 'cert-renewal', kind: 'success', source: '10.20.0.4', body: 'Cert not yet due for renewal' });
  }
  // metrics-export: hourly for the last four days; log-shipper: every 15 minutes for the last two.
  // Both anchored at the end (the story plays nothing in its last 5 minutes, see story.ts): their
  // last pings are 7 and 6 minutes before it, so they are up when the demo is loaded, whatever
  // the time of day, and go late on their own afterwards, as a stopped job would.
  for (let t = endMs - 7 * MIN; t > Math.max(setupMs, lastDay - 4 * DAY); t -= HOUR) out.push({ atMs: t - jitter(20 * SEC), check: 'metrics-export', kind: 'success', source: '10.20.2.8' });
  for (let t = endMs - 6 * MIN; t > lastDay - 2 * DAY; t -= 15 * MIN) out.push({ atMs: t - jitter(10 * SEC), check: 'log-shipper', kind: 'success', source: '10.20.2.9', userAgent: 'python-requests/2.32.3' });
  // nightly-e2e: start, then `curl …/$?`; three nights ago the job exits 1 (check goes down), the next night passes.
  const e2eSlots = slots(scheduleOf('nightly-e2e'), setupMs, endMs);
  e2eSlots.forEach((t, i) => {
    const id = rid(rand);
    const fail = i === e2eSlots.length - 3;
    out.push({ atMs: t + 3 * SEC, check: 'nightly-e2e', kind: 'start', rid: id, source: '10.30.0.21', userAgent: 'curl/8.5.0 (gitlab-runner)' });
    out.push({
      atMs: t + 24 * MIN + jitter(6 * MIN), check: 'nightly-e2e', kind: fail ? 'fail' : 'success', exitStatus: fail ? 1 : 0, rid: id, method: 'POST', source: '10.30.0.21', userAgent: 'curl/8.5.0 (gitlab-runner)',
      body: fail ? 'publish-install-use: step install failed: npm ERR! 404 Not Found @hologram/cli@4.2.0' : 'publish-install-use: 7/7 steps passed; graphql-e2e: 5/5 steps passed',
    });
  });
  // search-reindex: hourly until 70 minutes before the end (late now, down in 20 minutes).
  // Anchored at the end so the last one is exactly 70 minutes before it (expected 10 minutes ago).
  for (let t = endMs - 70 * MIN; t > setupMs; t -= HOUR) out.push({ atMs: t, check: 'search-reindex', kind: 'success', source: '10.20.4.3' });
  // billing-sync: every half hour until six hours ago (the host was decommissioned without moving the job).
  for (const t of slots(scheduleOf('billing-sync'), setupMs, endMs - 6 * HOUR)) out.push({ atMs: t + 20 * SEC + jitter(40 * SEC), check: 'billing-sync', kind: 'success', source: '10.20.5.11' });
  // legacy-report: weekly, once, before it is paused.
  out.push({ atMs: setupMs + 2 * HOUR, check: 'legacy-report', kind: 'success', source: '10.20.6.1' });
  // db-vacuum: 5–9 minutes each night; one night it finishes in 4 seconds (nothing vacuumed: a lock timeout).
  const vacuumSlots = slots(scheduleOf('db-vacuum'), setupMs, endMs);
  vacuumSlots.forEach((t, i) => {
    const id = rid(rand);
    const fast = i === vacuumSlots.length - 2;
    out.push({ atMs: t + 2 * SEC, check: 'db-vacuum', kind: 'start', rid: id, source: '10.20.1.15' });
    out.push({ atMs: t + 2 * SEC + (fast ? 4 * SEC : 5 * MIN + jitter(4 * MIN)), check: 'db-vacuum', kind: 'success', rid: id, source: '10.20.1.15', body: fast ? 'vacuumdb: canceling statement due to lock timeout' : 'vacuumdb: vacuuming database "hologram"' });
  });
  // queue-drain: every 6 hours, 10–20 minutes; the current run started 15 minutes before the end
  // (anchored there, so each run starts six hours after the one before and is never late).
  for (let t = endMs - 15 * MIN - 6 * HOUR; t > setupMs; t -= 6 * HOUR) {
    const id = rid(rand);
    out.push({ atMs: t, check: 'queue-drain', kind: 'start', rid: id, source: '10.20.7.2' });
    out.push({ atMs: t + 10 * MIN + jitter(10 * MIN), check: 'queue-drain', kind: 'success', rid: id, source: '10.20.7.2' });
    out.push({ atMs: t + 30 * SEC, check: 'queue-drain', kind: 'log', rid: id, method: 'POST', source: '10.20.7.2', body: `drained ${Math.floor(2_000 + rand() * 8_000)} messages so far` });
  }
  // deploy-gc: a crontab line that pings by the "hologram-deploy" ping key and its slug, with
  // `?create=1` (the check is made by its first ping: Healthchecks' defaults, 1 day + 1 hour).
  for (let d = setupMs + DAY, first = true; d < endMs; d += DAY, first = false) {
    const at = Math.floor(d / DAY) * DAY + 4 * HOUR + jitter(90 * SEC);
    if (at < endMs) out.push({ atMs: at, check: 'deploy-gc', kind: 'success', bySlug: 'deploy-gc', create: first, source: '10.20.8.5' });
  }
  out.push({ atMs: endMs - 15 * MIN, check: 'queue-drain', kind: 'start', rid: rid(rand), source: '10.20.7.2' });
  return out;
}

/**
 * `steward sentinel --report-to` on runner-07 after its nightly jobs: the nightly results file
 * (fresh), and the edge report, copied with its mtime (`rsync -t`) from an edge host whose clock
 * jumped a year ahead when it lost NTP: dated in the future, so flagged, never fresh.
 */
export function FRESHNESS_REPORTS(today: number, endMs: number): { atMs: number; results: SentinelTaskResult[] }[] {
  const out: { atMs: number; results: SentinelTaskResult[] }[] = [];
  for (let d = 6; d >= 0; d--) {
    const atMs = today - d * DAY + 6 * HOUR + 30 * MIN;
    if (atMs > endMs - 10 * MIN) continue;
    const nightly = today - d * DAY + 2 * HOUR + 41 * MIN;
    const edge = atMs + 365 * DAY;
    const day = new Date(nightly).toISOString().slice(0, 10).replaceAll('-', '');
    const ageOf = (m: number) => Math.round((atMs - m) / 1000);
    out.push({
      atMs,
      results: [
        { name: 'nightly_tests', artifact: 'reports/nightly_*.json', path: `reports/nightly_${day}.json`, status: 'fresh', mtime: new Date(nightly).toISOString(), ageSeconds: ageOf(nightly), maxAgeSeconds: 36 * 3_600, reason: `modified ${Math.round(ageOf(nightly) / 3_600)}h ago (max 36h)` },
        { name: 'edge_report', artifact: 'reports/edge/latest.json', path: 'reports/edge/latest.json', status: 'future', mtime: new Date(edge).toISOString(), ageSeconds: ageOf(edge), maxAgeSeconds: 26 * 3_600, reason: 'modified 365d in the future (clock skew or a forged timestamp)' },
      ],
    });
  }
  return out;
}
