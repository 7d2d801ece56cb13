/**
 * Cron checks, told by the real cron services on the demo's clock: the on-call SRE sets up a dozen
 * checks eight days before today, the jobs ping them as their crontab lines would (`curl` from the
 * hosts that run them), the alert loop runs every minute as the `cron-alerts` job does, and a runner
 * reports two artifact-freshness tasks with `steward sentinel --report-to`. What shows at the end is
 * what those pings and passes made of it (cron-plan.ts lists the checks and their stories):
 * most checks up; nightly-e2e went down one night on an exit status 1 and came back; search-reindex
 * is late; billing-sync stopped pinging six hours ago and is down; legacy-report is paused;
 * queue-drain is running; edge_report's file is dated a year in the future (copied with its mtime
 * from a host whose clock jumped ahead).
 */
import type { Db } from '@/lib/db/client';
import { createCheck, createPingKey, ingestSentinelReport, recordPing, runAlertPass, setCheckPaused } from '../cron';
import type { SimClock } from './clock';
import { CRON_CHECKS, cronPings, FRESHNESS_REPORTS, type PlannedPing } from './cron-plan';
import type { DemoCast, DemoEvent } from './story';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The checks are set up this many days before today. */
export const CRON_DEMO_DAYS = 8;
const CI_TOKEN = 'ci-main (demo)';

export interface CronStoryInput { db: Db; clock: SimClock }

export function cronEvents(s: CronStoryInput): (cast: DemoCast) => DemoEvent[] {
  return (cast) => {
    const { db, clock } = s;
    const now = () => clock.now();
    const today = Math.floor(clock.endMs / DAY) * DAY;
    const setupMs = today - CRON_DEMO_DAYS * DAY + 10 * HOUR;
    const uuids = new Map<string, string>();
    const ids = new Map<string, string>();
    let pingKey = '';
    // The earliest stored deadline (the alert loop's "what is overdue"), refreshed after every
    // write; a minute tick with nothing due skips the query, as the indexed one would find nothing.
    let nextDue = Infinity;
    const refreshDue = async () => {
      const row = await db.cronCheck.findFirst({ where: { paused: false, nextChangeAt: { not: null } }, orderBy: { nextChangeAt: 'asc' }, select: { nextChangeAt: true } });
      nextDue = row?.nextChangeAt?.getTime() ?? Infinity;
    };
    const ping = async (p: PlannedPing) => {
      const uuid = uuids.get(p.check);
      if (!uuid && !p.bySlug) throw new Error(`demo: check ${p.check} is pinged before it exists`);
      const path = p.bySlug ? [pingKey, p.bySlug] : [uuid!];
      const kind = p.exitStatus !== undefined ? [String(p.exitStatus)] : p.kind === 'success' ? [] : [p.kind];
      const r = await recordPing(db, {
        path: [...path, ...kind], rid: p.rid ?? null, create: p.create ?? false, method: p.method ?? 'GET', body: p.body ? new TextEncoder().encode(p.body) : null, bodyTruncated: false,
        sourceAddress: p.source, userAgent: p.userAgent ?? 'curl/8.5.0',
      }, now());
      if (r.status !== (p.create ? 201 : 200)) throw new Error(`demo: ping of ${p.check} answered ${r.status} ${r.text}`);
      await refreshDue();
    };

    const events: DemoEvent[] = [
      {
        atMs: setupMs,
        tree: false,
        run: async () => {
          pingKey = (await createPingKey(db, cast.admin(), 'hologram-deploy', now())).key;
          for (const c of CRON_CHECKS) {
            const d = await createCheck(db, cast.oncall(), c.input, now());
            uuids.set(c.input.name, d.uuid);
            ids.set(c.input.name, d.id);
          }
          await refreshDue();
        },
      },
    ];
    for (const p of cronPings(setupMs, clock.endMs)) events.push({ atMs: p.atMs, tree: false, run: () => ping(p) });
    // legacy-report is retired: the on-call SRE pauses it three days ago.
    events.push({ atMs: today - 3 * DAY + 11 * HOUR, tree: false, run: async () => { await setCheckPaused(db, cast.oncall(), ids.get('legacy-report')!, true, now()); await refreshDue(); } });
    for (const r of FRESHNESS_REPORTS(today, clock.endMs)) {
      events.push({ atMs: r.atMs, tree: false, run: async () => { await ingestSentinelReport(db, cast.token(CI_TOKEN), { source: 'runner-07', results: r.results }, now()); await refreshDue(); } });
    }
    // The cron-alerts job, once a minute (it runs every 10 s in production; a minute keeps the demo
    // quick and flips at most a minute after their deadline, as a slow runner would).
    for (let t = setupMs + MIN + 7_000; t < clock.endMs; t += MIN) {
      events.push({
        atMs: t,
        tree: false,
        run: async () => {
          if (nextDue > clock.nowMs()) return;
          await runAlertPass(db, now());
          await refreshDue();
        },
      });
    }
    return events;
  };
}

export interface CronDemoSummary { checks: number; pings: number; flips: number; byState: Record<string, number> }

export async function cronSummary(db: Db): Promise<CronDemoSummary> {
  const states = await db.cronCheck.groupBy({ by: ['state'], _count: { _all: true } });
  return {
    checks: await db.cronCheck.count(),
    pings: await db.cronPing.count(),
    flips: await db.cronFlip.count(),
    byState: Object.fromEntries(states.map((s) => [s.state, s._count._all])),
  };
}
